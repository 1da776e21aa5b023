#!/usr/bin/env node
/**
 * `npm run chaos [-- --rounds 20 --rate 50 --players 20 --shards K --port P]`: crash the runtime
 * while people trade, and prove nothing acknowledged is lost or doubled.
 *
 * 1. Starts `wrangler dev` on a fresh --persist-to directory, creates an open market and
 *    joins the players. Each player sends orders at a steady pace (together --rate per
 *    second: market and limit, buys and sells), each with its own clientOrderId.
 * 2. Five feed clients (one anonymous, four players) watch the WebSocket and reconnect
 *    with capped exponential backoff whenever it drops.
 * 3. Each round, at a random moment, SIGKILLs the workerd process itself (not a polite
 *    shutdown), then its wrangler parent, and starts both again on the same directory.
 *    Clients keep every unanswered order and send it again, with the same clientOrderId,
 *    until it gets a definitive answer (the contract: the same id returns the first
 *    result and never executes twice).
 * 4. Afterwards it checks, for every player: each acknowledged order exists, no order
 *    exists that was not acknowledged (nothing twice), cash, reservations and positions
 *    equal a replay of the player's own fills from the starting cash, and the feed's seq
 *    never went backwards. It measures how long each feed client took to get a fresh
 *    snapshot after each kill.
 *
 * Prints a summary, then every figure as one JSON object on the last line. Exits 1 when
 * anything was lost, doubled, unresolved or out of balance, or seq went backwards.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { parse } from "csv-parse/sync";
import { descendants, flag } from "./cli.mjs";
import { ensureModernNode, localBin, root, wranglerDevEnv } from "./node.mjs";

ensureModernNode();

// ------------------------------------------------------------------ settings

const ROUNDS = Number(flag("rounds", 20));
const RATE = Number(flag("rate", 50));
const PLAYERS = Number(flag("players", 20));
const PORT = Number(flag("port", 18700 + Math.floor(Math.random() * 1000)));
const KEEP = Boolean(flag("keep", false));
/** Broadcast shards for the market's feed (0: the market holds its sockets itself). */
const SHARDS = Number(flag("shards", 0));
/** Trading time between kills, uniformly at random in this range (ms). */
const TRADE_MS = [Number(flag("min-trade-ms", 1500)), Number(flag("max-trade-ms", 4500))];
/** After the last round, trade a little more, then wait at most this long for every order to settle. */
const SETTLE_TIMEOUT_MS = 90_000;
/** The target of the issue: a connected client is back on a fresh screen within 10 s. */
const RECONNECT_TARGET_MS = 10_000;
const WATCHERS = 5;
const STARTING_CASH = 100_000;
const TICK_MS = 1000;

if (!(ROUNDS >= 1 && RATE > 0 && PLAYERS >= 2 && PLAYERS <= 200)) {
  console.error("usage: npm run chaos -- [--rounds N] [--rate ORDERS_PER_SEC] [--players N] [--port P]");
  process.exit(2);
}

const ADMIN = `chaos-admin-${randomBytes(9).toString("base64url")}`;
const JWT_SECRET = randomBytes(32).toString("base64url");
const BASE = `http://127.0.0.1:${PORT}`;
const persistDir = mkdtempSync(join(tmpdir(), "marketflow-chaos-"));
const logPath = join(persistDir, "wrangler.log");
const serverLog = createWriteStream(logPath, { flags: "a" });
const t0 = Date.now();
const log = (...a) => console.error(`[chaos ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rand = (a, b) => a + Math.random() * (b - a);
const randInt = (a, b) => Math.floor(rand(a, b + 1));

// ------------------------------------------------------------------ the runtime

let server = null; // { proc, pid }

function startServer() {
  // A [assets] directory must exist before wrangler starts; the API needs nothing in it.
  if (!existsSync(join(root, "web", "dist"))) mkdirSync(join(root, "web", "dist"), { recursive: true });
  const proc = spawn(
    localBin("wrangler"),
    [
      "dev",
      "--port",
      String(PORT),
      "--ip",
      "127.0.0.1",
      "--inspector-port",
      String(PORT + 1),
      "--local",
      "--persist-to",
      persistDir,
      "--var",
      `ADMIN_TOKEN:${ADMIN}`,
      "--var",
      `JWT_SECRET:${JWT_SECRET}`,
      "--show-interactive-dev-session=false",
    ],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...wranglerDevEnv({ ADMIN_TOKEN: ADMIN, JWT_SECRET }), CI: "1" },
    },
  );
  proc.stdout.pipe(serverLog, { end: false });
  proc.stderr.pipe(serverLog, { end: false });
  server = { proc, pid: proc.pid };
  return server;
}

async function waitReady(timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`${BASE}/api/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return Date.now();
    } catch {
      // not up yet
    }
    await sleep(50);
  }
  throw new Error(`the server did not come up within ${timeoutMs} ms (see ${logPath})`);
}

