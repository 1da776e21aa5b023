/**
 * Engine throughput on one core: `npm run bench:engine`.
 *
 * 1. market orders/s: 1000 players, 8 symbols, random buys and sells of 1-100 shares,
 *    a tick every TICK_EVERY orders (so matching, news and ranking are in the loop).
 * 2. limit order place + cancel pairs/s (resting orders that reserve and release cash).
 * 3. ms per tick with 10,000 players (positions in every symbol, 10,000 resting orders),
 *    including the rank refresh.
 * 4. A hall joining before the bell: 10,000 joins, each ranked the way the market does it
 *    (`rankNewcomer`), against a full `refreshRanks` after every join (the old way).
 * 5. book: limit orders/s into the order book (`book.ts`), 8 symbols, prices within 50 cents
 *    of the mid so about half of them trade on arrival and the rest rest.
 * 6. auction: 10,000 orders collected over 10 symbols, then one call auction per symbol
 *    (`auction.ts`), ms per tick, with the clearing alone beside it.
 *
 * Inputs are generated before the clock starts so the figures are the engine's alone.
 * Prints a table, then the figures as one JSON line.
 */
import { loadavg } from "node:os";
import {
  applyControl,
  createMarket,
  DEFAULT_RULES,
  joinPlayer,
  placeOrder,
  cancelOrder,
  rankNewcomer,
  refreshRanks,
  stepTick,
  type MarketConfig,
  type MarketState,
  type OrderRequest,
} from "../worker/market/engine/index.ts";
import { addLimit, createBook, type Book, type Fill, type NewOrder, restOrder } from "../worker/market/engine/book.ts";
import { runAuction } from "../worker/market/engine/auction.ts";

const SYMBOLS = ["ALFA", "BRVO", "CHRL", "DLTA", "ECHO", "FXTR", "GOLF", "HOTL"];
const MARKET_ORDERS = 3_000_000;
const TICK_EVERY = 1_000;

