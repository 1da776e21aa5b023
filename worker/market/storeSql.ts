/**
 * The market object's SQL that is not built per call: the statements every order runs, as
 * fixed strings, and the row mappers between SQLite rows and engine state. MarketStore uses
 * both; they live here so the store reads as what it stores, not how.
 */
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import type { FillState, NewsRecord, OrderState } from "./engine";
import * as schema from "./schema";

// ------------------------------------------------------------------ the order path

/**
 * The statements every order runs, as fixed SQL strings on the storage's own `exec`.
 * Profiling 1,000 orders/s showed drizzle rebuilding these queries at a quarter of the
 * object's CPU; the column names still come from the drizzle schema, so they cannot drift.
 */
function columnsOf(...columns: SQLiteColumn[]): string {
  return columns.map((c) => `"${c.name}"`).join(", ");
}

function insertSql(table: SQLiteTable, columns: SQLiteColumn[], conflict = ""): string {
  return `INSERT INTO "${getTableName(table)}" (${columnsOf(...columns)}) VALUES (${columns.map(() => "?").join(", ")}) ${conflict}`;
}

function updateSet(...columns: SQLiteColumn[]): string {
  return columns.map((c) => `"${c.name}" = excluded."${c.name}"`).join(", ");
}

const m = schema.market;
export const MARKET_COLUMNS = [
  m.code,
  m.name,
  m.status,
  m.tickMs,
  m.startingCash,
  m.seed,
  m.rules,
  m.createdAt,
  m.tick,
  m.seq,
  m.lastTickAt,
  m.rng,
  m.symbols,
  m.counters,
];
const p = schema.players;
const o = schema.orders;
export const ORDER_COLUMNS = [
  o.id,
  o.no,
  o.playerId,
  o.clientOrderId,
  o.symbol,
  o.side,
  o.type,
  o.qty,
  o.limitPrice,
  o.stopPrice,
  o.triggeredAt,
  o.rejectReason,
  o.status,
  o.filledQty,
  o.filledValue,
  o.reservedCash,
  o.createdAt,
  o.updatedAt,
];
const f = schema.fills;

export const HOT = {
  // The market row always has id 1.
  saveMarket: `INSERT INTO "${getTableName(m)}" ("${m.id.name}", ${columnsOf(...MARKET_COLUMNS)}) VALUES (1, ${MARKET_COLUMNS.map(() => "?").join(", ")}) ON CONFLICT("${m.id.name}") DO UPDATE SET ${updateSet(...MARKET_COLUMNS)}`,
  savePlayer: insertSql(
    p,
    [p.id, p.name, p.nameKey, p.cash, p.reserved, p.positions, p.openOrders, p.joinedAt, p.team],
    `ON CONFLICT("${p.id.name}") DO UPDATE SET ${updateSet(p.cash, p.reserved, p.positions, p.openOrders, p.team)}`,
  ),
  saveOrder: insertSql(
    o,
    ORDER_COLUMNS,
    `ON CONFLICT("${o.id.name}") DO UPDATE SET ${updateSet(o.status, o.filledQty, o.filledValue, o.reservedCash, o.updatedAt, o.triggeredAt, o.rejectReason)}`,
  ),
  findOrderByClientId: `SELECT ${Object.entries(getTableColumns(o))
    .map(([key, c]) => `"${c.name}" AS "${key}"`)
    .join(", ")} FROM "${getTableName(o)}" WHERE "${o.playerId.name}" = ? AND "${o.clientOrderId.name}" = ?`,
  insertFill: insertSql(f, [f.no, f.id, f.orderId, f.playerId, f.symbol, f.side, f.qty, f.price, f.fee, f.t, f.tick]),
  enqueue: insertSql(schema.outbox, [schema.outbox.kind, schema.outbox.payload]),
};

export type OrderRow = typeof schema.orders.$inferSelect;
export type FillRow = typeof schema.fills.$inferSelect;

export function orderStateOf(o: OrderRow): OrderState {
  return {
    id: o.id,
    playerId: o.playerId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side as OrderState["side"],
    type: o.type as OrderState["type"],
    qty: o.qty,
    limitPrice: o.limitPrice,
    stopPrice: o.stopPrice,
    triggeredAt: o.triggeredAt,
    rejectReason: o.rejectReason,
    status: o.status as OrderState["status"],
    filledQty: o.filledQty,
    filledValue: o.filledValue,
    reservedCash: o.reservedCash,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export function fillStateOf(f: FillRow): FillState {
  return {
    id: f.id,
    orderId: f.orderId,
    playerId: f.playerId,
    symbol: f.symbol,
    side: f.side as FillState["side"],
    qty: f.qty,
    price: f.price,
    fee: f.fee,
    t: f.t,
    tick: f.tick,
  };
}

export type NewsRow = typeof schema.news.$inferSelect;

export function newsRowOf(item: NewsRecord): NewsRow {
  return { ...item, impacts: JSON.stringify(item.impacts) };
}

export function newsRecordOf(row: NewsRow): NewsRecord {
  return { ...row, impacts: JSON.parse(row.impacts), status: row.status as NewsRecord["status"] };
}
