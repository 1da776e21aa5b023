/**
 * A small MarketFlow trading bot on the typed client (client.ts): it joins a market,
 * follows the live feed by `seq` (resync on a gap, feed.ts), and for each step places a
 * limit buy a little under the price with its own `clientOrderId` and cancels it again,
 * waiting out `Retry-After` whenever the server answers 429.
 *
 *   node examples/ts/bot.ts --market DEMO [--base http://127.0.0.1:8787] [--orders 5] [--name ts-bot]
 *                           [--token TOKEN]   (a player's token from an earlier join: no new join)
 *
 * (Node 22.12-23.5 need `node --experimental-strip-types`.) It prints one JSON line of
 * what it did and exits 0, or exits 1 with the server's error.
 */
import { parseArgs } from "node:util";
import { marketFlowClient, type RetryStats, withRetry } from "./client.ts";
import { type FeedMessage, FeedFollower } from "./feed.ts";

const { values } = parseArgs({
  options: {
    base: { type: "string", default: "http://127.0.0.1:8787" },
    market: { type: "string" },
    name: { type: "string", default: `ts-bot-${Math.random().toString(36).slice(2, 6)}` },
    orders: { type: "string", default: "10" },
    token: { type: "string" },
    /** Seconds to wait for the market to open, and for the feed's first snapshot. */
    wait: { type: "string", default: "60" },
  },
});
const base = values.base.replace(/\/$/, "");
const code = values.market?.toUpperCase() ?? "";
if (!code) throw new Error("--market CODE is required");
const botName = values.name ?? "ts-bot";
const steps = Number(values.orders);
const waitMs = Number(values.wait) * 1000;
const stats: RetryStats & { placed: number; cancelled: number; refused: number; fills: number } = {
  rateLimited: 0,
  placed: 0,
  cancelled: 0,
  refused: 0,
  fills: 0,
};
const log = (...parts: unknown[]) => console.error(`[${botName}]`, ...parts);

function fail(what: string, error: unknown): never {
  console.error(`[${botName}] ${what}:`, JSON.stringify(error));
  process.exit(1);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + waitMs;
  while (!condition()) {
    if (Date.now() > deadline) fail("timed out", `waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

// --- join, or come back as the player of --token (a name is taken once per market)
async function joinMarket(): Promise<string> {
  const anonymous = marketFlowClient(base);
  const joined = await withRetry(
    () => anonymous.POST("/api/markets/{code}/join", { params: { path: { code } }, body: { name: botName } }),
    stats,
  );
  if (!joined.data) fail("join refused", joined.error);
  log(`joined ${code} as ${joined.data.player.name}`);
  return joined.data.token;
}
const token = values.token ?? (await joinMarket());
const api = marketFlowClient(base, token);

// --- the feed
const feed = new FeedFollower();
const socket = new WebSocket(
  `${base.replace(/^http/, "ws")}/api/markets/${code}/ws?token=${encodeURIComponent(token)}`,
);
socket.addEventListener("message", (event) => {
  if (event.data === "pong") return;
  const msg = JSON.parse(String(event.data)) as FeedMessage;
  const verdict = feed.receive(msg);
  if (verdict === "resync") {
    log(`gap after seq ${feed.seq}: resync`);
    socket.send(JSON.stringify({ type: "resync" }));
  }
  if (msg.type === "fill") stats.fills += 1;
  if (msg.type === "error" && "message" in msg) log(`feed error ${msg.code}: ${msg.message}`);
});
socket.addEventListener("close", (event) => {
  if (event.code !== 1000) log(`feed closed ${event.code} ${event.reason}`);
});
// A quiet socket stays open with the cheap text ping (answered without waking the market).
const heartbeat = setInterval(() => socket.readyState === WebSocket.OPEN && socket.send("ping"), 20_000);

await until(() => feed.seq !== null, "the feed's snapshot");
await until(() => feed.status === "open", "the market to open");

// --- trade: place a resting limit buy and cancel it, `steps` times
const runId = Date.now().toString(36);
for (let step = 1; step <= steps; step++) {
  const tradable = [...feed.prices.keys()].filter((s) => !feed.halted.has(s));
  if (tradable.length === 0) fail("no symbol to trade", [...feed.halted]);
  const symbol = tradable[step % tradable.length];
  const price = feed.prices.get(symbol)!;
  // 10% under the price: inside the default limit band (50%), unlikely to fill at once.
  const limitPrice = Math.max(0.01, Math.round(price * 90) / 100);
  const clientOrderId = `${botName}-${runId}-${step}`;
  // The same body on every retry: the server answers a repeat with the first order.
  const placed = await withRetry(
    () =>
      api.POST("/api/markets/{code}/orders", {
        params: { path: { code } },
        body: { clientOrderId, symbol, side: "buy", type: "limit", qty: 1, limitPrice },
      }),
    stats,
  );
  if (!placed.data) {
    stats.refused += 1;
    log(`order ${clientOrderId} refused:`, placed.error?.error.code, placed.error?.error.message);
    continue;
  }
  stats.placed += 1;
  const { order } = placed.data;
  log(`placed ${order.clientOrderId}: buy 1 ${symbol} at ${limitPrice} -> ${order.status}`);
  if (order.status !== "open" && order.status !== "partially_filled") continue;
  const cancelled = await withRetry(
    () => api.DELETE("/api/markets/{code}/orders/{id}", { params: { path: { code, id: order.id } } }),
    stats,
  );
  if (cancelled.data) stats.cancelled += 1;
  // Filled in between: the order is no longer open, nothing to undo.
  else if (cancelled.error?.error.code !== "ORDER_NOT_OPEN") fail("cancel refused", cancelled.error);
}

clearInterval(heartbeat);
socket.close(1000, "done");
console.log(JSON.stringify({ bot: botName, market: code, ...stats, seq: feed.seq, resyncs: feed.resyncs }));