/** A tiny LCG for the bench's own inputs (the engine's generator is not used here). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function market(players: number): MarketState {
  const config: MarketConfig = {
    code: "BENCH",
    name: "bench",
    // Plenty of cash so buys are rarely refused; the breaker is widened so no symbol halts mid-run.
    startingCash: 1_000_000_000_00,
    tickMs: 2000,
    seed: 42,
    rules: { ...DEFAULT_RULES, haltBand: 10, maxOpenOrders: 1000 },
    symbols: SYMBOLS.map((symbol) => ({
      symbol,
      name: symbol,
      sector: "bench",
      price: 10_000,
      volatility: 0.03,
      liquidity: 100_000,
    })),
  };
  const state = createMarket(config, 0);
  applyControl(state, "open", 0);
  for (let i = 0; i < players; i++) joinPlayer(state, "player" + i, 0);
  // A fixture, not trades: every player starts with shares in every symbol so sells have
  // something to sell (buying them would push the prices far from where the bench starts).
  for (const player of state.players.values())
    for (const symbol of SYMBOLS) player.positions[symbol] = { qty: 5_000, reservedQty: 0, cost: 5_000 * 10_000 };
  return state;
}

function benchMarketOrders() {
  const PLAYERS = 1000;
  const state = market(PLAYERS);
  const rnd = lcg(7);
  const POOL = 1 << 16;
  const inputs: OrderRequest[] = [];
  const who: string[] = [];
  // The pool is replayed over and over; its second half mirrors the first with the sides
  // swapped, so every player's holdings return to where they were once per pass and
  // nobody drifts into selling shares they no longer have.
  for (let i = 0; i < POOL / 2; i++) {
    inputs.push({
      clientOrderId: "c" + i,
      symbol: SYMBOLS[Math.floor(rnd() * SYMBOLS.length)],
      side: rnd() < 0.5 ? "buy" : "sell",
      type: "market",
      qty: 1 + Math.floor(rnd() * 100),
      limitPrice: null,
    });
    who.push("p" + (1 + Math.floor(rnd() * PLAYERS)));
  }
  for (let i = 0; i < POOL / 2; i++) {
    const a = inputs[i];
    inputs.push({ ...a, clientOrderId: "m" + i, side: a.side === "buy" ? "sell" : "buy" });
    who.push(who[i]);
  }
  const run = (n: number) => {
    let ok = 0;
    let now = 1;
    for (let i = 0; i < n; i++) {
      const k = i & (POOL - 1);
      if (placeOrder(state, who[k], inputs[k], now).ok) ok++;
      if (i % TICK_EVERY === TICK_EVERY - 1) stepTick(state, (now += 2000));
    }
    return ok;
  };
  run(200_000); // warm-up: let the JIT settle
  const t0 = performance.now();
  const ok = run(MARKET_ORDERS);
  const ms = performance.now() - t0;
  return { perSec: (MARKET_ORDERS / ms) * 1000, acceptedPct: (ok / MARKET_ORDERS) * 100 };
}

function benchLimitPlaceCancel() {
  const PLAYERS = 1000;
  const state = market(PLAYERS);
  const N = 1_000_000;
  const inputs: OrderRequest[] = SYMBOLS.map((symbol, i) => ({
    clientOrderId: "l" + i,
    symbol,
    side: i % 2 === 0 ? "buy" : "sell",
    type: "limit",
    qty: 10,
    // 10% away from the price: rests, never marketable.
    limitPrice: i % 2 === 0 ? 9_000 : 11_000,
  }));
  const run = (n: number) => {
    let ok = 0;
    for (let i = 0; i < n; i++) {
      const player = "p" + (1 + (i % PLAYERS));
      const r = placeOrder(state, player, inputs[i & 7], i);
      if (r.ok && cancelOrder(state, player, r.order.id, i).ok) ok++;
    }
    return ok;
  };
  run(100_000);
  const t0 = performance.now();
  const ok = run(N);
  const ms = performance.now() - t0;
  if (ok !== N) throw new Error(`only ${ok} of ${N} place+cancel pairs succeeded`);
  return { perSec: (N / ms) * 1000 };
}

function benchTick() {
  const PLAYERS = 10_000;
  const state = market(PLAYERS);
  // One resting order per player, away from the price, so matching scans a real book.
  for (let i = 1; i <= PLAYERS; i++) {
    const symbol = SYMBOLS[i % SYMBOLS.length];
    placeOrder(
      state,
      "p" + i,
      {
        clientOrderId: "r",
        symbol,
        side: i % 2 ? "buy" : "sell",
        type: "limit",
        qty: 10,
        limitPrice: i % 2 ? 8_000 : 12_000,
      },
      0,
    );
  }
  const TICKS = 200;
  for (let i = 0; i < 20; i++) stepTick(state, i);
  const t0 = performance.now();
  for (let i = 0; i < TICKS; i++) stepTick(state, 100 + i);
  const ms = (performance.now() - t0) / TICKS;
  return { msPerTick: ms, openOrders: state.openOrders.size };
}

function benchLobbyJoins() {
  const JOINS = 10_000;
  const lobby = () => {
    const state = market(0);
    state.status = "lobby"; // market() opens it; joins before the bell are the case here
    return state;
  };
  const time = (rank: (state: MarketState, player: ReturnType<typeof joinPlayer>) => void) => {
    const state = lobby();
    const t0 = performance.now();
    for (let i = 0; i < JOINS; i++) rank(state, joinPlayer(state, "player" + i, i));
    return performance.now() - t0;
  };
  const newcomerMs = time((state, r) => r.ok && rankNewcomer(state, r.player));
  const fullMs = time((state) => refreshRanks(state));
  return { joins: JOINS, newcomerMs, fullMs };
}

/** Random limit orders around a mid of $100.00, made before the clock starts. */
function limitOrders(n: number, seed: number, prefix: string): NewOrder[] {
  const rnd = lcg(seed);
  const orders: NewOrder[] = [];
  for (let i = 0; i < n; i++)
    orders.push({
      id: prefix + i,
      owner: "p" + (i % 1000),
      side: rnd() < 0.5 ? "buy" : "sell",
      price: 10_000 - 50 + Math.floor(rnd() * 101),
      qty: 1 + Math.floor(rnd() * 100),
    });
  return orders;
}

function benchBookLimits() {
  const N = 2_000_000;
  const orders = limitOrders(N, 11, "o");
  const run = (books: Book[]) => {
    const out: Fill[] = [];
    let fills = 0;
    for (let i = 0; i < N; i++) {
      addLimit(books[i & 7], orders[i], out);
      fills += out.length;
      out.length = 0; // one array reused: the market takes the fills out before the next order
    }
    return fills;
  };
  run(SYMBOLS.map(createBook)); // warm-up on its own books, so the measured run starts empty
  const books = SYMBOLS.map(createBook);
  const t0 = performance.now();
  const fills = run(books);
  const ms = performance.now() - t0;
  const resting = books.reduce((n, b) => n + b.orders.size, 0);
  return { perSec: (N / ms) * 1000, fills, resting };
}

