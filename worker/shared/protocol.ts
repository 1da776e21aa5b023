/**
 * The MarketFlow wire protocol (shared/API.md), imported by the Worker and the web app.
 *
 * What clients send is described by zod schemas: the Worker validates every request
 * with them and the OpenAPI document is generated from them, so the contract and the
 * code cannot drift. What the server sends is described by plain TypeScript types.
 * Money and prices on the wire are decimal numbers with at most 2 decimals.
 */
import { z } from "zod";

// ---------------------------------------------------------------- primitives

export const MARKET_CODE_RE = /^[A-Z0-9]{4,12}$/;
export const SYMBOL_RE = /^[A-Z]{1,8}$/;

/** Bodies larger than this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

/** A market code; URLs are case-insensitive, so it is upper-cased before the check. */
export const MarketCode = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(MARKET_CODE_RE, "4-12 characters A-Z or 0-9"));

export const Symbol = z
  .string()
  .trim()
  .transform((s) => s.toUpperCase())
  .pipe(z.string().regex(SYMBOL_RE, "1-8 letters A-Z"));

/** True when `n` has at most two decimals (tolerating binary floating-point noise). */
export function hasAtMostTwoDecimals(n: number): boolean {
  return Math.abs(n * 100 - Math.round(n * 100)) < 1e-6;
}

/** A positive amount of money, at most 2 decimals, below ten billion. */
export const Money = z
  .number()
  .finite()
  .positive()
  .max(1e10)
  .refine(hasAtMostTwoDecimals, "at most 2 decimals");

export const Quantity = z.number().int("a whole number of shares").positive().max(1_000_000_000);

/** Free text shown to people: trimmed, no control characters. */
const text = (min: number, max: number) =>
  z
    .string()
    .trim()
    .min(min)
    .max(max)
    // Control characters would let a nickname or headline break layouts and CSV rows.
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "no control characters");

// ---------------------------------------------------------------- organiser input

export const MarketRulesInput = z
  .object({
    /** Largest quantity in one order. */
    maxOrderQty: z.number().int().positive().max(1_000_000_000).optional(),
    /** Most open limit orders one player may have. */
    maxOpenOrders: z.number().int().positive().max(1000).optional(),
    /** Limit prices further than this fraction from the current price are refused. */
    limitPriceBand: z.number().positive().max(10).optional(),
    /** Fee per fill as a fraction of its value (0.001 = 0.1%). */
    feeRate: z.number().min(0).max(0.1).optional(),
    /** Whether positions may go below zero (off by default). */
    allowShort: z.boolean().optional(),
    /** Circuit breaker: a move beyond this fraction within the window halts the symbol. */
    haltBand: z.number().positive().max(10).optional(),
    haltWindowTicks: z.number().int().positive().max(1000).optional(),
    haltTicks: z.number().int().positive().max(10_000).optional(),
    /** Price impact strength (lambda in DESIGN.md). */
    impact: z.number().min(0).max(1).optional(),
    /** Mean reversion per tick towards the fundamental (theta in DESIGN.md). */
    reversion: z.number().min(0).max(1).optional(),
    /** Half the bid/ask spread as a fraction of the price. */
    halfSpread: z.number().min(0).max(0.1).optional(),
    /** Order rate limit per player per second (used when Redis limits are on). */
    ordersPerSecond: z.number().int().positive().max(1000).optional(),
    /** Most players who may join (absent: no cap); a join beyond it is 409 MARKET_FULL. */
    maxPlayers: z.number().int().positive().max(1_000_000).optional(),
  })
  .strict();
export type MarketRulesInput = z.infer<typeof MarketRulesInput>;

export const SymbolInput = z
  .object({
    symbol: Symbol,
    name: text(1, 64),
    price: Money,
    /** Typical move over 10 minutes, e.g. 0.05. */
    volatility: z.number().min(0).max(2).optional(),
    /** Shares that move the price by about `impact` (square-root impact). */
    liquidity: z.number().positive().max(1e12).optional(),
    sector: text(1, 32).optional(),
  })
  .strict();
export type SymbolInput = z.infer<typeof SymbolInput>;

