/**
 * Writes outbox rows into the Postgres history, idempotently.
 *
 * Rows are grouped by kind and written with multi-row INSERT ... ON CONFLICT statements,
 * all in one transaction per call (one commit per drained batch, and a batch lands whole
 * or not at all). Writing the same rows again adds nothing:
 *
 * - fills, players, candles (ticks), symbols: ON CONFLICT DO NOTHING, the key is the
 *   market's own id, so a retried batch is a no-op;
 * - orders: DO UPDATE only where the stored updated_at is older or equal;
 * - markets, news: DO UPDATE only where the stored outbox id is older or equal (outbox ids
 *   only grow within a market), so a replay never rolls a status back;
 * - standings: DO UPDATE only where the stored closed_at is older or equal.
 */
import { sql, type SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { OutboxRow } from "./outboxDrain.ts";
import type {
  FillPayload,
  MarketPayload,
  NewsPayload,
  OrderPayload,
  OutboxKind,
  OutboxPayloads,
  PlayerPayload,
  StandingsPayload,
  TickPayload,
} from "./outboxTypes.ts";
import { candles, fills, markets, news, orders, players, standings, symbols } from "./schema.ts";

/**
 * Most bound parameters in one statement. Postgres itself allows 65535, but we stay under
 * 100 so the same statements also work over Neon's HTTP query path and other proxies
 * with tight per-query limits; a fill has 11 columns, so that is 9 fills per statement.
 */
export const MAX_PARAMS_PER_STATEMENT = 100;

// Any drizzle Postgres database or transaction (neon-serverless in the Worker, node-postgres in scripts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PgDb = PgDatabase<PgQueryResultHKT, any>;

export interface WriteReport {
  /** Statements executed (excluding BEGIN/COMMIT). */
  statements: number;
  /** Rows Postgres reports as inserted or updated; 0 for a batch written before. */
  changed: number;
  /** Outbox rows written, per kind. */
  rows: Partial<Record<OutboxKind, number>>;
}

/** A statement to run, with the number of bound parameters it carries. */
interface Planned {
  kind: OutboxKind;
  run: () => Promise<unknown>;
  toSQL: () => { sql: string; params: unknown[] };
}

export async function writeOutboxRows(db: PgDb, rows: OutboxRow[]): Promise<WriteReport> {
  const report: WriteReport = { statements: 0, changed: 0, rows: {} };
  if (rows.length === 0) return report;
  const groups = groupByKind(rows);
  for (const kind of Object.keys(groups) as OutboxKind[]) report.rows[kind] = groups[kind]!.length;

  await db.transaction(async (tx) => {
    for (const stmt of planStatements(tx, groups)) {
      const result = await stmt.run();
      report.statements += 1;
      report.changed += rowCount(result);
    }
  });
  return report;
}

/**
 * The statements `writeOutboxRows` would run, without running them (tests check the
 * parameter limit with this and `toSQL()`).
 */
export function planOutboxWrites(db: PgDb, rows: OutboxRow[]): { kind: OutboxKind; params: number; sql: string }[] {
  return planStatements(db, groupByKind(rows)).map((s) => {
    const q = s.toSQL();
    return { kind: s.kind, params: q.params.length, sql: q.sql };
  });
}

// ------------------------------------------------------------------ parsing

type Parsed = { [K in OutboxKind]?: { id: number; payload: OutboxPayloads[K] }[] };

const KINDS: readonly OutboxKind[] = ["market", "player", "order", "fill", "news", "tick", "standings"];

function groupByKind(rows: OutboxRow[]): Parsed {
  const groups: Parsed = {};
  for (const row of rows) {
    if (!KINDS.includes(row.kind)) throw new Error(`outbox row ${row.id}: unknown kind ${JSON.stringify(row.kind)}`);
    let payload: { marketCode?: unknown };
    try {
      payload = JSON.parse(row.payload);
    } catch (err) {
      // Fails the batch on purpose: the drain keeps retrying and the organiser sees this
      // message, rather than the history silently missing a row.
      throw new Error(`outbox row ${row.id} (${row.kind}): payload is not JSON: ${(err as Error).message}`);
    }
    if (typeof payload?.marketCode !== "string")
      throw new Error(`outbox row ${row.id} (${row.kind}): payload has no marketCode`);
    const list = (groups[row.kind] ??= []) as { id: number; payload: unknown }[];
    list.push({ id: row.id, payload });
  }
  return groups;
}

// ------------------------------------------------------------------ planning

function planStatements(db: PgDb, g: Parsed): Planned[] {
  const out: Planned[] = [];
  // Markets first: an archive reader that sees a fill can always find its market.
  if (g.market) planMarkets(db, g.market, out);
  if (g.player) planPlayers(db, g.player, out);
  if (g.order) planOrders(db, g.order, out);
  if (g.fill) planFills(db, g.fill, out);
  if (g.news) planNews(db, g.news, out);
  if (g.tick) planTicks(db, g.tick, out);
  if (g.standings) planStandings(db, g.standings, out);
  return out;
}

type Row<K extends OutboxKind> = { id: number; payload: OutboxPayloads[K] };

function planMarkets(db: PgDb, rows: Row<"market">[], out: Planned[]): void {
  // A batch may hold several status changes of one market; a single DO UPDATE statement
  // may not touch a row twice, so only the newest per market is written.
  const latest = newestBy(rows, (r) => r.payload.marketCode, byOutboxId);
  const values = latest.map(({ id, payload: m }: { id: number; payload: MarketPayload }) => ({
    code: m.marketCode,
    name: m.name,
    status: m.status,
    startingCash: m.startingCash,
    tickMs: m.tickMs,
    seed: m.seed,
    createdAt: m.createdAt,
    rules: m.rules,
    outboxId: id,
  }));
  for (const chunk of chunks(values)) {
    const q = db
      .insert(markets)
      .values(chunk)
      .onConflictDoUpdate({
        target: markets.code,
        set: excludedSet(["name", "status", "starting_cash", "tick_ms", "seed", "created_at", "rules", "outbox_id"]),
        setWhere: sql`${markets.outboxId} <= excluded.outbox_id`,
      });
    out.push(planned("market", q));
  }

  // Symbols are fixed when the market is created: the first write wins.
  const syms = latest.flatMap(({ payload: m }) =>
    m.symbols.map((s) => ({
      marketCode: m.marketCode,
      symbol: s.symbol,
      name: s.name,
      sector: s.sector,
      price: s.price,
      volatility: s.volatility,
      liquidity: s.liquidity,
    })),
  );
  for (const chunk of chunks(syms)) out.push(planned("market", db.insert(symbols).values(chunk).onConflictDoNothing()));
}

function planPlayers(db: PgDb, rows: Row<"player">[], out: Planned[]): void {
  const values = rows.map(({ payload: p }: { payload: PlayerPayload }) => ({
    marketCode: p.marketCode,
    id: p.id,
    name: p.name,
    joinedAt: p.joinedAt,
  }));
  for (const chunk of chunks(values)) out.push(planned("player", db.insert(players).values(chunk).onConflictDoNothing()));
}

function planOrders(db: PgDb, rows: Row<"order">[], out: Planned[]): void {
  // Newest state per order: highest updatedAt, then the later outbox row.
  const latest = newestBy(
    rows,
    (r) => `${r.payload.marketCode}\u0000${r.payload.id}`,
    (a, b) => a.payload.updatedAt - b.payload.updatedAt || a.id - b.id,
  );
  const values = latest.map(({ payload: o }: { payload: OrderPayload }) => ({
    marketCode: o.marketCode,
    id: o.id,
    playerId: o.playerId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    limitPrice: o.limitPrice,
    status: o.status,
    filledQty: o.filledQty,
    filledValue: o.filledValue,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  }));
  for (const chunk of chunks(values)) {
    const q = db
      .insert(orders)
      .values(chunk)
      .onConflictDoUpdate({
        target: [orders.marketCode, orders.id],
        set: excludedSet(["status", "filled_qty", "filled_value", "limit_price", "updated_at"]),
        setWhere: sql`${orders.updatedAt} <= excluded.updated_at`,
      });
    out.push(planned("order", q));
  }
}

function planFills(db: PgDb, rows: Row<"fill">[], out: Planned[]): void {
  const values = rows.map(({ payload: f }: { payload: FillPayload }) => ({
    marketCode: f.marketCode,
    id: f.id,
    orderId: f.orderId,
    playerId: f.playerId,
    symbol: f.symbol,
    side: f.side,
    qty: f.qty,
    price: f.price,
    fee: f.fee,
    t: f.t,
    tick: f.tick,
  }));
  for (const chunk of chunks(values)) out.push(planned("fill", db.insert(fills).values(chunk).onConflictDoNothing()));
}

function planNews(db: PgDb, rows: Row<"news">[], out: Planned[]): void {
  const latest = newestBy(rows, (r) => `${r.payload.marketCode}\u0000${r.payload.id}`, byOutboxId);
  const values = latest.map(({ id, payload: n }: { id: number; payload: NewsPayload }) => ({
    marketCode: n.marketCode,
    id: n.id,
    headline: n.headline,
    body: n.body ?? "",
    impacts: n.impacts,
    publishAt: n.publishAt,
    status: n.status,
    outboxId: id,
  }));
  for (const chunk of chunks(values)) {
    const q = db
      .insert(news)
      .values(chunk)
      .onConflictDoUpdate({
        target: [news.marketCode, news.id],
        set: excludedSet(["headline", "body", "impacts", "publish_at", "status", "outbox_id"]),
        setWhere: sql`${news.outboxId} <= excluded.outbox_id`,
      });
    out.push(planned("news", q));
  }
}

function planTicks(db: PgDb, rows: Row<"tick">[], out: Planned[]): void {
  const values = rows.flatMap(({ payload: k }: { payload: TickPayload }) =>
    Object.entries(k.prices).map(([symbol, price]) => ({
      marketCode: k.marketCode,
      symbol,
      tick: k.tick,
      t: k.t,
      price,
      volume: k.volumes?.[symbol] ?? 0,
    })),
  );
  for (const chunk of chunks(values)) out.push(planned("tick", db.insert(candles).values(chunk).onConflictDoNothing()));
}

function planStandings(db: PgDb, rows: Row<"standings">[], out: Planned[]): void {
  const latest = newestBy(rows, (r) => r.payload.marketCode, byOutboxId);
  const values = latest.flatMap(({ payload: s }: { payload: StandingsPayload }) =>
    s.standings.map((p) => ({
      marketCode: s.marketCode,
      playerId: p.playerId,
      name: p.name,
      rank: p.rank,
      netWorth: p.netWorth,
      cash: p.cash,
      closedAt: s.closedAt,
    })),
  );
  for (const chunk of chunks(values)) {
    const q = db
      .insert(standings)
      .values(chunk)
      .onConflictDoUpdate({
        target: [standings.marketCode, standings.playerId],
        set: excludedSet(["name", "rank", "net_worth", "cash", "closed_at"]),
        setWhere: sql`${standings.closedAt} <= excluded.closed_at`,
      });
    out.push(planned("standings", q));
  }
  // The market's closing time, for the archive list: 2 parameters per market.
  for (const { payload: s } of latest) out.push(planned("standings", closeMarket(db, s.marketCode, s.closedAt)));
}

function closeMarket(db: PgDb, code: string, closedAt: number) {
  return db
    .update(markets)
    .set({ closedAt })
    .where(sql`${markets.code} = ${code} and (${markets.closedAt} is null or ${markets.closedAt} <= ${closedAt})`);
}

// ------------------------------------------------------------------ helpers

/** `set` for an upsert: every listed column takes the proposed (excluded) value. */
function excludedSet(columns: string[]): Record<string, SQL> {
  // Keys are drizzle's property names; the SQL names the Postgres column.
  const set: Record<string, SQL> = {};
  for (const col of columns) set[camel(col)] = sql.raw(`excluded."${col}"`);
  return set;
}

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Splits rows so that rows x columns never exceeds MAX_PARAMS_PER_STATEMENT. */
export function chunks<T extends Record<string, unknown>>(values: T[]): T[][] {
  if (values.length === 0) return [];
  const perRow = Math.max(...values.map((v) => Object.values(v).filter((x) => x !== undefined).length));
  const size = Math.max(1, Math.floor(MAX_PARAMS_PER_STATEMENT / perRow));
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/** Keeps the newest row per key (by `compare`; ties go to the later row), in first-seen key order. */
function newestBy<R>(rows: R[], key: (r: R) => string, compare: (a: R, b: R) => number): R[] {
  const best = new Map<string, R>();
  for (const r of rows) {
    const k = key(r);
    const prev = best.get(k);
    if (!prev || compare(r, prev) >= 0) best.set(k, r);
  }
  return [...best.values()];
}

interface Runnable extends PromiseLike<unknown> {
  toSQL(): { sql: string; params: unknown[] };
}

const byOutboxId = (a: { id: number }, b: { id: number }) => a.id - b.id;

function planned(kind: OutboxKind, q: Runnable): Planned {
  return {
    kind,
    run: () => Promise.resolve(q),
    toSQL: () => q.toSQL(),
  };
}

function rowCount(result: unknown): number {
  const n = (result as { rowCount?: number | null } | null)?.rowCount;
  return typeof n === "number" ? n : 0;
}
