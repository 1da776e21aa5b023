#!/usr/bin/env node
/**
 * What one address can do to everyone else: `node bench/floods.mjs [--duration 20]
 *   [--floods token,bots,viewers,playerSockets] [--url URL --admin-token T]`
 *
 * One honest player (its own address) places an order every 125 ms, one at a time, for
 * `duration` seconds per phase, and we report its order latency: first with nobody else
 * around, then during each flood, every flood from one other address:
 *
 * - token: one player's token, 64 orders in flight at all times.
 * - bots: 150 players joined from the address, each firing orders at its own 10/s.
 * - viewers: 1,500 tokenless sockets opened as fast as the server lets them, then held.
 * - playerSockets: 150 players from the address, 10 sockets each (1,500), then held.
 *
 * The flood runs in a child process (this file, forked), so its work does not stall the
 * probe's event loop. Without --url it starts the Worker as the load benchmark does
 * (bench/load/server.mjs). Not part of CI: the figures depend on the machine.
 */
import { fork } from "node:child_process";
import WebSocket from "ws";
import { flag } from "../dev/cli.mjs";

const FLOOD_ADDRESS_BASE = "198.51.100.";
const PROBE_ADDRESS = "203.0.113.10";
const PROBE_INTERVAL_MS = 125;
const BOTS = 150;
const SOCKETS = 1_500;

const log = (...a) => console.error(`[floods ${new Date().toISOString().slice(11, 19)}]`, ...a);

/**
 * @param {string} base
 * @param {string} path
 * @param {unknown} body
 * @param {{ token?: string, address?: string }} who
 */
async function post(base, path, body, { token, address }) {
  const headers = { "content-type": "application/json", "CF-Connecting-IP": address };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(base + path, { method: "POST", headers, body: JSON.stringify(body) });
  const json = await res.json().catch(() => null);
  return { status: res.status, json };
}

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

// ================================================================ the flood (child)

async function joinMany(base, code, address, count, prefix) {
  /** @type {string[] & { refused?: { status: number, code?: string } }} */
  const players = [];
  for (let i = 0; i < count; i++) {
    const res = await post(base, `/api/markets/${code}/join`, { name: `${prefix}${i}` }, { address });
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, 1000));
      i -= 1;
      continue;
    }
    if (res.status !== 201) {
      players.refused = { status: res.status, code: res.json?.error?.code };
      break;
    }
    players.push(res.json.token);
  }
  return players;
}

function orderBody(i) {
  return {
    clientOrderId: `f-${process.pid}-${i}-${Math.random().toString(36).slice(2, 8)}`,
    symbol: "ALFA",
    side: i % 2 ? "sell" : "buy",
    qty: 1,
    type: "market",
  };
}