export const CreateMarketInput = z
  .object({
    code: MarketCode.optional(),
    name: text(1, 80),
    startingCash: Money,
    tickMs: z.number().int().min(250).max(60_000).optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
    rules: MarketRulesInput.optional(),
    symbols: z
      .array(SymbolInput)
      .min(1)
      .max(50)
      .refine((list) => new Set(list.map((s) => s.symbol)).size === list.length, "symbols must be unique"),
  })
  .strict();
export type CreateMarketInput = z.infer<typeof CreateMarketInput>;

export const ControlAction = z.enum(["open", "pause", "resume", "close"]);
export type ControlAction = z.infer<typeof ControlAction>;
export const ControlInput = z.object({ action: ControlAction }).strict();

export const NewsImpactInput = z
  .object({
    symbol: Symbol,
    /** Fractional move: 0.08 = +8%. */
    move: z.number().min(-0.9).max(5),
    /** Ticks over which the move is spread (front-loaded); 1 = at once. */
    ticks: z.number().int().min(1).max(1000).optional(),
  })
  .strict();
export type NewsImpactInput = z.infer<typeof NewsImpactInput>;

export const NewsInput = z
  .object({
    headline: text(1, 140),
    body: text(0, 2000).optional(),
    impacts: z.array(NewsImpactInput).max(50),
    /** ISO 8601 time or epoch milliseconds; absent or past = publish now. */
    publishAt: z.union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()]).optional(),
  })
  .strict();
export type NewsInput = z.infer<typeof NewsInput>;

/** Most broadcast shards one market's feed may use: each costs the market one RPC per tick. */
export const MAX_BROADCAST_SHARDS = 64;
export const FeedInput = z.object({ broadcastShards: z.number().int().min(0).max(MAX_BROADCAST_SHARDS) }).strict();

// ---------------------------------------------------------------- player input

export const JoinInput = z.object({ name: text(1, 24) }).strict();

export const OrderSide = z.enum(["buy", "sell"]);
export type OrderSide = z.infer<typeof OrderSide>;
export const OrderType = z.enum(["market", "limit"]);
export type OrderType = z.infer<typeof OrderType>;

export const OrderInput = z
  .object({
    clientOrderId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_\-:.]+$/, "letters, digits and _-:."),
    symbol: Symbol,
    side: OrderSide,
    qty: Quantity,
    type: OrderType,
    limitPrice: Money.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.type === "limit" && o.limitPrice === undefined)
      ctx.addIssue({ code: "custom", path: ["limitPrice"], message: "required for a limit order" });
    if (o.type === "market" && o.limitPrice !== undefined)
      ctx.addIssue({ code: "custom", path: ["limitPrice"], message: "only for a limit order" });
  });
export type OrderInput = z.infer<typeof OrderInput>;

export const OrdersQuery = z.object({
  status: z.enum(["open", "all"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  /** Cursor from a previous page's `next`: orders placed before this one. */
  before: z.string().max(64).optional(),
});
export const FillsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: z.string().max(64).optional(),
});
export const LeaderboardQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).optional() });
export const CandleInterval = z.enum(["tick", "1m", "5m", "15m", "1h"]);
export type CandleInterval = z.infer<typeof CandleInterval>;
/** Bucket length of each interval; "tick" (0) means one candle per tick. */
export const CANDLE_INTERVAL_MS: Record<CandleInterval, number> = {
  tick: 0,
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
};
export const CandlesQuery = z.object({
  interval: CandleInterval.optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
});

// ---------------------------------------------------------------- server output

export type MarketStatus = "lobby" | "open" | "paused" | "closed";
export type OrderStatus = "filled" | "open" | "partially_filled" | "cancelled" | "rejected";

export interface MarketRules {
  maxOrderQty: number;
  maxOpenOrders: number;
  limitPriceBand: number;
  feeRate: number;
  allowShort: boolean;
  haltBand: number;
  haltWindowTicks: number;
  haltTicks: number;
  impact: number;
  reversion: number;
  halfSpread: number;
  ordersPerSecond: number;
  /** Absent: anyone may join. */
  maxPlayers?: number;
}

export interface MarketInfo {
  code: string;
  name: string;
  status: MarketStatus;
  tickMs: number;
  startingCash: number;
  createdAt: number;
  players?: number;
  rules?: MarketRules;
}

