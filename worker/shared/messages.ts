/**
 * What the MarketFlow server sends and the constants both sides share (shared/API.md):
 * plain TypeScript types and values with no dependencies, so the web app can import any
 * of it without pulling a validation library into the player's bundle.
 *
 * What clients send is validated by the zod schemas in protocol.ts, which re-exports
 * this module for the Worker's convenience. Money and prices on the wire are decimal
 * numbers with at most 2 decimals.
 */

// ---------------------------------------------------------------- shared constants

export const MARKET_CODE_RE = /^[A-Z0-9]{4,12}$/;
export const SYMBOL_RE = /^[A-Z]{1,8}$/;

/** Bodies larger than this are refused with 413 before they are parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Candle intervals a client may ask for (the `interval` query of the candles endpoints). */
export type CandleInterval = "tick" | "1m" | "5m" | "15m" | "1h";
/** Bucket length of each interval; "tick" (0) means one candle per tick. */
export const CANDLE_INTERVAL_MS: Record<CandleInterval, number> = {
  tick: 0,
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
};

// ---------------------------------------------------------------- server output

export type MarketStatus = "lobby" | "open" | "paused" | "closed";
export type OrderSide = "buy" | "sell";
export type OrderType = "market" | "limit" | "stop" | "stop_limit";
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
  /** Whether players may still join once trading has started. */
  lateEntry: boolean;
  /** How money is shown (an ISO 4217 code of MARKET_CURRENCIES); absent: USD. */
  currency?: MarketCurrency;
  /** How numbers are grouped and written (a locale of MARKET_LOCALES); absent: the currency's default. */
  locale?: MarketLocale;
}

// ---------------------------------------------------------------- money and number format

/** The currencies a market may show its money in. Amounts are the same numbers; only the display differs. */
export const MARKET_CURRENCIES = ["USD", "INR", "EUR", "GBP"] as const;
export type MarketCurrency = (typeof MARKET_CURRENCIES)[number];
/** Number formats (BCP 47 locales) a market may use: en-IN groups 1,00,000.00, de-DE writes 1.234,56. */
export const MARKET_LOCALES = ["en-US", "en-IN", "en-GB", "en-IE", "de-DE", "fr-FR", "es-ES"] as const;
export type MarketLocale = (typeof MARKET_LOCALES)[number];
/** The number format a currency gets when the market names none. */
export const DEFAULT_LOCALE_OF: Record<MarketCurrency, MarketLocale> = {
  USD: "en-US",
  INR: "en-IN",
  EUR: "de-DE",
  GBP: "en-GB",
};

// ---------------------------------------------------------------- teams

/** How players get a team: they pick one when they join, or the market gives the smallest one. */
export type TeamAssign = "choose" | "auto";
export interface TeamsConfig {
  names: string[];
  assign: TeamAssign;
}
/** Most teams a market may have, and the longest team name. */
export const MAX_TEAMS = 20;
export const TEAM_NAME_MAX = 24;

/** One row of the team leaderboard: the average return of its members. */
export interface TeamStanding {
  rank: number;
  team: string;
  members: number;
  /** Average of the members' returns, in percent with two decimals (like Leader.returnPct); 0 with no members. */
  returnPct: number;
}

// ---------------------------------------------------------------- moderation

/** The organiser's name rules for one market (GET/PUT /api/markets/:code/moderation). */
export interface ModerationSettings {
  /** Names nobody may join or be renamed as, nor any name that looks like one of them. */
  blockedNames: string[];
  /** Words that may not appear in a name (matched on the folded name, ignoring spaces and punctuation). */
  bannedWords: string[];
}

/**
 * A timed session: when the market opens and closes by itself. Every field null = the
 * organiser opens and closes it by hand. `durationMs` without `closesAt` (in the lobby)
 * means "close this long after the open"; at the open it becomes `closesAt`.
 */
export interface MarketSession {
  /** When the market opens by itself (epoch ms); after the open, when it opened. */
  opensAt: number | null;
  /** When it closes by itself (epoch ms). */
  closesAt: number | null;
  /** Trading time from the open, when the close was set as a duration. */
  durationMs: number | null;
}

/** Shortest and longest timed session, and how far ahead an open may be scheduled. */
export const SESSION_MIN_MS = 10_000;
export const SESSION_MAX_MS = 7 * 24 * 3600_000;
export const SESSION_OPEN_AHEAD_MAX_MS = 30 * 24 * 3600_000;

export interface MarketInfo {
  code: string;
  name: string;
  status: MarketStatus;
  tickMs: number;
  startingCash: number;
  createdAt: number;
  players?: number;
  rules?: MarketRules;
  /** The timed session (an extension of API.md; every field null when none is set). */
  session?: MarketSession;
  /** Present when the market has teams: their names and how players get one. */
  teams?: TeamsConfig;
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
  /**
   * Publication time (epoch ms); for a scheduled item, when it will publish. For a script
   * item still waiting for the open (or for the market to resume), when it would publish
   * if trading started (resumed) now.
   */
  t: number;
  status: "scheduled" | "published" | "cancelled";
  /** A script item: published this many ms of trading after the open (pauses hold it). */
  afterOpenMs?: number;
}