/**
 * The crash: SIGKILL to workerd itself first (what an OOM kill or a power cut does to the
 * runtime), then to wrangler and anything else it had started. Returns the kill time.
 */
async function killHard() {
  const { proc, pid } = server;
  const tree = descendants(pid);
  const runtimes = tree.filter((p) => p.comm.startsWith("workerd"));
  if (runtimes.length === 0) throw new Error("no workerd process found under wrangler");
  const killedAt = Date.now();
  for (const p of runtimes) safeKill(p.pid);
  safeKill(pid);
  for (const p of tree) safeKill(p.pid);
  await new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once("exit", r)));
  // Make sure the port is free before the next start.
  for (let i = 0; i < 100 && descendants(pid).length > 0; i++) await sleep(20);
  server = null;
  return { killedAt, workerd: runtimes.map((p) => p.pid) };
}

function safeKill(pid) {
  try {
    process.kill(pid, "SIGKILL");
  } catch {
    // already gone
  }
}

// ------------------------------------------------------------------ HTTP

/**
 * @param {string} method
 * @param {string} path
 * @param {{ token?: string, body?: unknown, timeoutMs?: number }} [options]
 */
async function call(method, path, { token, body, timeoutMs = 5000 } = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // CSV or an empty body
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Retries through a restart: for setup and verification calls only. */
async function callSteady(method, path, opts = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await call(method, path, opts);
      if (res.status === 429) {
        await sleep(1000 * Number(res.headers.get("Retry-After") ?? 1));
        continue;
      }
      if (res.status < 500 || attempt >= 20) return res;
    } catch (err) {
      if (attempt >= 20) throw err;
    }
    await sleep(Math.min(2000, 100 * 2 ** attempt));
  }
}

// ------------------------------------------------------------------ figures

const stats = {
  sent: 0, // distinct orders the clients created
  attempts: 0,
  acknowledged: 0,
  refused: 0,
  refusedCodes: {},
  networkErrors: 0,
  serverErrors: 0,
  rateLimited: 0,
  retriedAfterFailure: 0, // orders that needed more than one attempt
  replayedAcks: 0, // a retry answered 200 with the first order: it had executed before the crash
};
const bump = (obj, key) => (obj[key] = (obj[key] ?? 0) + 1);

// ------------------------------------------------------------------ players

const SYMBOLS = [
  { symbol: "ALFA", name: "Alfa Corp", price: 120, volatility: 0.05, liquidity: 50000 },
  { symbol: "BRVO", name: "Bravo Ltd", price: 45.5, volatility: 0.08, liquidity: 40000 },
  { symbol: "CHRL", name: "Charlie Inc", price: 12.25, volatility: 0.1, liquidity: 80000 },
];
const lastPrice = new Map(SYMBOLS.map((s) => [s.symbol, s.price]));

class Player {
  constructor(name, token, id) {
    this.name = name;
    this.token = token;
    this.id = id;
    this.n = 0;
    /** clientOrderId -> { body, status: "pending" | "acked" | "refused", orderId, attempts, code } */
    this.orders = new Map();
    this.retry = []; // clientOrderIds waiting for a definitive answer, oldest first
    this.held = new Map(); // what the client believes it holds (to send sensible sells)
  }