export interface SymbolQuote {
  symbol: string;
  name: string;
  sector: string;
  price: number;
  bid: number;
  ask: number;
  open: number;
  high: number;
  low: number;
  change: number;
  /** change / open, as a fraction. */
  changePct: number;
  volume: number;
  halted: boolean;
  /** When a halted symbol resumes by itself (epoch ms), null otherwise (or halted by hand). */
  haltedUntil: number | null;
  /** Shares for which the square-root impact equals `rules.impact`: lets clients estimate a fill. */
  liquidity: number;
  volatility: number;
}

export interface NewsImpact {
  symbol: string;
  move: number;
  ticks: number;
}

export interface NewsItem {
  id: string;
  headline: string;
  body: string;
  impacts: NewsImpact[];
  /** Publication time (epoch ms); for a scheduled item, when it will publish. */
  t: number;
  status: "scheduled" | "published" | "cancelled";
}

export interface Leader {
  rank: number;
  name: string;
  netWorth: number;
  /** Return since the start in percent, two decimals: 12.5 = +12.5%. */
  returnPct: number;
}

export interface Position {
  symbol: string;
  qty: number;
  /** Shares held for open sell orders (part of qty). */
  reservedQty: number;
  avgCost: number;
  price: number;
  value: number;
  pnl: number;
}

export interface Portfolio {
  cash: number;
  reserved: number;
  positions: Position[];
  netWorth: number;
  rank: number;
  startingCash: number;
}

export interface Order {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  qty: number;
  limitPrice: number | null;
  status: OrderStatus;
  filledQty: number;
  avgPrice: number | null;
  createdAt: number;
}

export interface Fill {
  id: string;
  orderId: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  price: number;
  fee: number;
  t: number;
}

export interface Candle {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
}

export interface PlayerSummary {
  id: string;
  name: string;
  cash: number;
  netWorth: number;
  rank: number;
  /** In percent, like the leaderboard's. */
  returnPct: number;
}

export interface MarketSnapshot {
  market: MarketInfo;
  seq: number;
  symbols: SymbolQuote[];
  news: NewsItem[];
  leaders: Leader[];
}

export type ApiErrorCode =
  | "VALIDATION"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CODE_TAKEN"
  | "NAME_TAKEN"
  | "MARKET_FULL"
  | "MARKET_NOT_OPEN"
  | "SYMBOL_HALTED"
  | "ORDER_NOT_OPEN"
  | "PAYLOAD_TOO_LARGE"
  | "INSUFFICIENT_FUNDS"
  | "INSUFFICIENT_SHARES"
  | "ORDER_LIMIT"
  | "RATE_LIMITED"
  | "INTERNAL";

export interface ApiErrorBody {
  error: { code: ApiErrorCode; message: string; details?: unknown };
}

// ---------------------------------------------------------------- WebSocket

/** Protocol version carried in every snapshot. */
export const PROTOCOL_VERSION = 1;

export interface TickPrice {
  symbol: string;
  price: number;
  bid: number;
  ask: number;
  volume: number;
  change: number;
}

export type ServerMessage =
  | ({ type: "snapshot"; v: number; portfolio?: Portfolio; playerId?: string } & MarketSnapshot)
  | { type: "tick"; seq: number; t: number; tick: number; prices: TickPrice[]; leaders: Leader[] }
  | { type: "news"; seq: number; news: NewsItem }
  | { type: "status"; seq: number; status: MarketStatus; halted: string[]; haltedUntil: Record<string, number> }
  /** Before the market opens (no ticks yet): who has joined, at most every 2 s (or tick). */
  | { type: "lobby"; seq: number; players: number; leaders: Leader[] }
  | { type: "fill"; order: Order; portfolio: Portfolio }
  | { type: "error"; code: string; message: string };

/** What a client may send as JSON (besides the bare text `ping`). */
export const ClientMessage = z.discriminatedUnion("type", [z.object({ type: z.literal("resync") }).strict()]);
export type ClientMessage = z.infer<typeof ClientMessage>;

/** WebSocket close codes for rejections (4000-4999, DESIGN.md). */
export const CloseCode = {
  unauthorized: 4001,
  forbidden: 4003,
  notFound: 4004,
  tooManyMessages: 4008,
  marketClosed: 4009,
  tooManySockets: 4029,
  /** More sockets held at once than one player or one address may hold in a market (the reason says which). */
  socketCap: 4030,
  /** The standard "service restart": reconnect (sent when the feed's groups change in the lobby). */
  serviceRestart: 1012,
} as const;
