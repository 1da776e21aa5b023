/**
 * One load-generating process, forked by bench/load.mjs. Two roles:
 *
 * - "sockets": opens WebSockets for its share of the players (by token) and anonymous
 *   viewers, each with its own CF-Connecting-IP so the per-IP limit on anonymous routes
 *   sees many clients, as it would in a hall full of phones. For every public message it
 *   checks `seq` continuity; for every tick it records lag = receipt time - the server's
 *   tick time `t` (same machine, same clock).
 * - "orders": places market orders over REST at a fixed rate, open loop (a slow answer
 *   does not slow the schedule), spread round-robin over its traders so each stays under
 *   the per-player order limit; records acknowledgement latency and errors by code.
 *
 * Talks to the parent with process.send: "ready" (connect phase done), "result" (at stop).
 * Latencies go into 1 ms buckets (exact to the millisecond, constant memory).
 */
import http from "node:http";
import WebSocket from "ws";

const HIST_MS = 120_000;

class Histogram {
  constructor() {
    this.buckets = new Uint32Array(HIST_MS + 1);
    this.count = 0;
    this.max = 0;
  }
  add(ms) {
    const v = Math.max(0, Math.min(HIST_MS, Math.round(ms)));
    this.buckets[v] += 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }
  /** Sparse form for the parent: [[ms, count], ...]. */
  toJSON() {
    const sparse = [];
    for (let i = 0; i <= HIST_MS; i++) if (this.buckets[i]) sparse.push([i, this.buckets[i]]);
    return { sparse, count: this.count, max: this.max };
  }
}

let opts;
const stats = {
  role: "",
  attempted: 0,
  connected: 0,
  connectFailed: 0,
  connectErrors: {},
  dropped: 0,
  dropCodes: {},
  ticks: 0,
  publicMessages: 0,
  privateMessages: 0,
  seqGaps: 0,
  missedMessages: 0,
  lag: new Histogram(),
  orders: { sent: 0, ok: 0, errors: {}, firstAt: 0, lastAt: 0 },
  ack: new Histogram(),
};
const sockets = [];
let measuring = false;
let stopping = false;