  nextOrder() {
    this.n += 1;
    const sym = SYMBOLS[randInt(0, SYMBOLS.length - 1)].symbol;
    const price = lastPrice.get(sym);
    const holds = (this.held.get(sym) ?? 0) > 3;
    const roll = Math.random();
    const clientOrderId = `${this.id}-${this.n}`;
    if (roll < 0.35 || (!holds && roll < 0.55))
      return { clientOrderId, symbol: sym, side: "buy", type: "market", qty: randInt(1, 5) };
    if (roll < 0.55) return { clientOrderId, symbol: sym, side: "sell", type: "market", qty: randInt(1, 3) };
    const cents = (x) => Math.max(0.01, Math.round(x * 100) / 100);
    if (roll < 0.8 || !holds)
      return {
        clientOrderId,
        symbol: sym,
        side: "buy",
        type: "limit",
        qty: randInt(1, 5),
        limitPrice: cents(price * rand(0.99, 1.003)),
      };
    return {
      clientOrderId,
      symbol: sym,
      side: "sell",
      type: "limit",
      qty: randInt(1, 3),
      limitPrice: cents(price * rand(0.997, 1.01)),
    };
  }

  /** One attempt at one order. Returns the ms to wait before this player's next request. */
  async attempt(clientOrderId, code) {
    const rec = this.orders.get(clientOrderId);
    rec.attempts += 1;
    stats.attempts += 1;
    let res;
    try {
      res = await call("POST", `/api/markets/${code}/orders`, { token: this.token, body: rec.body });
    } catch {
      stats.networkErrors += 1;
      return this.keepForRetry(clientOrderId, rec);
    }
    if (res.status === 201 || res.status === 200) {
      rec.status = "acked";
      rec.orderId = res.json.order.id;
      rec.ackStatus = res.status;
      stats.acknowledged += 1;
      if (rec.attempts > 1) stats.retriedAfterFailure += 1;
      if (res.status === 200) stats.replayedAcks += 1;
      const o = res.json.order;
      if (o.filledQty > 0)
        this.held.set(o.symbol, (this.held.get(o.symbol) ?? 0) + (o.side === "buy" ? o.filledQty : -o.filledQty));
      this.dropRetry(clientOrderId);
      return 0;
    }
    if (res.status === 429) {
      stats.rateLimited += 1;
      this.keepForRetry(clientOrderId, rec);
      return 1000 * Number(res.headers.get("Retry-After") ?? 1);
    }
    if (res.status >= 500) {
      stats.serverErrors += 1;
      return this.keepForRetry(clientOrderId, rec);
    }
    // A definitive refusal (funds, shares, limits): nothing executed, nothing to retry.
    rec.status = "refused";
    rec.code = res.json?.error?.code ?? String(res.status);
    stats.refused += 1;
    bump(stats.refusedCodes, rec.code);
    this.dropRetry(clientOrderId);
    return 0;
  }

  keepForRetry(clientOrderId, rec) {
    if (!this.retry.includes(clientOrderId)) this.retry.push(clientOrderId);
    // Capped exponential backoff with jitter, as a phone would do.
    return Math.min(2000, 100 * 2 ** Math.min(rec.attempts, 5)) * rand(0.5, 1);
  }

  dropRetry(clientOrderId) {
    const i = this.retry.indexOf(clientOrderId);
    if (i >= 0) this.retry.splice(i, 1);
  }

  /** The trading loop: unanswered orders first (same clientOrderId), then new ones at the pace. */
  async run(code, shouldTrade, isStopped) {
    const interval = (1000 * PLAYERS) / RATE;
    await sleep(rand(0, interval));
    while (!isStopped()) {
      if (this.retry.length > 0) {
        const wait = await this.attempt(this.retry[0], code);
        await sleep(wait);
        continue;
      }
      if (!shouldTrade()) {
        await sleep(50);
        continue;
      }
      const body = this.nextOrder();
      this.orders.set(body.clientOrderId, { body, status: "pending", orderId: null, attempts: 0 });
      stats.sent += 1;
      const started = Date.now();
      const wait = await this.attempt(body.clientOrderId, code);
      await sleep(Math.max(wait, interval * rand(0.8, 1.2) - (Date.now() - started)));
    }
  }
}

// ------------------------------------------------------------------ feed clients

class Watcher {
  constructor(label, code, token) {
    this.label = label;
    this.url = `ws://127.0.0.1:${PORT}/api/markets/${code}/ws${token ? `?token=${encodeURIComponent(token)}` : ""}`;
    this.seq = null; // last seq seen
    this.maxSeq = -1;
    this.backwards = []; // { from, to }
    this.gaps = 0;
    this.snapshots = []; // times of snapshots
    this.ticks = []; // times of ticks
    this.closes = {};
    this.stopped = false;
    this.failures = 0;
  }

