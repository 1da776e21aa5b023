/**
 * The live feed's rules as a pure function: the screen's market data and one server
 * message in, the next market data and what should happen because of it out. No
 * sockets, timers or Solid here, so the rules are tested in Node
 * (test/unit/web/feedReducer.test.ts).
 *
 * The seq rule: every public message (tick, news, status, lobby) carries seq = previous
 * + 1. A duplicate is dropped; a gap means something was missed, so the state is left as
 * it was and a `resync` effect asks the server for a fresh snapshot, and public messages
 * are ignored until it arrives (it already includes them). Every (re)connect starts by
 * waiting for a snapshot too (`awaitSnapshot`).
 *
 * The input is never modified: every change makes new objects, so the Solid binding can
 * diff the result into its store.
 */
import type {
  Leader,
  MarketInfo,
  NewsItem,
  Order,
  Portfolio,
  ServerMessage,
  SymbolQuote,
  TeamStanding,
} from "../../../worker/shared/messages";

/** Prices kept per symbol for sparklines. */
export const SPARK_POINTS = 60;
/** News items kept, newest first. */
export const NEWS_KEPT = 50;

/** What the screens show, as the feed knows it. */
export interface FeedData {
  market: MarketInfo | null;
  seq: number;
  tick: number;
  lastTickAt: number;
  symbols: SymbolQuote[];
  news: NewsItem[];
  leaders: Leader[];
  /** The team leaderboard (empty in a market without teams). */
  teams: TeamStanding[];
  portfolio: Portfolio | null;
  playerId: string | null;
  /** Recent prices per symbol for sparklines. */
  spark: Record<string, number[]>;
  /** Snapshots applied so far (1 after the first connect; more after resyncs). */
  snapshots: number;
}

export interface FeedModel {
  data: FeedData;
  /** Public messages are ignored until a snapshot arrives. */
  awaitingSnapshot: boolean;
  /** Position of each symbol in `data.symbols`. */
  index: ReadonlyMap<string, number>;
}

/** What components can listen to, with what they receive. */
export interface FeedEvents {
  snapshot: void;
  tick: Extract<ServerMessage, { type: "tick" }>;
  news: NewsItem;
  status: Extract<ServerMessage, { type: "status" }>;
  lobby: Extract<ServerMessage, { type: "lobby" }>;
  market: MarketInfo;
  fill: { order: Order; portfolio: Portfolio };
  error: { code: string; message: string };
  /** The organiser renamed this player. */
  renamed: { name: string };
}

export type FeedEmit = {
  [K in keyof FeedEvents]: { type: "emit"; event: K; payload: FeedEvents[K] };
}[keyof FeedEvents];

/** Effects, in the order they should happen after the new state is in place. */
export type FeedEffect =
  /** A seq gap: ask the server for a fresh snapshot. */
  | { type: "resync" }
  /** A snapshot was applied: the connection is live and in step. */
  | { type: "synced" }
  | FeedEmit;

export interface FeedStep {
  model: FeedModel;
  effects: FeedEffect[];
}

export function initialFeedModel(): FeedModel {
  return {
    data: {
      market: null,
      seq: 0,
      tick: 0,
      lastTickAt: 0,
      symbols: [],
      news: [],
      leaders: [],
      teams: [],
      portfolio: null,
      playerId: null,
      spark: {},
      snapshots: 0,
    },
    awaitingSnapshot: true,
    index: new Map(),
  };
}

/** A new socket, or a resync asked for: ignore public messages until the next snapshot. */
export function awaitSnapshot(model: FeedModel): FeedModel {
  return model.awaitingSnapshot ? model : { ...model, awaitingSnapshot: true };
}

/** The portfolio from a REST answer (orders, cancels, refreshes). */
export function withPortfolio(model: FeedModel, portfolio: Portfolio): FeedModel {
  return { ...model, data: { ...model.data, portfolio } };
}

const emit = <K extends keyof FeedEvents>(event: K, payload: FeedEvents[K]) =>
  ({ type: "emit", event, payload }) as FeedEmit;

export function reduceFeed(model: FeedModel, msg: ServerMessage): FeedStep {
  switch (msg.type) {
    case "snapshot":
      return { model: applySnapshot(model, msg), effects: [{ type: "synced" }, emit("snapshot", undefined)] };
    case "tick":
    case "news":
    case "status":
    case "lobby":
    case "market": {
      if (model.awaitingSnapshot) return { model, effects: [] }; // the coming snapshot already includes it
      if (msg.seq <= model.data.seq) return { model, effects: [] }; // a duplicate
      if (msg.seq !== model.data.seq + 1) return { model: awaitSnapshot(model), effects: [{ type: "resync" }] };
      return applyPublic(model, msg);
    }
    case "fill":
      return {
        model: withPortfolio(model, msg.portfolio),
        effects: [emit("fill", { order: msg.order, portfolio: msg.portfolio })],
      };
    case "error":
      return { model, effects: [emit("error", { code: msg.code, message: msg.message })] };
    case "renamed":
      return { model, effects: [emit("renamed", { name: msg.name })] };
    default: {
      const never: never = msg;
      return never;
    }
  }
}

