#!/usr/bin/env node
/**
 * Load benchmark: `npm run bench -- --players N --orders-per-sec R --duration S
 *                  [--viewers V] [--shards K [--shard-process]] [--url URL --admin-token T]
 *                  [--tick-ms 2000]`
 *
 * 1. Starts the Worker in Miniflare straight on workerd (bench/load/server.mjs: no
 *    `wrangler dev` proxy, see there why), or targets --url.
 * 2. Creates one open market (8 symbols), its feed in K groups when --shards K > 1 (the
 *    market object holds group 0, broadcast shard objects 1..K-1). --shard-process runs
 *    the shard objects in a second workerd process (bench/load/server.mjs says why).
 * 3. Joins N players (real tokens, each join from its own CF-Connecting-IP) and forks
 *    socket clients (bench/load/client.mjs) that connect them plus V anonymous viewers.
 * 4. One more forked process places market orders at R/s over REST, spread over
 *    --traders players (default R/5, so each trader stays at 5/s, half the per-player limit).
 * 5. After S seconds: a table, then every figure as one JSON object on the last line.
 *
 * Server CPU and peak memory come from /proc of the workerd process (local server only;
 * with --url pass --server-pid to measure a server started elsewhere).
 */
import { fork } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { flag } from "../dev/cli.mjs";
import { startServer, ROOT } from "./load/server.mjs";
import { startProfile } from "./load/profile.mjs";
import { feedGroup } from "./load/groups.mjs";

const PLAYERS = Number(flag("players", 1000));
const VIEWERS = Number(flag("viewers", 0));
const RATE = Number(flag("orders-per-sec", 0));
const DURATION_S = Number(flag("duration", 30));
const SHARDS = Number(flag("shards", 0));
const SHARD_PROCESS = flag("shard-process", false) !== false;
const TICK_MS = Number(flag("tick-ms", 2000));
const TRADERS = Math.min(PLAYERS, Number(flag("traders", Math.max(1, Math.ceil(RATE / 5)))));
const CLIENTS = Number(flag("clients", Math.max(1, Math.min(4, Math.ceil((PLAYERS + VIEWERS) / 5000)))));
const URL_ARG = flag("url", null);
// --profile FILE: V8 CPU profile of the Worker's isolate over the measured window.
const PROFILE = flag("profile", null);
const INSPECTOR_PORT = 9229 + Math.floor(Math.random() * 500);
const JOIN_CONCURRENCY = 32;
const SYMBOLS = ["ALFA", "BRVO", "CHRL", "DLTA", "ECHO", "FXTR", "GOLF", "HOTL"];
// Descriptors: each socket costs one in its client process and two in workerd (the socket
// and a dup of it), so one workerd process holds at most ~9,950 under this machine's limit
// of 20,000. Keep every process under it.
const FD_LIMIT = 20_000;
const MAX_SOCKETS_PER_RUNTIME = 9_900;

if (!(PLAYERS >= 0 && PLAYERS + VIEWERS >= 1 && DURATION_S > 0 && DURATION_S <= 3600 && RATE >= 0 && RATE <= 5000)) {
  console.error(
    "usage: npm run bench -- --players N --orders-per-sec R --duration S [--viewers V] [--shards K] [--url URL]",
  );
  process.exit(2);
}
if (SHARD_PROCESS && (SHARDS < 2 || URL_ARG)) {
  console.error("--shard-process needs --shards K (K >= 2) and a local server (no --url)");
  process.exit(2);
}
// Without a second process every socket is in one workerd: say so before joining anyone.
// (With --shard-process the split is known once players have ids; checked below.)
if (!SHARD_PROCESS && !URL_ARG && PLAYERS + VIEWERS > MAX_SOCKETS_PER_RUNTIME) {
  console.error(
    `at most ${MAX_SOCKETS_PER_RUNTIME} sockets fit one workerd process (two descriptors each, limit ${FD_LIMIT}); for more use --shards 2 --shard-process`,
  );
  process.exit(2);
}
if (Math.ceil((PLAYERS + VIEWERS) / CLIENTS) > FD_LIMIT - 1000) {
  console.error("too many sockets per client process; raise --clients");
  process.exit(2);
}

const log = (...a) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);