  start() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.on("open", () => (this.failures = 0));
    ws.on("message", (data) => this.onMessage(String(data)));
    ws.on("error", () => {});
    ws.on("close", (code) => {
      bump(this.closes, code);
      if (this.stopped) return;
      this.failures += 1;
      // Capped exponential backoff with jitter: 100 ms, 200 ms ... 2 s.
      const wait = Math.min(2000, 100 * 2 ** Math.min(this.failures - 1, 5)) * rand(0.5, 1);
      setTimeout(() => this.start(), wait);
    });
  }

  onMessage(text) {
    if (text === "pong") return;
    const m = JSON.parse(text);
    if (m.type === "snapshot") {
      if (m.seq < this.maxSeq) this.backwards.push({ from: this.maxSeq, to: m.seq });
      this.seq = m.seq;
      this.maxSeq = Math.max(this.maxSeq, m.seq);
      this.snapshots.push({ at: Date.now(), seq: m.seq });
      for (const s of m.symbols ?? []) lastPrice.set(s.symbol, s.price);
      return;
    }
    if (m.type === "tick" || m.type === "news" || m.type === "status") {
      if (this.seq !== null && m.seq !== this.seq + 1) {
        if (m.seq <= this.seq) this.backwards.push({ from: this.seq, to: m.seq });
        else this.gaps += 1;
        // What a real client does on a gap: ask for a fresh snapshot.
        try {
          this.ws.send(JSON.stringify({ type: "resync" }));
        } catch {
          // closing
        }
      }
      this.seq = m.seq;
      this.maxSeq = Math.max(this.maxSeq, m.seq);
      if (m.type === "tick") {
        this.ticks.push(Date.now());
        for (const p of m.prices) lastPrice.set(p.symbol, p.price);
      }
    }
  }

  /** When the first tick at or after `t` arrived, or null. */
  tickAfter(t) {
    return this.ticks.find((x) => x >= t) ?? null;
  }

  /** The first snapshot received at or after `t`, or null. */
  snapshotAfter(t) {
    return this.snapshots.find((s) => s.at >= t) ?? null;
  }

  stop() {
    this.stopped = true;
    try {
      this.ws.close(1000, "done");
    } catch {
      // closed
    }
  }
}

// ------------------------------------------------------------------ verification

const parseCsv = (text) => parse(text);

const toCents = (x) => Math.round(x * 100);