function benchAuction() {
  const SYMS = 10;
  const PER_SYMBOL = 1_000;
  const TICKS = 200;
  // A fresh set of orders each tick (ids must be new), all made before the clock starts.
  const ticks = Array.from({ length: TICKS + 20 }, (_, t) => limitOrders(SYMS * PER_SYMBOL, 100 + t, "t" + t + "-"));
  let collectMs = 0;
  let clearMs = 0;
  let traded = 0;
  let fills = 0;
  const out: Fill[] = [];
  for (let t = 0; t < ticks.length; t++) {
    const measured = t >= 20; // the first 20 ticks warm the JIT up
    const t0 = performance.now();
    const books = Array.from({ length: SYMS }, (_, i) => createBook("S" + i));
    const orders = ticks[t];
    for (let i = 0; i < orders.length; i++) restOrder(books[i % SYMS], orders[i]);
    const t1 = performance.now();
    for (const book of books) {
      const c = runAuction(book, 10_000, out);
      if (measured && c !== null) traded += c.volume;
    }
    const t2 = performance.now();
    if (measured) {
      fills += out.length;
      collectMs += t1 - t0;
      clearMs += t2 - t1;
    }
    out.length = 0;
  }
  return {
    msPerTick: (collectMs + clearMs) / TICKS,
    clearMsPerTick: clearMs / TICKS,
    fillsPerTick: fills / TICKS,
    tradedPerTick: traded / TICKS,
  };
}

const m = benchMarketOrders();
const l = benchLimitPlaceCancel();
const t = benchTick();
const j = benchLobbyJoins();
const b = benchBookLimits();
const a = benchAuction();

const rows: [string, string, string][] = [
  [
    "market orders/s (1000 players, 8 symbols, tick every 1000)",
    Math.round(m.perSec).toLocaleString("en-US"),
    `${m.acceptedPct.toFixed(1)}% accepted`,
  ],
  ["limit place+cancel pairs/s", Math.round(l.perSec).toLocaleString("en-US"), "resting, reserve + release"],
  ["tick with rank refresh, 10,000 players (ms)", t.msPerTick.toFixed(3), `${t.openOrders} resting orders`],
  [
    "10,000 lobby joins, each ranked (ms in all)",
    j.newcomerMs.toFixed(0),
    `a full re-rank per join instead: ${j.fullMs.toFixed(0)} ms`,
  ],
  [
    "book: limit orders/s (8 symbols, within 50 cents of the mid)",
    Math.round(b.perSec).toLocaleString("en-US"),
    `${b.fills.toLocaleString("en-US")} fills, ${b.resting.toLocaleString("en-US")} left resting`,
  ],
  [
    "auction: 10,000 resting orders over 10 symbols (ms per tick)",
    a.msPerTick.toFixed(3),
    `clearing alone ${a.clearMsPerTick.toFixed(3)} ms; ${Math.round(a.fillsPerTick)} fills a tick`,
  ],
];
const w0 = Math.max(...rows.map((r) => r[0].length));
const w1 = Math.max(...rows.map((r) => r[1].length));
console.log(`${"measure".padEnd(w0)}  ${"value".padStart(w1)}  note`);
for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`);
console.log(
  JSON.stringify({
    node: process.version,
    // Figures are for one core; other work on the machine lowers them, so say how busy it was.
    loadAvg1m: Number(loadavg()[0].toFixed(2)),
    marketOrdersPerSec: Math.round(m.perSec),
    marketOrdersAcceptedPct: Number(m.acceptedPct.toFixed(2)),
    limitPlaceCancelPerSec: Math.round(l.perSec),
    tickMs10kPlayers: Number(t.msPerTick.toFixed(3)),
    lobbyJoins10kMs: { rankNewcomer: Math.round(j.newcomerMs), refreshRanksEach: Math.round(j.fullMs) },
    bookLimitOrdersPerSec: Math.round(b.perSec),
    auctionTickMs10kOrders: Number(a.msPerTick.toFixed(3)),
    auctionClearMs10kOrders: Number(a.clearMsPerTick.toFixed(3)),
    target: {
      marketOrdersPerSec: 1_000_000,
      met: m.perSec >= 1_000_000,
      bookLimitOrdersPerSec: 1_000_000,
      bookMet: b.perSec >= 1_000_000,
      auctionTickMs: 5,
      auctionMet: a.msPerTick <= 5,
    },
  }),
);
