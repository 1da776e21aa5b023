/**
 * What the market Durable Object writes into its SQLite `outbox` table, in the same
 * transaction as the change it describes, and what the drain copies into Postgres.
 *
 *   outbox(id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload TEXT NOT NULL)
 *
 * `payload` is JSON of the type named by `kind` below. Units: money and prices are
 * integer cents, times are epoch milliseconds. Every payload carries `marketCode`; the
 * other ids ("o12", "f7", "p3", "n2") are unique only within their market, so Postgres
 * keys are (market_code, id).
 */
import type { FillState, OrderState } from "../market/engine/types.ts";
import type { MarketRules, MarketStatus } from "../shared/messages";

export type Cents = number;

/** On create and on every status change; written as an upsert (the newest wins). */
export interface MarketPayload {
  marketCode: string;
  name: string;
  status: MarketStatus;
  startingCash: Cents;
  tickMs: number;
  seed: number;
  createdAt: number;
  rules: MarketRules | Record<string, unknown>;
  symbols: { symbol: string; name: string; sector: string; price: Cents; volatility: number; liquidity: number }[];
}

/** When a player joins; inserted once. */
export interface PlayerPayload {
  marketCode: string;
  id: string;
  name: string;
  joinedAt: number;
}

/**
 * On placement and every change; upsert where a row only overwrites an older or equal
 * `updatedAt`. The market's own order, less the cash it holds back (that stays live).
 */
export type OrderPayload = { marketCode: string } & Omit<OrderState, "reservedCash">;

/** One per fill, the market's own fill; inserted once (ON CONFLICT DO NOTHING). */
export type FillPayload = { marketCode: string } & FillState;

/** On schedule, publication and cancellation; upsert (the latest status wins). */
export interface NewsPayload {
  marketCode: string;
  id: string;
  headline: string;
  body: string;
  impacts: { symbol: string; move: number; ticks: number }[];
  publishAt: number;
  status: "scheduled" | "published" | "cancelled";
}

/** One per tick; stored as one candle row per symbol, key (market, symbol, tick). */
export interface TickPayload {
  marketCode: string;
  tick: number;
  t: number;
  prices: Record<string, Cents>;
  /** Shares traded in this tick, per symbol. */
  volumes: Record<string, number>;
}

/** On close: the final standings, frozen. */
export interface StandingsPayload {
  marketCode: string;
  closedAt: number;
  standings: { playerId: string; name: string; rank: number; netWorth: Cents; cash: Cents }[];
}

export interface OutboxPayloads {
  market: MarketPayload;
  player: PlayerPayload;
  order: OrderPayload;
  fill: FillPayload;
  news: NewsPayload;
  tick: TickPayload;
  standings: StandingsPayload;
}

export type OutboxKind = keyof OutboxPayloads;

/** Serialises an entry for the outbox table; the one place a payload becomes text. */
export function encodeOutbox<K extends OutboxKind>(kind: K, payload: OutboxPayloads[K]): { kind: K; payload: string } {
  return { kind, payload: JSON.stringify(payload) };
}
