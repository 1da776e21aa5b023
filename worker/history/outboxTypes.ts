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
 *
 * These payloads are a contract of their own, not the engine's types: a row written by one
 * deploy may be drained by the next, so renaming an engine field must not change what a
 * queued row means. Each payload carries its kind's version `v`; outboxPayloads.ts builds
 * them from engine state field by field, and the writer reads them through
 * `decodeOutboxRow`, which refuses a version it does not know rather than guess.
 *
 * Changing a payload's fields: give its kind a new version (an interface of its own), write
 * that, and keep an entry in READABLE that turns the old version into the new one until no
 * outbox can still hold the old rows.
 */

export type Cents = number;

/** The version each kind is written with today. */
export const OUTBOX_VERSION = { market: 1, player: 1, order: 1, fill: 1, news: 1, tick: 1, standings: 1 } as const;

export type OutboxMarketStatus = "lobby" | "open" | "paused" | "closed";
export type OutboxSide = "buy" | "sell";
export type OutboxOrderType = "market" | "limit" | "stop" | "stop_limit";
export type OutboxOrderStatus = "filled" | "open" | "partially_filled" | "cancelled" | "rejected";
export type OutboxNewsStatus = "scheduled" | "published" | "cancelled";

/** On create and on every status change; written as an upsert (the newest wins). */
export interface MarketPayload {
  v: 1;
  marketCode: string;
  name: string;
  status: OutboxMarketStatus;
  startingCash: Cents;
  tickMs: number;
  seed: number;
  createdAt: number;
  /** The market's rules as the organiser's console shows them, stored as JSON. */
  rules: Record<string, unknown>;
  symbols: { symbol: string; name: string; sector: string; price: Cents; volatility: number; liquidity: number }[];
}

/** When a player joins; inserted once. */
export interface PlayerPayload {
  v: 1;
  marketCode: string;
  id: string;
  name: string;
  joinedAt: number;
}

/**
 * On placement and every change; upsert where a row only overwrites an older or equal
 * `updatedAt`. What the order is, not the cash it holds back (that stays live).
 */
export interface OrderPayload {
  v: 1;
  marketCode: string;
  id: string;
  playerId: string;
  clientOrderId: string;
  symbol: string;
  side: OutboxSide;
  type: OutboxOrderType;
  qty: number;
  limitPrice: Cents | null;
  status: OutboxOrderStatus;
  filledQty: number;
  /** Sum of price * qty over the order's fills. */
  filledValue: Cents;
  createdAt: number;
  updatedAt: number;
}

/** One per fill; inserted once (ON CONFLICT DO NOTHING). */
export interface FillPayload {
  v: 1;
  marketCode: string;
  id: string;
  orderId: string;
  playerId: string;
  symbol: string;
  side: OutboxSide;
  qty: number;
  price: Cents;
  fee: Cents;
  t: number;
  tick: number;
}

/** On schedule, publication and cancellation; upsert (the latest status wins). */
export interface NewsPayload {
  v: 1;
  marketCode: string;
  id: string;
  headline: string;
  body: string;
  impacts: { symbol: string; move: number; ticks: number }[];
  publishAt: number;
  status: OutboxNewsStatus;
}

/** One per tick; stored as one candle row per symbol, key (market, symbol, tick). */
export interface TickPayload {
  v: 1;
  marketCode: string;
  tick: number;
  t: number;
  prices: Record<string, Cents>;
  /** Shares traded in this tick, per symbol. */
  volumes: Record<string, number>;
}

/** On close: the final standings, frozen. */
export interface StandingsPayload {
  v: 1;
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

export const OUTBOX_KINDS = Object.keys(OUTBOX_VERSION) as readonly OutboxKind[];

/** Serialises an entry for the outbox table; the one place a payload becomes text. */
export function encodeOutbox<K extends OutboxKind>(kind: K, payload: OutboxPayloads[K]): { kind: K; payload: string } {
  // The type says so already; this catches plain JavaScript callers (bench/, dev/).
  if (payload?.v !== OUTBOX_VERSION[kind])
    throw new Error(`outbox ${kind} payload must carry v: ${OUTBOX_VERSION[kind]}, got ${JSON.stringify(payload?.v)}`);
  return { kind, payload: JSON.stringify(payload) };
}

/**
 * Per kind, the versions this Worker reads and how each becomes today's payload. Rows
 * queued before payloads carried a version (no `v`) are version 1: version 1 is exactly
 * the fields those rows were written with.
 */
const READABLE: { [K in OutboxKind]: Record<number, (p: Record<string, unknown>) => OutboxPayloads[K]> } = {
  market: { 1: (p) => ({ ...p, v: 1 }) as MarketPayload },
  player: { 1: (p) => ({ ...p, v: 1 }) as PlayerPayload },
  order: { 1: (p) => ({ ...p, v: 1 }) as OrderPayload },
  fill: { 1: (p) => ({ ...p, v: 1 }) as FillPayload },
  news: { 1: (p) => ({ ...p, v: 1 }) as NewsPayload },
  tick: { 1: (p) => ({ ...p, v: 1 }) as TickPayload },
  standings: { 1: (p) => ({ ...p, v: 1 }) as StandingsPayload },
};

export type DecodedOutboxRow = { [K in OutboxKind]: { id: number; kind: K; payload: OutboxPayloads[K] } }[OutboxKind];

/**
 * Reads one outbox row back, or throws saying which row and why. Throwing fails the
 * drain's batch on purpose: it keeps retrying and the organiser sees the message, rather
 * than the history silently missing or mis-reading a row.
 */
export function decodeOutboxRow(row: { id: number; kind: string; payload: string }): DecodedOutboxRow {
  const where = `outbox row ${row.id} (${row.kind})`;
  if (!OUTBOX_KINDS.includes(row.kind as OutboxKind))
    throw new Error(`outbox row ${row.id}: unknown kind ${JSON.stringify(row.kind)}`);
  const kind = row.kind as OutboxKind;
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.payload);
  } catch (err) {
    throw new Error(`${where}: payload is not JSON: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error(`${where}: payload is not a JSON object`);
  const raw = parsed as Record<string, unknown>;
  const v = "v" in raw ? raw.v : 1;
  const read = typeof v === "number" ? READABLE[kind][v] : undefined;
  if (!read) {
    const known = Object.keys(READABLE[kind]).join(", ");
    throw new Error(
      `${where}: payload version ${JSON.stringify(v)} is not one this Worker reads (${known}); deploy a Worker that knows it`,
    );
  }
  if (typeof raw.marketCode !== "string") throw new Error(`${where}: payload has no marketCode`);
  return { id: row.id, kind, payload: read(raw) } as DecodedOutboxRow;
}
