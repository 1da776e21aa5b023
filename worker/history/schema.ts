/**
 * Postgres history of every market (Neon in production, a local Postgres in dev and CI).
 *
 * The market Durable Object's SQLite stays the source of truth; these tables are an
 * append-mostly copy fed by the outbox drain (outboxDrain.ts, pgWriter.ts). Ids such as
 * "o12" or "f7" are unique only within a market, so every key starts with market_code.
 *
 * Money and prices are integer cents and times epoch milliseconds, exactly as in the
 * outbox payloads, stored as bigint (cents of a ten-billion budget overflow int4) and read
 * back as JS numbers (`mode: "number"`: every value stays far below 2^53).
 */
import { bigint, doublePrecision, index, integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";

const big = (name: string) => bigint(name, { mode: "number" });

export const markets = pgTable("markets", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  status: text("status").notNull(),
  startingCash: big("starting_cash").notNull(),
  tickMs: integer("tick_ms").notNull(),
  seed: big("seed").notNull(),
  createdAt: big("created_at").notNull(),
  rules: jsonb("rules").notNull(),
  /** Set when a "standings" row arrives (the market closed). */
  closedAt: big("closed_at"),
  /**
   * Outbox row id of the payload this row was last written from. Outbox ids only grow
   * within a market, so an upsert applies only when it is not older than what is stored:
   * a retried or replayed batch can never roll a status back.
   */
  outboxId: big("outbox_id").notNull(),
});

/** The symbols as configured when the market was created (price = starting price). */
export const symbols = pgTable(
  "symbols",
  {
    marketCode: text("market_code").notNull(),
    symbol: text("symbol").notNull(),
    name: text("name").notNull(),
    sector: text("sector").notNull(),
    price: big("price").notNull(),
    volatility: doublePrecision("volatility").notNull(),
    liquidity: doublePrecision("liquidity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.marketCode, t.symbol] })],
);

export const players = pgTable(
  "players",
  {
    marketCode: text("market_code").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    joinedAt: big("joined_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.marketCode, t.id] })],
);

export const orders = pgTable(
  "orders",
  {
    marketCode: text("market_code").notNull(),
    id: text("id").notNull(),
    playerId: text("player_id").notNull(),
    clientOrderId: text("client_order_id").notNull(),
    symbol: text("symbol").notNull(),
    side: text("side").notNull(),
    type: text("type").notNull(),
    qty: big("qty").notNull(),
    limitPrice: big("limit_price"),
    status: text("status").notNull(),
    filledQty: big("filled_qty").notNull(),
    filledValue: big("filled_value").notNull(),
    createdAt: big("created_at").notNull(),
    /** An upsert only overwrites a row whose updated_at is older or equal. */
    updatedAt: big("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.marketCode, t.id] }),
    index("orders_market_player_idx").on(t.marketCode, t.playerId),
  ],
);

export const fills = pgTable(
  "fills",
  {
    marketCode: text("market_code").notNull(),
    id: text("id").notNull(),
    orderId: text("order_id").notNull(),
    playerId: text("player_id").notNull(),
    symbol: text("symbol").notNull(),
    side: text("side").notNull(),
    qty: big("qty").notNull(),
    price: big("price").notNull(),
    fee: big("fee").notNull(),
    t: big("t").notNull(),
    tick: integer("tick").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.marketCode, t.id] }),
    index("fills_market_player_idx").on(t.marketCode, t.playerId),
    index("fills_market_t_idx").on(t.marketCode, t.t),
  ],
);

export const news = pgTable(
  "news",
  {
    marketCode: text("market_code").notNull(),
    id: text("id").notNull(),
    headline: text("headline").notNull(),
    body: text("body").notNull(),
    impacts: jsonb("impacts").notNull(),
    publishAt: big("publish_at").notNull(),
    status: text("status").notNull(),
    /** As in markets: the newest outbox row wins, an older one never overwrites it. */
    outboxId: big("outbox_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.marketCode, t.id] })],
);

/**
 * One row per symbol per tick: the price at the end of the tick and the shares traded in
 * it. Interval candles (1m, 5m, ...) are aggregated from these on read: o = first price,
 * h = max, l = min, c = last, v = sum.
 */
export const candles = pgTable(
  "candles",
  {
    marketCode: text("market_code").notNull(),
    symbol: text("symbol").notNull(),
    tick: integer("tick").notNull(),
    t: big("t").notNull(),
    price: big("price").notNull(),
    volume: big("volume").notNull(),
  },
  (t) => [primaryKey({ columns: [t.marketCode, t.symbol, t.tick] })],
);

/** Final standings, frozen when the market closes. */
export const standings = pgTable(
  "standings",
  {
    marketCode: text("market_code").notNull(),
    playerId: text("player_id").notNull(),
    name: text("name").notNull(),
    rank: integer("rank").notNull(),
    netWorth: big("net_worth").notNull(),
    cash: big("cash").notNull(),
    closedAt: big("closed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.marketCode, t.playerId] }),
    index("standings_market_rank_idx").on(t.marketCode, t.rank),
  ],
);