async function verifyPlayer(code, p, fillsCsvByPlayer) {
  const problems = [];
  const notes = [];
  const pf = (await callSteady("GET", `/api/markets/${code}/portfolio`, { token: p.token })).json;
  const open = (await callSteady("GET", `/api/markets/${code}/orders?status=open`, { token: p.token })).json.orders;
  const all = (await callSteady("GET", `/api/markets/${code}/orders?status=all`, { token: p.token })).json.orders;
  const fills = [];
  let before = null;
  do {
    const page = (
      await callSteady("GET", `/api/markets/${code}/fills?limit=500${before ? `&before=${before}` : ""}`, {
        token: p.token,
      })
    ).json;
    fills.push(...page.fills);
    before = page.next;
  } while (before);

  const acked = new Map(); // orderId -> clientOrderId
  for (const [cid, rec] of p.orders) {
    if (rec.status === "pending") problems.push(`${p.name}: ${cid} never got a definitive answer`);
    if (rec.status !== "acked") continue;
    if (acked.has(rec.orderId))
      problems.push(
        `${p.name}: order ${rec.orderId} acknowledged for two clientOrderIds (${acked.get(rec.orderId)}, ${cid})`,
      );
    acked.set(rec.orderId, cid);
  }

  // Every order the market holds for this player. The full list is capped by the market
  // (200 newest); fills and open orders cover every order we send (we never cancel, and
  // market orders fill at once), so together they are complete even past the cap.
  const capped = all.length >= 200;
  if (capped) notes.push("capped");
  const known = new Map();
  for (const o of all) known.set(o.id, o.clientOrderId);
  for (const o of open) known.set(o.id, o.clientOrderId);
  const csvOrders = fillsCsvByPlayer.get(p.name) ?? new Set();
  for (const f of fills) if (!known.has(f.orderId)) known.set(f.orderId, null);
  for (const id of csvOrders) if (!known.has(id)) known.set(id, null);

  let lost = 0;
  let duplicated = 0;
  for (const [orderId, cid] of acked) {
    if (!known.has(orderId)) {
      lost += 1;
      problems.push(`${p.name}: acknowledged order ${orderId} (${cid}) is missing`);
    } else if (known.get(orderId) !== null && known.get(orderId) !== cid) {
      problems.push(`${p.name}: order ${orderId} carries ${known.get(orderId)}, acknowledged as ${cid}`);
    }
  }
  for (const [orderId, cid] of known) {
    if (!acked.has(orderId)) {
      duplicated += 1;
      problems.push(`${p.name}: order ${orderId} (${cid ?? "no client id seen"}) exists but was never acknowledged`);
    }
  }
  const seenCids = new Map();
  for (const o of all) {
    if (seenCids.has(o.clientOrderId)) {
      duplicated += 1;
      problems.push(
        `${p.name}: clientOrderId ${o.clientOrderId} appears on ${seenCids.get(o.clientOrderId)} and ${o.id}`,
      );
    }
    seenCids.set(o.clientOrderId, o.id);
  }
  // The fills in the CSV export and the player's own fills list agree.
  const ownFillOrders = new Set(fills.map((f) => f.orderId));
  for (const id of csvOrders)
    if (!ownFillOrders.has(id)) problems.push(`${p.name}: the CSV has a fill of ${id} that the player's fills do not`);

  // Replay the fills from the starting cash.
  let cash = toCents(STARTING_CASH);
  const qty = new Map();
  for (const f of fills) {
    const value = f.qty * toCents(f.price);
    if (f.side === "buy") cash -= value + toCents(f.fee);
    else cash += value - toCents(f.fee);
    qty.set(f.symbol, (qty.get(f.symbol) ?? 0) + (f.side === "buy" ? f.qty : -f.qty));
  }
  // Fees are 0 in this market, so a resting buy reserves exactly its limit per share.
  const reserved = open
    .filter((o) => o.side === "buy")
    .reduce((s, o) => s + (o.qty - o.filledQty) * toCents(o.limitPrice), 0);
  if (toCents(pf.reserved) !== reserved)
    problems.push(`${p.name}: reserved ${pf.reserved} but open buys hold ${reserved / 100}`);
  if (toCents(pf.cash) !== cash - reserved)
    problems.push(`${p.name}: cash ${pf.cash} but the fills say ${(cash - reserved) / 100}`);
  const positions = new Map(pf.positions.map((x) => [x.symbol, x]));
  for (const sym of new Set([...qty.keys(), ...positions.keys()])) {
    const want = qty.get(sym) ?? 0;
    const have = positions.get(sym)?.qty ?? 0;
    if (want !== have) problems.push(`${p.name}: ${sym} position ${have} but the fills say ${want}`);
    if (have < 0) problems.push(`${p.name}: negative position in ${sym}`);
  }
  const reservedShares = new Map();
  for (const o of open)
    if (o.side === "sell") reservedShares.set(o.symbol, (reservedShares.get(o.symbol) ?? 0) + o.qty - o.filledQty);
  for (const [sym, pos] of positions) {
    if ((reservedShares.get(sym) ?? 0) !== pos.reservedQty)
      problems.push(
        `${p.name}: ${sym} reserves ${pos.reservedQty} shares, open sells hold ${reservedShares.get(sym) ?? 0}`,
      );
  }
  if (pf.cash < 0) problems.push(`${p.name}: negative cash`);

  return { problems, notes, lost, duplicated, orders: known.size, acked: acked.size, fills: fills.length };
}

/** The same clientOrderId again must answer 200 with the first order, never run again. */
async function verifyIdempotency(code, players, perPlayer = 8) {
  const problems = [];
  let checked = 0;
  await Promise.all(
    players.map(async (p) => {
      const acked = [...p.orders.values()].filter((r) => r.status === "acked");
      // Those retried through a crash first, then a random sample of the rest.
      const sample = [
        ...acked.filter((r) => r.attempts > 1),
        ...acked.filter((r) => r.attempts === 1).sort(() => Math.random() - 0.5),
      ].slice(0, perPlayer);
      for (const rec of sample) {
        const res = await callSteady("POST", `/api/markets/${code}/orders`, { token: p.token, body: rec.body });
        checked += 1;
        if (res.status !== 200 || res.json?.order?.id !== rec.orderId)
          problems.push(
            `${p.name}: ${rec.body.clientOrderId} again answered ${res.status} ${res.json?.order?.id ?? res.text.slice(0, 80)}, first was ${rec.orderId}`,
          );
      }
    }),
  );
  return { problems, checked };
}