export interface Leader {
  rank: number;
  name: string;
  netWorth: number;
  /** Return since the start in percent, two decimals: 12.5 = +12.5%. */
  returnPct: number;
  /** The player's team, in a market with teams. */
  team?: string;
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
  /** Stop and stop-limit orders: the last price that triggers them (null for other types). */
  stopPrice?: number | null;
  /** When a stop order triggered; null while it waits (and for other types). */
  triggeredAt?: number | null;
  /** Why a triggered stop was refused by the order rules (status "rejected"). */
  rejectReason?: string | null;
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
  team?: string;
}

export interface MarketSnapshot {
  market: MarketInfo;
  seq: number;
  symbols: SymbolQuote[];
  news: NewsItem[];
  leaders: Leader[];
  /** The team leaderboard, in a market with teams. */
  teams?: TeamStanding[];
}

/** One trade on a results screen; `gain` is what it earned by the close (engine/results.ts). */
export interface TradeHighlight {
  symbol: string;
  side: OrderSide;
  qty: number;
  price: number;
  /** price x qty. */
  value: number;
  t: number;
  /** Set on the room's biggest trade. */
  player?: string;
  /** Set on a player's best and worst trade. */
  gain?: number;
}

/** The room's end-of-game screen (GET /api/markets/:code/results): final once `status` is closed. */
export interface MarketResults {
  status: MarketStatus;
  players: number;
  /** The top ten, best first (the first three are the podium). */
  leaders: Leader[];
  biggestTrade: TradeHighlight | null;
  bestStock: { symbol: string; name: string; open: number; last: number; changePct: number } | null;
}

/** A player's own result (GET /api/markets/:code/me/result). */
export interface PlayerResult {
  name: string;
  rank: number;
  players: number;
  netWorth: number;
  startingCash: number;
  /** In percent, like the leaderboard's. */
  returnPct: number;
  trades: number;
  bestTrade: TradeHighlight | null;
  worstTrade: TradeHighlight | null;
  /** Net worth through the game, at most ~120 points, the last at the latest tick. */
  netWorthSeries: { t: number; netWorth: number }[];
}

export type ApiErrorCode =
  | "VALIDATION"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CODE_TAKEN"
  | "NAME_TAKEN"
  | "NAME_BLOCKED"
  | "NAME_NOT_ALLOWED"
  | "TEAM_IN_USE"
  | "MARKET_FULL"
  | "MARKET_NOT_OPEN"
  | "SYMBOL_HALTED"
  | "ORDER_NOT_OPEN"
  | "IDEMPOTENCY_MISMATCH"
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
  | {
      type: "tick";
      seq: number;
      t: number;
      tick: number;
      prices: TickPrice[];
      leaders: Leader[];
      teams?: TeamStanding[];
    }
  | { type: "news"; seq: number; news: NewsItem }
  | {
      type: "status";
      seq: number;
      status: MarketStatus;
      halted: string[];
      haltedUntil: Record<string, number>;
      /** The timed session as of this change (an extension: sent on every status message). */
      session?: MarketSession;
      /** Server time of the change (epoch ms), so clients can correct their countdowns. */
      t?: number;
    }
  /** Before the market opens (no ticks yet): who has joined, at most every 2 s (or tick). */
  | { type: "lobby"; seq: number; players: number; leaders: Leader[]; teams?: TeamStanding[] }
  /** To a player the organiser renamed (private, no seq): the name everyone now sees. */
  | { type: "renamed"; name: string }
  /** The organiser changed the market's settings (name, starting cash, tick, rules). */
  | { type: "market"; seq: number; market: MarketInfo }
  | { type: "fill"; order: Order; portfolio: Portfolio }
  | { type: "error"; code: string; message: string };

/** WebSocket close codes for rejections (4000-4999, DESIGN.md). */
export const CloseCode = {
  unauthorized: 4001,
  forbidden: 4003,
  notFound: 4004,
  tooManyMessages: 4008,
  /** A socket whose unsent share passed its bound (lib/resyncGuard.ts); it may reconnect. */
  slowConsumer: 4013,
  marketClosed: 4009,
  /** The organiser removed this player from the market; the token no longer works. */
  removed: 4010,
  tooManySockets: 4029,
  /** More sockets held at once than one player or one address may hold in a market (the reason says which). */
  socketCap: 4030,
  /** The standard "service restart": reconnect (sent when the feed's groups change in the lobby). */
  serviceRestart: 1012,
} as const;