async function runFlood({ base, code, kind, address }) {
  const stats = { statuses: {}, sent: 0, held: 0, maxHeld: 0, closeCodes: {} };
  let stopping = false;
  process.on("message", (m) => {
    if (m === "stop") stopping = true;
  });
  const count = (status) => (stats.statuses[status] = (stats.statuses[status] ?? 0) + 1);
  const order = async (token, i) => {
    stats.sent += 1;
    const res = await fetch(`${base}/api/markets/${code}/orders`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}`, "CF-Connecting-IP": address },
      body: JSON.stringify(orderBody(i)),
    }).catch(() => null);
    count(res ? res.status : "error");
    await res?.arrayBuffer().catch(() => {});
  };
  const sockets = [];
  const openSocket = (token) =>
    new Promise((resolve) => {
      const ws = new WebSocket(
        `${base.replace(/^http/, "ws")}/api/markets/${code}/ws${token ? `?token=${encodeURIComponent(token)}` : ""}`,
        {
          headers: { "CF-Connecting-IP": address },
        },
      );
      let counted = false;
      ws.on("message", () => {
        // The first message is the snapshot: the socket was taken, not refused.
        if (counted) return;
        counted = true;
        stats.held += 1;
        stats.maxHeld = Math.max(stats.maxHeld, stats.held);
        sockets.push(ws);
        resolve(true);
      });
      ws.on("close", (code) => {
        stats.closeCodes[code] = (stats.closeCodes[code] ?? 0) + 1;
        if (counted) stats.held -= 1;
        else resolve(false);
      });
      ws.on("error", () => {});
    });

  /** @type {string[] & { refused?: { status: number, code?: string } }} */
  let tokens = [];
  if (kind === "token") tokens = await joinMany(base, code, address, 1, `flooder${process.pid}-`);
  if (kind === "bots" || kind === "playerSockets")
    tokens = await joinMany(base, code, address, BOTS, `bot${process.pid}-`);
  stats.joined = tokens.length;
  if (tokens.refused) stats.joinRefused = tokens.refused;
  process.send({ ready: true });

  const work = [];
  if (kind === "token") {
    let i = 0;
    for (let w = 0; w < 64; w++)
      work.push(
        (async () => {
          while (!stopping) await order(tokens[0], i++);
        })(),
      );
  } else if (kind === "bots") {
    // Open loop: every bot fires every 100 ms whatever the answers; at most 256 in flight
    // so the generator itself does not become the bottleneck.
    let inFlight = 0;
    let i = 0;
    const timer = setInterval(() => {
      for (const token of tokens) {
        if (inFlight >= 256) {
          stats.skipped = (stats.skipped ?? 0) + 1;
          continue;
        }
        inFlight += 1;
        void order(token, i++).finally(() => (inFlight -= 1));
      }
    }, 100);
    work.push(
      new Promise((resolve) => {
        const check = setInterval(() => {
          if (!stopping) return;
          clearInterval(timer);
          clearInterval(check);
          resolve();
        }, 50);
      }),
    );
  } else {
    // A script holding as many sockets as it can: 32 attempts in flight, each refusal
    // retried 100 ms later, until SOCKETS are held.
    const perToken = kind === "playerSockets" ? Math.ceil(SOCKETS / tokens.length) : 0;
    let attempt = 0;
    for (let w = 0; w < 32; w++)
      work.push(
        (async () => {
          while (!stopping && stats.held < SOCKETS) {
            const token = kind === "playerSockets" ? tokens[Math.floor(attempt / perToken) % tokens.length] : null;
            attempt += 1;
            stats.sent += 1;
            const ok = await openSocket(token);
            if (!ok) await new Promise((r) => setTimeout(r, 100));
          }
        })(),
      );
  }
  await Promise.all(work);
  // Let the last answers land before reporting.
  await new Promise((r) => setTimeout(r, 500));
  for (const ws of sockets) ws.terminate();
  process.send({ result: stats });
}

// ================================================================ the probe (parent)

async function probe(base, code, token, durationMs) {
  const latencies = [];
  const statuses = {};
  const end = Date.now() + durationMs;
  let i = 0;
  while (Date.now() < end) {
    const started = performance.now();
    const res = await post(base, `/api/markets/${code}/orders`, orderBody(i++), { token, address: PROBE_ADDRESS });
    const ms = performance.now() - started;
    latencies.push(ms);
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, Math.max(0, PROBE_INTERVAL_MS - ms)));
  }
  latencies.sort((a, b) => a - b);
  return {
    n: latencies.length,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1),
    statuses,
  };
}

async function main() {
  const durationMs = Number(flag("duration", 20)) * 1000;
  const floods = String(flag("floods", "token,bots,viewers,playerSockets")).split(",");
  let base = flag("url", null);
  let adminToken = flag("admin-token", process.env.ADMIN_TOKEN);
  let server = null;
  if (!base) {
    const { startServer } = await import("./load/server.mjs");
    server = await startServer({ log });
    base = server.url;
    adminToken = server.adminToken;
    log(`workerd at ${base}`);
  }
  base = String(base).replace(/\/$/, "");
  try {
    const code = `FLOOD${Math.random().toString(36).slice(2, 7).toUpperCase()}`.replace(/[^A-Z0-9]/g, "X");
    const admin = { token: adminToken, address: "192.0.2.1" };
    const created = await post(
      base,
      "/api/markets",
      {
        code,
        name: "Floods",
        startingCash: 10_000_000,
        tickMs: 2000,
        seed: 7,
        symbols: [{ symbol: "ALFA", name: "Alfa", price: 50, liquidity: 10_000_000 }],
      },
      admin,
    );
    if (created.status !== 201) throw new Error(`create -> ${created.status} ${JSON.stringify(created.json)}`);
    await post(base, `/api/markets/${code}/control`, { action: "open" }, admin);
    const joined = await post(base, `/api/markets/${code}/join`, { name: "Honest" }, { address: PROBE_ADDRESS });
    const token = joined.json.token;

    /** @type {any[]} */
    const rows = [];
    log(`baseline: the honest player alone for ${durationMs / 1000} s`);
    rows.push({ phase: "alone", ...(await probe(base, code, token, durationMs)) });
    for (const [n, kind] of floods.entries()) {
      const child = fork(new URL(import.meta.url).pathname, ["--child"], {
        stdio: ["ignore", "inherit", "inherit", "ipc"],
      });
      const address = `${FLOOD_ADDRESS_BASE}${n + 1}`;
      const ready = new Promise((resolve) =>
        child.on("message", (/** @type {any} */ m) => m.ready && resolve(undefined)),
      );
      const result = new Promise((resolve) =>
        child.on("message", (/** @type {any} */ m) => m.result && resolve(m.result)),
      );
      child.send({ base, code, kind, address });
      await ready;
      log(`flood "${kind}" from ${address}: probing for ${durationMs / 1000} s`);
      const measured = await probe(base, code, token, durationMs);
      child.send("stop");
      const flood = await result;
      rows.push({ phase: kind, ...measured, flood });
      // The market lets go of the flood's sockets before the next phase.
      await new Promise((r) => setTimeout(r, 3000));
    }
    console.log("\nphase           n    p50 ms  p99 ms  max ms  the flood");
    for (const r of rows) {
      const f = r.flood
        ? `sent ${r.flood.sent}, answers ${JSON.stringify(r.flood.statuses)}${r.flood.maxHeld ? `, sockets held (max) ${r.flood.maxHeld}, closes ${JSON.stringify(r.flood.closeCodes)}` : ""}${r.flood.joined !== undefined ? `, joined ${r.flood.joined}` : ""}${r.flood.joinRefused ? ` (join refused: ${JSON.stringify(r.flood.joinRefused)})` : ""}`
        : "";
      console.log(
        `${r.phase.padEnd(14)} ${String(r.n).padStart(4)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(7)} ${r.max.toFixed(1).padStart(7)}  ${f}`,
      );
    }
    console.log(JSON.stringify(rows));
  } finally {
    await server?.stop();
  }
}

if (process.argv.includes("--child")) {
  process.once("message", (/** @type {any} */ m) => {
    runFlood(m).then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
} else {
  await main();
  process.exit(0);
}