function percentile(values, q) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

// ------------------------------------------------------------------ the run

async function main() {
  log(`persisting to ${persistDir}; wrangler log at ${logPath}`);
  log(
    `${ROUNDS} rounds, ${PLAYERS} players, ${RATE} orders/s, ${SHARDS > 1 ? `${SHARDS} broadcast shards` : "sockets on the market"}, port ${PORT}`,
  );
  startServer();
  const firstReady = await waitReady(120_000);
  log(`server up in ${((firstReady - t0) / 1000).toFixed(1)} s`);

  const code = `CHAOS${randomBytes(3).toString("hex").toUpperCase()}`.slice(0, 12);
  const created = await callSteady("POST", "/api/markets", {
    token: ADMIN,
    body: { code, name: "Chaos market", startingCash: STARTING_CASH, tickMs: TICK_MS, seed: 7, symbols: SYMBOLS },
  });
  if (created.status !== 201) throw new Error(`create failed: ${created.status} ${created.text}`);
  if (SHARDS > 0) {
    const feed = await callSteady("PUT", `/api/markets/${code}/feed`, {
      token: ADMIN,
      body: { broadcastShards: SHARDS },
    });
    if (feed.status !== 200) throw new Error(`feed shards failed: ${feed.status} ${feed.text}`);
  }
  const opened = await callSteady("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } });
  if (opened.status !== 200) throw new Error(`open failed: ${opened.status} ${opened.text}`);
  const players = [];
  for (let i = 0; i < PLAYERS; i++) {
    const res = await callSteady("POST", `/api/markets/${code}/join`, {
      body: { name: `Trader ${String(i + 1).padStart(2, "0")}` },
    });
    if (res.status !== 201) throw new Error(`join failed: ${res.status} ${res.text}`);
    players.push(new Player(res.json.player.name, res.json.token, res.json.player.id));
  }
  log(`market ${code} open with ${players.length} players`);

  const watchers = [
    new Watcher("public", code, null),
    ...players.slice(0, WATCHERS - 1).map((p) => new Watcher(p.name, code, p.token)),
  ];
  for (const w of watchers) w.start();

  let trading = true;
  let stopped = false;
  const loops = players.map((p) =>
    p.run(
      code,
      () => trading,
      () => stopped,
    ),
  );

  const rounds = [];
  for (let r = 1; r <= ROUNDS; r++) {
    await sleep(rand(TRADE_MS[0], TRADE_MS[1]));
    const ackedBefore = stats.acknowledged;
    const { killedAt, workerd } = await killHard();
    // Down for a moment, as a crashed process would be before its supervisor restarts it.
    await sleep(rand(0, 500));
    const startedAt = Date.now();
    startServer();
    const readyAt = await waitReady();
    // Every feed client must be back on a fresh snapshot.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && watchers.some((w) => w.snapshotAfter(killedAt) === null)) await sleep(20);
    const backAt = watchers.map((w) => w.snapshotAfter(killedAt)?.at ?? null);
    // The heartbeat survives the crash: the alarm fires again on the restarted runtime.
    const tickDeadline = Date.now() + 10 * TICK_MS;
    while (Date.now() < tickDeadline && watchers[0].tickAfter(readyAt) === null) await sleep(20);
    const tickAt = watchers[0].tickAfter(readyAt);
    const round = {
      round: r,
      workerd,
      downMs: readyAt - killedAt,
      restartMs: readyAt - startedAt,
      reconnectFromKillMs: backAt.map((t) => (t === null ? null : t - killedAt)),
      reconnectFromReadyMs: backAt.map((t) => (t === null ? null : Math.max(0, t - readyAt))),
      firstTickAfterReadyMs: tickAt === null ? null : tickAt - readyAt,
      ackedSoFar: stats.acknowledged,
      ackedThisRound: stats.acknowledged - ackedBefore,
    };
    rounds.push(round);
    const worst = Math.max(...round.reconnectFromKillMs.map((x) => x ?? Infinity));
    log(
      `round ${r}/${ROUNDS}: killed workerd ${workerd.join(",")}; back up in ${(round.downMs / 1000).toFixed(1)} s; ` +
        `feeds fresh after ${(worst / 1000).toFixed(1)} s (from kill); ${stats.acknowledged} acknowledged so far`,
    );
  }

  // Trade a little more on a healthy server, then let every unanswered order settle.
  await sleep(2000);
  trading = false;
  const settleUntil = Date.now() + SETTLE_TIMEOUT_MS;
  while (Date.now() < settleUntil && players.some((p) => p.retry.length > 0)) await sleep(100);
  stopped = true;
  await Promise.all(loops);
  // One more tick so resting orders that became marketable have had their chance, then
  // the books are still; the verification reads them.
  trading = false;
  await sleep(TICK_MS * 1.5);
  const marketSeq = (await callSteady("GET", `/api/markets/${code}`)).json.seq;
  for (const w of watchers) w.stop();

  // Pause the market so the books stop moving while we read them (ticks fill limit orders).
  await callSteady("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "pause" } });
  const csv = parseCsv((await callSteady("GET", `/api/markets/${code}/export/fills.csv`, { token: ADMIN })).text);
  const fillsCsvByPlayer = new Map();
  for (const row of csv.slice(1)) {
    if (row.length < 3) continue;
    if (!fillsCsvByPlayer.has(row[2])) fillsCsvByPlayer.set(row[2], new Set());
    fillsCsvByPlayer.get(row[2]).add(row[1]);
  }
  const results = [];
  for (const p of players) results.push(await verifyPlayer(code, p, fillsCsvByPlayer));
  const idem = await verifyIdempotency(code, players);

  const problems = [...results.flatMap((r) => r.problems), ...idem.problems];
  const backwards = watchers.flatMap((w) => w.backwards.map((b) => ({ watcher: w.label, ...b })));
  for (const b of backwards) problems.push(`${b.watcher}: seq went back from ${b.from} to ${b.to}`);
  const fromKill = rounds.flatMap((r) => r.reconnectFromKillMs);
  const fromReady = rounds.flatMap((r) => r.reconnectFromReadyMs);
  const missingReconnects = fromKill.filter((x) => x === null).length;
  if (missingReconnects > 0) problems.push(`${missingReconnects} feed reconnects never got a snapshot within 30 s`);
  const valid = (xs) => xs.filter((x) => x !== null);
  const noTick = rounds.filter((r) => r.firstTickAfterReadyMs === null).length;
  if (noTick > 0) problems.push(`${noTick} restarts were not followed by a tick within ${10 * TICK_MS} ms`);
  const tickResume = valid(rounds.map((r) => r.firstTickAfterReadyMs));

  const summary = {
    rounds: ROUNDS,
    players: PLAYERS,
    rate: RATE,
    shards: SHARDS,
    durationS: Math.round((Date.now() - t0) / 1000),
    ordersSent: stats.sent,
    attempts: stats.attempts,
    acknowledged: stats.acknowledged,
    refused: stats.refused,
    refusedCodes: stats.refusedCodes,
    unresolved: players.reduce((s, p) => s + p.retry.length, 0),
    lost: results.reduce((s, r) => s + r.lost, 0),
    duplicated: results.reduce((s, r) => s + r.duplicated, 0),
    ordersInMarket: results.reduce((s, r) => s + r.orders, 0),
    fills: results.reduce((s, r) => s + r.fills, 0),
    retriedThroughCrash: stats.retriedAfterFailure,
    replayedAcks: stats.replayedAcks,
    networkErrors: stats.networkErrors,
    serverErrors: stats.serverErrors,
    rateLimited: stats.rateLimited,
    idempotencyChecked: idem.checked,
    ledgerMismatches: results.reduce((s, r) => s + r.problems.filter((x) => /cash|reserve|position/.test(x)).length, 0),
    seqBackwards: backwards.length,
    seqGaps: watchers.reduce((s, w) => s + w.gaps, 0),
    finalSeq: marketSeq,
    restartMs: {
      p50: percentile(
        rounds.map((r) => r.restartMs),
        0.5,
      ),
      max: Math.max(...rounds.map((r) => r.restartMs)),
    },
    reconnectFromKillMs: {
      p50: percentile(valid(fromKill), 0.5),
      p95: percentile(valid(fromKill), 0.95),
      max: Math.max(...valid(fromKill)),
    },
    reconnectFromReadyMs: {
      p50: percentile(valid(fromReady), 0.5),
      p95: percentile(valid(fromReady), 0.95),
      max: Math.max(...valid(fromReady)),
    },
    firstTickAfterRestartMs: {
      p50: percentile(tickResume, 0.5),
      max: tickResume.length ? Math.max(...tickResume) : null,
      missing: noTick,
    },
    reconnectsOverTarget: valid(fromKill).filter((x) => x > RECONNECT_TARGET_MS).length,
    problems: problems.length,
    ok: problems.length === 0,
  };

  console.log("");
  console.log(
    `MarketFlow chaos: ${ROUNDS} hard kills (SIGKILL to workerd) while ${PLAYERS} players traded at ${RATE} orders/s`,
  );
  console.log(`  orders created           ${summary.ordersSent} (${summary.attempts} attempts)`);
  console.log(
    `  acknowledged             ${summary.acknowledged}   refused ${summary.refused} ${JSON.stringify(summary.refusedCodes)}`,
  );
  console.log(
    `  retried through a crash  ${summary.retriedThroughCrash} (of which ${summary.replayedAcks} had executed before the crash and answered 200 with the first order)`,
  );
  console.log(`  lost                     ${summary.lost}`);
  console.log(`  duplicated               ${summary.duplicated}`);
  console.log(`  unresolved               ${summary.unresolved}`);
  console.log(
    `  ledger mismatches        ${summary.ledgerMismatches} (cash, reservations, positions vs a replay of fills; ${summary.fills} fills)`,
  );
  console.log(`  idempotency re-checks    ${summary.idempotencyChecked}`);
  console.log(
    `  seq backwards            ${summary.seqBackwards}   gaps ${summary.seqGaps}   final seq ${summary.finalSeq}`,
  );
  console.log(`  restart (spawn to ready) p50 ${summary.restartMs.p50} ms, max ${summary.restartMs.max} ms`);
  console.log(
    `  fresh snapshot after kill p50 ${summary.reconnectFromKillMs.p50} ms, p95 ${summary.reconnectFromKillMs.p95} ms, max ${summary.reconnectFromKillMs.max} ms (target < ${RECONNECT_TARGET_MS} ms; ${summary.reconnectsOverTarget} over)`,
  );
  console.log(
    `  ... once the server answers p50 ${summary.reconnectFromReadyMs.p50} ms, p95 ${summary.reconnectFromReadyMs.p95} ms, max ${summary.reconnectFromReadyMs.max} ms`,
  );
  console.log(
    `  first tick after restart p50 ${summary.firstTickAfterRestartMs.p50} ms, max ${summary.firstTickAfterRestartMs.max} ms (${noTick} restarts without one)`,
  );
  console.log(
    `  network errors ${summary.networkErrors}, 5xx ${summary.serverErrors}, 429 ${summary.rateLimited} (all retried)`,
  );
  const cappedPlayers = results.filter((r) => r.notes.includes("capped")).length;
  if (cappedPlayers > 0)
    console.log(
      `  note: for ${cappedPlayers} players GET orders?status=all hit its cap of 200; their orders were matched through fills, open orders and the fills CSV instead`,
    );
  for (const p of problems.slice(0, 30)) console.log(`  PROBLEM: ${p}`);
  console.log(
    summary.ok
      ? "  OK: nothing lost, nothing doubled, every ledger balances, seq never went back"
      : `  FAILED: ${problems.length} problems`,
  );
  console.log(JSON.stringify(summary));
  return summary.ok;
}

let ok = false;
try {
  ok = await main();
} catch (err) {
  console.error(err);
  console.error(`(wrangler log: ${logPath})`);
} finally {
  if (server) await killHard().catch(() => {});
  serverLog.end();
  if (!KEEP && ok) rmSync(persistDir, { recursive: true, force: true });
  else console.error(`state kept in ${persistDir}`);
}
process.exit(ok ? 0 : 1);