type PublicMessage = Extract<ServerMessage, { type: "tick" | "news" | "status" | "lobby" | "market" }>;

function applyPublic(model: FeedModel, msg: PublicMessage): FeedStep {
  let data: FeedData;
  let event: FeedEmit;
  if (msg.type === "tick") {
    data = applyTick(model.data, model.index, msg);
    event = emit("tick", msg);
  } else if (msg.type === "news") {
    data = {
      ...model.data,
      news: [msg.news, ...model.data.news.filter((n) => n.id !== msg.news.id)].slice(0, NEWS_KEPT),
    };
    event = emit("news", msg.news);
  } else if (msg.type === "lobby") {
    // Before the market opens: the number of players and the first of them.
    const market = model.data.market && { ...model.data.market, players: msg.players };
    data = { ...model.data, market, leaders: msg.leaders, teams: msg.teams ?? model.data.teams };
    event = emit("lobby", msg);
  } else if (msg.type === "market") {
    // New settings: what the rules sheet and the ticket's estimates read.
    data = { ...model.data, market: { ...model.data.market, ...msg.market } };
    event = emit("market", msg.market);
  } else {
    data = applyStatus(model.data, msg);
    event = emit("status", msg);
  }
  return { model: { ...model, data: { ...data, seq: msg.seq } }, effects: [event] };
}

function applySnapshot(model: FeedModel, msg: Extract<ServerMessage, { type: "snapshot" }>): FeedModel {
  const spark = { ...model.data.spark };
  for (const s of msg.symbols) {
    const prev = spark[s.symbol];
    spark[s.symbol] = prev?.length ? [...prev, s.price].slice(-SPARK_POINTS) : [s.open, s.price];
  }
  return {
    awaitingSnapshot: false,
    index: new Map(msg.symbols.map((s, i) => [s.symbol, i])),
    data: {
      ...model.data,
      market: msg.market,
      symbols: msg.symbols,
      news: msg.news,
      leaders: msg.leaders ?? [],
      teams: msg.teams ?? [],
      portfolio: msg.portfolio ?? model.data.portfolio,
      playerId: msg.playerId ?? model.data.playerId,
      spark,
      seq: msg.seq,
      snapshots: model.data.snapshots + 1,
    },
  };
}

function applyTick(
  data: FeedData,
  index: ReadonlyMap<string, number>,
  msg: Extract<ServerMessage, { type: "tick" }>,
): FeedData {
  const symbols = [...data.symbols];
  const spark = { ...data.spark };
  for (const p of msg.prices) {
    const i = index.get(p.symbol);
    if (i === undefined) continue;
    const q = symbols[i];
    symbols[i] = {
      ...q,
      price: p.price,
      bid: p.bid,
      ask: p.ask,
      volume: p.volume,
      change: p.change,
      changePct: q.open ? p.change / q.open : 0,
      high: p.price > q.high ? p.price : q.high,
      low: p.price < q.low ? p.price : q.low,
    };
    const sp = spark[p.symbol] ?? [];
    spark[p.symbol] = sp.length >= SPARK_POINTS ? [...sp.slice(1), p.price] : [...sp, p.price];
  }
  return {
    ...data,
    symbols,
    spark,
    tick: msg.tick,
    lastTickAt: msg.t,
    leaders: msg.leaders ?? data.leaders,
    teams: msg.teams ?? data.teams,
    portfolio: data.portfolio && revalue(data.portfolio, symbols, index),
  };
}

function applyStatus(data: FeedData, msg: Extract<ServerMessage, { type: "status" }>): FeedData {
  const halted = new Set(msg.halted);
  return {
    ...data,
    // The session rides on every status message (scheduled, moved, its duration set at the open).
    market: data.market && { ...data.market, status: msg.status, ...(msg.session ? { session: msg.session } : {}) },
    symbols: data.symbols.map((q) => {
      const isHalted = halted.has(q.symbol);
      return { ...q, halted: isHalted, haltedUntil: isHalted ? (msg.haltedUntil?.[q.symbol] ?? null) : null };
    }),
  };
}

/** Value positions at the latest prices so net worth moves with every tick. */
function revalue(p: Portfolio, symbols: SymbolQuote[], index: ReadonlyMap<string, number>): Portfolio {
  let held = 0;
  const positions = p.positions.map((pos) => {
    const i = index.get(pos.symbol);
    let next = pos;
    if (i !== undefined) {
      const price = symbols[i].price;
      next = {
        ...pos,
        price,
        value: Math.round(pos.qty * price * 100) / 100,
        pnl: Math.round((price - pos.avgCost) * pos.qty * 100) / 100,
      };
    }
    held += Math.round(next.value * 100);
    return next;
  });
  return { ...p, positions, netWorth: (Math.round(p.cash * 100) + Math.round(p.reserved * 100) + held) / 100 };
}