const TICK_RE = /^\{"type":"(tick|news|status)","seq":(\d+)(?:,"t":(\d+))?/;

function watch(ws, _label) {
  const s = { seq: -1, open: false };
  ws.on("message", (data) => {
    const text = data.toString();
    const m = TICK_RE.exec(text);
    let type, seq, t;
    if (m) {
      type = m[1];
      seq = Number(m[2]);
      t = m[3] ? Number(m[3]) : undefined;
    } else {
      let msg;
      try {
        msg = JSON.parse(text);
      } catch {
        return;
      }
      type = msg.type;
      if (type === "snapshot") {
        s.seq = msg.seq;
        return;
      }
      if (type === "fill" || type === "error") {
        stats.privateMessages += 1;
        return;
      }
      seq = msg.seq;
      t = msg.t;
    }
    if (seq === undefined) return;
    if (!measuring) {
      s.seq = seq;
      return;
    }
    stats.publicMessages += 1;
    if (s.seq >= 0 && seq !== s.seq + 1) {
      if (seq > s.seq + 1) {
        stats.seqGaps += 1;
        stats.missedMessages += seq - s.seq - 1;
      } else stats.seqGaps += 1; // a repeat or a step back is a discontinuity too
    }
    s.seq = seq;
    if (type === "tick" && t !== undefined) {
      stats.ticks += 1;
      stats.lag.add(Date.now() - t);
    }
  });
  ws.on("close", (code) => {
    if (s.open && !stopping) {
      stats.dropped += 1;
      stats.dropCodes[code] = (stats.dropCodes[code] ?? 0) + 1;
    }
    s.open = false;
  });
  ws.on("error", () => {});
  return s;
}

function connectOne(url, ip) {
  return new Promise((resolve) => {
    stats.attempted += 1;
    const ws = new WebSocket(url, {
      headers: { "CF-Connecting-IP": ip },
      perMessageDeflate: false,
      handshakeTimeout: 60_000,
    });
    const s = watch(ws);
    let done = false;
    ws.once("open", () => {
      done = true;
      s.open = true;
      stats.connected += 1;
      sockets.push(ws);
      resolve();
    });
    ws.once("error", (err) => {
      if (done) return;
      done = true;
      stats.connectFailed += 1;
      const key = String(/** @type {NodeJS.ErrnoException} */ (err).code ?? err.message).slice(0, 60);
      stats.connectErrors[key] = (stats.connectErrors[key] ?? 0) + 1;
      resolve();
    });
  });
}

async function runSockets() {
  // Each player's feed URL is the process that holds the player's group (bench/load.mjs).
  const feed = (url) => url.replace(/^http/, "ws") + `/api/markets/${opts.code}/ws`;
  const targets = [
    ...opts.targets.map((t) => `${feed(t.url)}?token=${encodeURIComponent(t.token)}`),
    ...Array.from({ length: opts.viewers }, () => feed(opts.viewerUrl)),
  ];
  let next = 0;
  const worker = async () => {
    while (next < targets.length && !stopping) {
      const i = next++;
      const n = opts.ipOffset + i;
      await connectOne(targets[i], `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
    }
  };
  // Bounded concurrency: the runtime's accept queue and our own event loop stay sane.
  await Promise.all(Array.from({ length: Math.min(opts.connectConcurrency, targets.length) }, worker));
}

async function runOrders() {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets });
  const u = new URL(opts.url);
  const traders = opts.traders;
  const symbols = opts.symbols;
  const holdings = traders.map(() => new Map());
  // Paced every millisecond: many independent phones send one at a time, not in bursts.
  // (A 10 ms timer put ten requests into the runtime's queue at once and the tenth waited
  // for the other nine: ~5 ms on every p50 that no real client would see.)
  const PACE_MS = 1;
  const perTick = (opts.ordersPerSec * PACE_MS) / 1000;
  let owed = 0;
  let k = 0;
  const start = Date.now();
  stats.orders.firstAt = start;
  const post = (traderIndex) => {
    const trader = traders[traderIndex];
    const held = holdings[traderIndex];
    const symbol = symbols[(k * 7 + traderIndex) % symbols.length];
    const have = held.get(symbol) ?? 0;
    // Buy, then sell what was bought: cash and shares stay bounded, rejections stay rare.
    const side = have > 0 ? "sell" : "buy";
    const qty = side === "sell" ? have : 1 + (k % 5);
    const body = JSON.stringify({ clientOrderId: `b${opts.index}-${k}`, symbol, side, qty, type: "market" });
    k += 1;
    if (side === "buy") held.set(symbol, qty);
    else held.set(symbol, 0);
    const sentAt = performance.now();
    stats.orders.sent += 1;
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        path: `/api/markets/${opts.code}/orders`,
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          authorization: `Bearer ${trader.token}`,
          "CF-Connecting-IP": trader.ip,
        },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const ms = performance.now() - sentAt;
          if (measuring) stats.ack.add(ms);
          stats.orders.lastAt = Date.now();
          if (res.statusCode === 201 || res.statusCode === 200) stats.orders.ok += 1;
          else {
            let code = `HTTP_${res.statusCode}`;
            try {
              code = JSON.parse(Buffer.concat(chunks).toString()).error.code ?? code;
            } catch {}
            stats.orders.errors[code] = (stats.orders.errors[code] ?? 0) + 1;
            if (side === "buy") held.set(symbol, 0);
          }
        });
      },
    );
    req.on("error", (err) => {
      const code = `NET_${/** @type {NodeJS.ErrnoException} */ (err).code ?? "ERR"}`;
      stats.orders.errors[code] = (stats.orders.errors[code] ?? 0) + 1;
    });
    req.end(body);
  };
  let traderCursor = 0;
  const deadline = start + opts.durationMs;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      if (stopping || Date.now() >= deadline) {
        clearInterval(timer);
        resolve();
        return;
      }
      // Catch up on whatever the timer was late by, so the rate is the rate asked for.
      const due = ((Date.now() - start) / 1000) * opts.ordersPerSec;
      owed = due - stats.orders.sent;
      for (let i = 0; i < owed && i < Math.max(1, perTick * 20); i++) {
        post(traderCursor);
        traderCursor = (traderCursor + 1) % traders.length;
      }
    }, PACE_MS);
  });
  // Let the answers in flight arrive (bounded).
  const waitUntil = Date.now() + 5000;
  while (
    Date.now() < waitUntil &&
    stats.orders.ok + Object.values(stats.orders.errors).reduce((a, b) => a + b, 0) < stats.orders.sent
  )
    await new Promise((r) => setTimeout(r, 50));
  agent.destroy();
}

function result() {
  return {
    ...stats,
    lag: stats.lag.toJSON(),
    ack: stats.ack.toJSON(),
    open: sockets.filter((w) => w.readyState === WebSocket.OPEN).length,
  };
}

process.on("message", async (/** @type {any} */ msg) => {
  if (msg.type === "start") {
    opts = msg.opts;
    stats.role = opts.role;
    if (opts.role === "sockets") {
      await runSockets();
      process.send({
        type: "ready",
        connected: stats.connected,
        failed: stats.connectFailed,
        errors: stats.connectErrors,
      });
    } else {
      process.send({ type: "ready" });
    }
  } else if (msg.type === "measure") {
    measuring = true;
    if (opts.role === "orders") {
      await runOrders();
      process.send({ type: "ordersDone" });
    }
  } else if (msg.type === "stop") {
    measuring = false;
    stopping = true;
    process.send({ type: "result", result: result() });
    for (const ws of sockets) ws.terminate();
    setTimeout(() => process.exit(0), 200);
  }
});
// Never outlive the parent.
process.on("disconnect", () => process.exit(0));