// ------------------------------------------------------------------ server
let server = null;
let base;
let adminToken;
let serverPid = flag("server-pid", null) ? Number(flag("server-pid")) : null;
if (URL_ARG) {
  base = String(URL_ARG).replace(/\/$/, "");
  adminToken = flag("admin-token", process.env.ADMIN_TOKEN);
  if (!adminToken) {
    console.error("--url needs --admin-token (or ADMIN_TOKEN)");
    process.exit(2);
  }
} else {
  server = await startServer({ log, shardHost: SHARD_PROCESS, ...(PROFILE ? { inspectorPort: INSPECTOR_PORT } : {}) });
  base = server.url;
  adminToken = server.adminToken;
  serverPid = server.pids[0] ?? null;
  log(`workerd at ${base}, pid ${serverPid}`);
  if (server.shardUrl) log(`shard host workerd at ${server.shardUrl}, pid ${server.pids[1]}`);
}

const children = [];
async function cleanup() {
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  if (server) await server.stop();
}
process.on("SIGINT", async () => {
  await cleanup();
  process.exit(130);
});

// ------------------------------------------------------------------ /proc sampling
function procSample(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return { ticks, rssKb: kb("VmRSS"), hwmKb: kb("VmHWM"), t: performance.now() };
  } catch {
    return null;
  }
}
const CLK_TCK = 100;
/** CPU and memory of one workerd process over the measured window, sampled every second. */
function watchProcess(pid) {
  const w = { pid, first: procSample(pid), prev: null, cpu: [], peakRssKb: 0 };
  w.prev = w.first;
  w.sample = () => {
    const s = procSample(pid);
    if (!s || !w.prev) return;
    w.cpu.push(((s.ticks - w.prev.ticks) / CLK_TCK / ((s.t - w.prev.t) / 1000)) * 100);
    w.peakRssKb = Math.max(w.peakRssKb, s.rssKb);
    w.prev = s;
  };
  w.figures = (measuredS) => {
    const last = procSample(pid);
    if (!last || !w.first) return null;
    return {
      pid,
      peakRssMiB: Math.round(Math.max(w.peakRssKb, last.rssKb, last.hwmKb) / 1024),
      cpuAvgPct: Number((((last.ticks - w.first.ticks) / CLK_TCK / measuredS) * 100).toFixed(1)),
      cpuPeakPct: Number(Math.max(0, ...w.cpu).toFixed(1)),
    };
  };
  return w;
}
let watched = [];
let sampler = null;
function startSampling() {
  const pids = server ? server.pids.filter(Boolean) : serverPid ? [serverPid] : [];
  watched = pids.map(watchProcess);
  if (watched.length) sampler = setInterval(() => watched.forEach((w) => w.sample()), 1000);
}

// ------------------------------------------------------------------ API helpers
let ipCounter = 0;
const nextIp = () => {
  ipCounter += 1;
  return `10.200.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};
async function call(method, path, body, token = adminToken) {
  for (let attempt = 0; attempt < 5; attempt++) {
    const res = await fetch(base + path, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "CF-Connecting-IP": nextIp() },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json().catch(() => null);
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }
    if (!res.ok) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(json)}`);
    return json;
  }
  throw new Error(`${method} ${path}: rate limited 5 times`);
}

// ------------------------------------------------------------------ market and players
const code = `BENCH${Math.random().toString(36).slice(2, 7).toUpperCase()}`.replace(/[^A-Z0-9]/g, "X").slice(0, 12);
await call("POST", "/api/markets", {
  code,
  name: "Load benchmark",
  startingCash: 1_000_000,
  tickMs: TICK_MS,
  seed: 7,
  symbols: SYMBOLS.map((s, i) => ({
    symbol: s,
    name: `${s} Inc`,
    price: 20 + i * 15,
    volatility: 0.05,
    liquidity: 1_000_000,
  })),
});
if (SHARDS > 1) await call("PUT", `/api/markets/${code}/feed`, { broadcastShards: SHARDS });
log(
  `market ${code} created${SHARDS > 1 ? ` with ${SHARDS} broadcast shards` : " (direct sockets)"}; joining ${PLAYERS} players ...`,
);

