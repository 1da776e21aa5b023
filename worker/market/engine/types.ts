/**
 * Plain data of one market, as the pure engine sees it. No Workers APIs here: the
 * Durable Object loads this from SQLite, hands it to the engine functions, and writes
 * back what they report as changed.
 *
 * Units: money and prices are integer cents; quantities are whole shares; times are
 * epoch milliseconds and always passed in (the engine never reads a clock); randomness
 * comes only from `state.rng`, whose state is part of the market state.
 */
import type {
  MarketRules,
  MarketSession,
  MarketStatus,
  OrderSide,
  OrderStatus,
  OrderType,
  ModerationSettings,
  TeamsConfig,
  TeamStanding,
} from "../../shared/messages";

export type Cents = number;

export const DEFAULT_RULES: MarketRules = {
  maxOrderQty: 100_000,
  maxOpenOrders: 50,
  limitPriceBand: 0.5,
  feeRate: 0,
  allowShort: false,
  haltBand: 0.15,
  haltWindowTicks: 30,
  haltTicks: 15,
  impact: 0.01,
  reversion: 0.02,
  halfSpread: 0.001,
  ordersPerSecond: 10,
  lateEntry: true,
};

export const DEFAULT_TICK_MS = 2000;
export const DEFAULT_VOLATILITY = 0.03;
export const DEFAULT_LIQUIDITY = 10_000;

export interface SymbolConfig {
  symbol: string;
  name: string;
  sector: string;
  /** Starting price in cents. */
  price: Cents;
  /** Typical move over 10 minutes (0.05 = 5%). */
  volatility: number;
  /** Shares for which the square-root impact equals `rules.impact`. */
  liquidity: number;
}

export interface MarketConfig {
  code: string;
  name: string;
  startingCash: Cents;
  tickMs: number;
  seed: number;
  rules: MarketRules;
  symbols: SymbolConfig[];
  /** A timed session to set at creation (checked by engine/session.ts setSession). */
  session?: { opensAt?: number | null; closesAt?: number | null; durationMs?: number | null };
  /** Absent: no teams. */
  teams?: TeamsConfig;
}

/** A news impact still being spread over ticks (log-space amount left to apply). */
export interface PendingImpact {
  logLeft: number;
  ticksLeft: number;
}

export interface SymbolState extends SymbolConfig {
  /** Log of the fundamental value, in log-cents. */
  logF: number;
  /** Log of the traded price, in log-cents. */
  logP: number;
  /** Current quote, whole cents, never below 1. */
  last: Cents;
  bid: Cents;
  ask: Cents;
  /** Session statistics since the market opened. */
  open: Cents;
  high: Cents;
  low: Cents;
  volume: number;
  /** Tick at which a halted symbol resumes by itself; null = trading. Manual halts use Infinity-free sentinel -1 (resume only by hand). */
  haltedUntilTick: number | null;
  /** Last prices, one per tick, for the circuit breaker's rolling window. */
  window: Cents[];
  pending: PendingImpact[];
  /** Shares traded since the last tick was stepped (fills between ticks plus that tick's matching). */
  tickVolume: number;
  /** Shares traded in the period closed by the last stepTick: the `volume` of that tick's candle point. */
  lastTickVolume: number;
}

/** `haltedUntilTick` of a symbol halted by the organiser: it resumes only by hand. */
export const MANUAL_HALT = -1;

export interface PositionState {
  qty: number;
  /** Shares held back for open sell orders. */
  reservedQty: number;
  /** Total cost of the shares held, in cents, for average cost and P/L. */
  cost: Cents;
}

export interface PlayerState {
  id: string;
  name: string;
  /** Spendable cash. */
  cash: Cents;
  /** Cash held for open buy orders. */
  reserved: Cents;
  positions: Record<string, PositionState>;
  openOrders: number;
  joinedAt: number;
  /** The player's team, in a market with teams (absent otherwise, or for a player who joined before teams). */
  team?: string;
}

export interface OrderState {
  id: string;
  playerId: string;
  clientOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  qty: number;
  limitPrice: Cents | null;
  /** Stop and stop-limit orders: the last price that triggers them; null for other types. */
  stopPrice: Cents | null;
  /** When a stop order triggered (null before, and for other types). Until then it reserves nothing. */
  triggeredAt: number | null;
  /** Why a triggered stop was refused by the order rules (status "rejected"); null otherwise. */
  rejectReason: string | null;
  status: OrderStatus;
  filledQty: number;
  /** Sum of price * qty over this order's fills, for the average price. */
  filledValue: Cents;
  /** Cash still reserved by an open buy order. */
  reservedCash: Cents;
  createdAt: number;
  updatedAt: number;
}

export interface FillState {
  id: string;
  orderId: string;
  playerId: string;
  symbol: string;
  side: OrderSide;
  qty: number;
  price: Cents;
  fee: Cents;
  t: number;
  tick: number;
}

export interface MarketState {
  code: string;
  name: string;
  status: MarketStatus;
  tickMs: number;
  startingCash: Cents;
  seed: number;
  rules: MarketRules;
  /** The timed session (engine/session.ts): when the market opens and closes by itself. */
  session: MarketSession;
  createdAt: number;
  /** When trading first started (the news script's zero), null in the lobby. */
  openedAt: number | null;
  /** Time spent paused since the open, not counting a pause still running. */
  pausedMs: number;
  /** When the running pause began, null unless paused. */
  pausedAt: number | null;
  /** Ticks stepped so far. */
  tick: number;
  /** Sequence number of the last public message (snapshot carries it). */
  seq: number;
  /** State of the seeded generator; persisted so a restart continues the same sequence. */
  rng: number[];
  symbols: SymbolState[];
  players: Map<string, PlayerState>;
  /** Open and partially filled limit orders, in placement order (time priority). */
  openOrders: Map<string, OrderState>;
  /** Counters for deterministic ids. */
  nextOrderNo: number;
  nextFillNo: number;
  nextPlayerNo: number;
  /** Lower-cased, trimmed player name -> player id, for case-insensitive NAME_TAKEN in O(1). */
  nameIndex: Map<string, string>;
  /** Player id -> rank (1 = best) as of the last refreshRanks (once per tick, never per order). */
  ranks: Map<string, number>;
  /** The best players as of the last refreshRanks, best first (at most LEADERBOARD_CACHE entries). */
  top: LeaderEntry[];
  /** The market's teams; absent or null: none. */
  teams?: TeamsConfig | null;
  /** The team leaderboard as of the last refreshRanks (empty without teams). */
  teamBoard?: TeamStanding[];
  /** Blocked names and banned words; absent: nothing blocked and the default word list. */
  moderation?: ModerationSettings;
}

/** One row of the cached leaderboard. `returnPct` is in percent (12.5 = +12.5%), 2 decimals. */
export interface LeaderEntry {
  rank: number;
  playerId: string;
  name: string;
  netWorth: Cents;
  returnPct: number;
  team?: string;
}

/** How many leaders refreshRanks keeps ready; the API's leaderboard limit is at most 500. */
export const LEADERBOARD_CACHE = 500;