const players = new Array(PLAYERS);
{
  let next = 0;
  const t0 = performance.now();
  const deadline = Date.now() + 15 * 60_000;
  await Promise.all(
    Array.from({ length: Math.min(JOIN_CONCURRENCY, PLAYERS) }, async () => {
      while (next < PLAYERS) {
        if (Date.now() > deadline) throw new Error("joining took longer than 15 minutes");
        const i = next++;
        const ip = `10.100.${(i >> 8) & 255}.${i & 255}`;
        const res = await fetch(`${base}/api/markets/${code}/join`, {
          method: "POST",
          headers: { "content-type": "application/json", "CF-Connecting-IP": ip },
          body: JSON.stringify({ name: `p${i}` }),
        });
        if (res.status !== 201) throw new Error(`join ${i} -> ${res.status} ${await res.text()}`);
        const json = await res.json();
        players[i] = { token: json.token, id: json.player.id, ip };
      }
    }),
  );
  log(`joined ${PLAYERS} players in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
await call("POST", `/api/markets/${code}/control`, { action: "open" });

// ------------------------------------------------------------------ where each socket goes
const groupOf = (playerId) => feedGroup(playerId, SHARDS);
// Group 0 lives in the market's process; with --shard-process groups 1..K-1 live in the
// shard host. Viewers connect to the shard host too; the Worker picks their group at
// random, so 1/K of them are carried on to the market's process over the dev registry
// (their descriptors stay in the shard host, which is what the check below counts).
const feedUrlOf = (group) => (SHARD_PROCESS && group > 0 ? server.shardUrl : base);
const viewerUrl = SHARD_PROCESS ? server.shardUrl : base;
{
  const perRuntime = new Map();
  const count = (url, n) => perRuntime.set(url, (perRuntime.get(url) ?? 0) + n);
  for (const p of players) count(feedUrlOf(groupOf(p.id)), 1);
  count(viewerUrl, VIEWERS);
  for (const [url, n] of perRuntime) {
    if (!URL_ARG && n > MAX_SOCKETS_PER_RUNTIME) {
      console.error(
        `${n} sockets on the workerd at ${url}: at most ${MAX_SOCKETS_PER_RUNTIME} fit one process (two descriptors each, limit ${FD_LIMIT}); use --shards K --shard-process`,
      );
      await cleanup();
      process.exit(2);
    }
  }
  if (SHARD_PROCESS)
    log(
      `sockets per process: ${[...perRuntime].map(([u, n]) => `${u === base ? "market" : "shard host"} ${n}`).join(", ")}`,
    );
}

// ------------------------------------------------------------------ load processes
function forkClient(index, opts) {
  const child = fork(join(ROOT, "bench", "load", "client.mjs"), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    execArgv: ["--max-old-space-size=4096"],
  });
  children.push(child);
  const waiters = new Map();
  child.on("message", (/** @type {any} */ m) => {
    const w = waiters.get(m.type);
    if (w) {
      waiters.delete(m.type);
      w(m);
    }
  });
  child.on("exit", (code) => {
    for (const [type, w] of waiters) w({ type, crashed: code });
    waiters.clear();
  });
  const once = (type, timeoutMs) =>
    new Promise((resolve) => {
      waiters.set(type, resolve);
      setTimeout(() => {
        if (waiters.get(type) === resolve) {
          waiters.delete(type);
          resolve({ type, timedOut: true });
        }
      }, timeoutMs);
    });
  child.send({ type: "start", opts: { ...opts, index, url: base, code } });
  return { child, once };
}

const total = PLAYERS + VIEWERS;
const per = Math.ceil(total / CLIENTS);
const socketClients = [];
log(`connecting ${PLAYERS} players and ${VIEWERS} viewers from ${CLIENTS} client processes ...`);
const tConnect = performance.now();
for (let c = 0; c < CLIENTS; c++) {
  const from = c * per;
  const to = Math.min(total, from + per);
  const targets = players
    .slice(Math.min(from, PLAYERS), Math.min(to, PLAYERS))
    .map((p) => ({ token: p.token, url: feedUrlOf(groupOf(p.id)) }));
  const viewers = Math.max(0, to - Math.max(from, PLAYERS));
  socketClients.push(
    forkClient(c, { role: "sockets", targets, viewers, viewerUrl, ipOffset: 1_000_000 + from, connectConcurrency: 64 }),
  );
}
const readies = await Promise.all(socketClients.map((c) => c.once("ready", 10 * 60_000)));
const connectS = (performance.now() - tConnect) / 1000;
log(
  `connected ${readies.reduce((a, r) => a + (r.connected ?? 0), 0)} of ${total} in ${connectS.toFixed(1)} s`,
  readies.map((r) => r.errors),
);

let orderClient = null;
if (RATE > 0) {
  const traders = players.slice(0, TRADERS).map((p) => ({ token: p.token, ip: p.ip }));
  orderClient = forkClient(CLIENTS, {
    role: "orders",
    traders,
    symbols: SYMBOLS,
    ordersPerSec: RATE,
    durationMs: DURATION_S * 1000,
    maxSockets: 64,
  });
  await orderClient.once("ready", 30_000);
}

// One tick to settle, then measure.
await new Promise((r) => setTimeout(r, TICK_MS + 500));
log(`measuring for ${DURATION_S} s ...`);
startSampling();
const stopProfile = PROFILE && server ? await startProfile(INSPECTOR_PORT) : null;
const load0 = loadavg();
const tMeasure = performance.now();
for (const c of [...socketClients, ...(orderClient ? [orderClient] : [])]) c.child.send({ type: "measure" });
await new Promise((r) => setTimeout(r, DURATION_S * 1000));
if (orderClient) await orderClient.once("ordersDone", 15_000);
const measuredS = (performance.now() - tMeasure) / 1000;
if (sampler) clearInterval(sampler);
const processFigures = watched.map((w) => w.figures(measuredS));
const profiles = stopProfile ? await stopProfile(String(PROFILE)) : null;
const resultsP = [...socketClients, ...(orderClient ? [orderClient] : [])].map((c) => c.once("result", 30_000));
for (const c of [...socketClients, ...(orderClient ? [orderClient] : [])]) c.child.send({ type: "stop" });
const results = (await Promise.all(resultsP)).map((m) => m.result).filter(Boolean);

// ------------------------------------------------------------------ figures
function merge(hists) {
  const counts = new Map();
  let count = 0;
  let max = 0;
  for (const h of hists) {
    for (const [ms, n] of h.sparse) counts.set(ms, (counts.get(ms) ?? 0) + n);
    count += h.count;
    max = Math.max(max, h.max);
  }
  const sorted = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  const pct = (p) => {
    if (count === 0) return null;
    const target = Math.ceil((p / 100) * count);
    let seen = 0;
    for (const [ms, n] of sorted) {
      seen += n;
      if (seen >= target) return ms;
    }
    return max;
  };
  return { count, p50: pct(50), p95: pct(95), p99: pct(99), max: count ? Math.round(max) : null };
}
const sockets = results.filter((r) => r.role === "sockets");
const orders = results.find((r) => r.role === "orders");
const sum = (k) => sockets.reduce((a, r) => a + r[k], 0);
const errorsByCode = orders?.orders.errors ?? {};
const BUSINESS = new Set(["INSUFFICIENT_FUNDS", "INSUFFICIENT_SHARES", "ORDER_LIMIT", "SYMBOL_HALTED"]);
const ordersSpan = orders ? Math.max(1, (orders.orders.lastAt - orders.orders.firstAt) / 1000) : 0;

const figures = /** @type {Record<string, any>} */ ({
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  },
  config: {
    players: PLAYERS,
    viewers: VIEWERS,
    ordersPerSec: RATE,
    traders: RATE > 0 ? TRADERS : 0,
    durationS: DURATION_S,
    tickMs: TICK_MS,
    shards: SHARDS,
    shardProcess: SHARD_PROCESS,
    clients: CLIENTS,
    server: URL_ARG ? base : "miniflare (workerd direct)",
  },
  sockets: {
    attempted: sum("attempted"),
    connected: sum("connected"),
    connectFailed: sum("connectFailed"),
    dropped: sum("dropped"),
    openAtEnd: sum("open"),
    connectSeconds: Number(connectS.toFixed(1)),
  },
  ticks: {
    delivered: sum("ticks"),
    expectedApprox: Math.floor((measuredS * 1000) / TICK_MS) * sum("open"),
    seqGaps: sum("seqGaps"),
    missedMessages: sum("missedMessages"),
    lagMs: merge(sockets.map((r) => r.lag)),
  },
  orders: orders
    ? {
        sent: orders.orders.sent,
        ok: orders.orders.ok,
        errorsByCode,
        nonBusinessErrors: Object.entries(errorsByCode)
          .filter(([k]) => !BUSINESS.has(k))
          .reduce((a, [, n]) => a + n, 0),
        achievedPerSec: Number((orders.orders.ok / ordersSpan).toFixed(1)),
        answeredPerSec: Number(
          ((orders.orders.ok + Object.values(errorsByCode).reduce((a, b) => a + b, 0)) / ordersSpan).toFixed(1),
        ),
        ackMs: merge([orders.ack]),
        fillsReceived: sum("privateMessages"),
      }
    : null,
  server: processFigures[0] ?? null,
  ...(SHARD_PROCESS ? { shardHost: processFigures[1] ?? null } : {}),
  loadAvg1m: { start: Number(load0[0].toFixed(2)), end: Number(loadavg()[0].toFixed(2)) },
});

const f = (v) => (v === null || v === undefined ? "-" : String(v));
const rows = [
  ["players / viewers", `${PLAYERS} / ${VIEWERS}`],
  [
    "feed groups",
    SHARDS > 1
      ? `${SHARDS} (market + ${SHARDS - 1} shard objects${SHARD_PROCESS ? " in a second workerd process" : ""})`
      : "one (the market holds every socket)",
  ],
  [
    "connected / failed",
    `${figures.sockets.connected} / ${figures.sockets.connectFailed}  (in ${figures.sockets.connectSeconds} s)`,
  ],
  ["dropped during run", f(figures.sockets.dropped)],
  ["ticks delivered", `${figures.ticks.delivered} (about ${figures.ticks.expectedApprox} expected)`],
  ["seq gaps / missed msgs", `${figures.ticks.seqGaps} / ${figures.ticks.missedMessages}`],
  ["tick lag p50/p95/p99/max ms", ["p50", "p95", "p99", "max"].map((k) => f(figures.ticks.lagMs[k])).join(" / ")],
];
if (figures.orders) {
  rows.push(
    ["orders sent / ok", `${figures.orders.sent} / ${figures.orders.ok}`],
    [
      "orders achieved /s",
      `${figures.orders.achievedPerSec} ok (${figures.orders.answeredPerSec} answered) of ${RATE} asked, ${TRADERS} traders`,
    ],
    ["ack p50/p95/p99/max ms", ["p50", "p95", "p99", "max"].map((k) => f(figures.orders.ackMs[k])).join(" / ")],
    ["order errors by code", JSON.stringify(errorsByCode)],
  );
}
if (figures.server)
  rows.push(
    ["server peak RSS", `${figures.server.peakRssMiB} MiB`],
    ["server CPU avg / peak", `${figures.server.cpuAvgPct}% / ${figures.server.cpuPeakPct}% (100% = one core)`],
  );
if (figures.shardHost)
  rows.push(
    ["shard host peak RSS", `${figures.shardHost.peakRssMiB} MiB`],
    ["shard host CPU avg / peak", `${figures.shardHost.cpuAvgPct}% / ${figures.shardHost.cpuPeakPct}%`],
  );
rows.push([
  "load average (1m)",
  `${figures.loadAvg1m.start} -> ${figures.loadAvg1m.end} on ${figures.machine.cpus} cores`,
]);
if (profiles) {
  figures.profile = profiles;
  for (const p of profiles) {
    console.log(`\nCPU profile of ${p.target} -> ${p.file}; top self time:`);
    for (const t of p.top.slice(0, 15))
      console.log(`  ${String(t.pct).padStart(5)}%  ${String(t.ms).padStart(6)} ms  ${t.fn}`);
  }
}
const width = Math.max(...rows.map((r) => r[0].length));
console.log(`\nMarketFlow load benchmark, ${DURATION_S} s, tick ${TICK_MS} ms, market ${code}`);
for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
console.log(JSON.stringify(figures));

await cleanup();
process.exit(0);
