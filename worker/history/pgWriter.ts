/**
 * Writes outbox rows into the Postgres history, idempotently.
 *
 * Rows are grouped by kind and written with set-based INSERT ... SELECT statements, all in
 * one transaction per call (one commit per drained batch, and a batch lands whole or not at
 * all). Writing the same rows again adds nothing:
 *
 * - fills, players, candles (ticks), symbols: ON CONFLICT DO NOTHING, the key is the
 *   market's own id, so a retried batch is a no-op;
 * - orders: DO UPDATE only where the stored updated_at is older or equal;
 * - markets, news: DO UPDATE only where the stored outbox id is older or equal (outbox ids
 *   only grow within a market), so a replay never rolls a status back;
 * - standings: DO UPDATE only where the stored closed_at is older or equal, and the
 *   market's closed_at is set the same way.
 *
 * Why JSON: each statement binds ONE parameter, a JSON array of rows, unpacked by Postgres:
 *
 *   insert into "fills" ("market_code", "id", ...)
 *   select r."marketCode", r."id", ... from jsonb_to_recordset($1::jsonb) as r("marketCode" text, "id" text, ...)
 *   on conflict do nothing
 *
 * We keep every statement under 100 bound parameters (see MAX_PARAMS_PER_STATEMENT). With
 * one parameter per column, as multi-row VALUES needs, that was 9 fills per statement and
 * one round trip per 9 rows (~3,750 rows/s through websockify); one JSON parameter carries
 * up to 500 rows (or ~1 MB), several times faster. The column lists, Postgres types and
 * conflict keys come from the drizzle schema (schema.ts), so they cannot drift from it.
 */
import { sql, type SQL } from "drizzle-orm";
import { PgDialect, type PgDatabase, type PgQueryResultHKT, type PgTable } from "drizzle-orm/pg-core";
import type { OutboxRow } from "./outboxDrain.ts";
import { decodeOutboxRow, type OutboxKind, type OutboxPayloads } from "./outboxTypes.ts";
import { excluded, insertFromJson, jsonChunks, recordDef } from "./pgStatements.ts";
import { candles, fills, markets, news, orders, players, standings, symbols } from "./schema.ts";

/**
 * Most bound parameters in one statement. Postgres itself allows 65535, but we stay under
 * 100 so the same statements also work over Neon's HTTP query path and other proxies with
 * tight per-query limits. Every statement here binds one (the JSON rows).
 */
export const MAX_PARAMS_PER_STATEMENT = 100;

export { MAX_JSON_BYTES_PER_STATEMENT, MAX_ROWS_PER_STATEMENT } from "./pgStatements.ts";

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

/** A statement to run: the outbox kind it writes, its table rows (the JSON's length) and its SQL. */
export interface Planned {
  kind: OutboxKind;
  rows: number;
  jsonBytes: number;
  /** Lowest and highest outbox id the rows came from, for the error message. */
  outboxIds: [number, number];
  query: SQL;
}

/** A table row to write and the outbox row it came from. */
export type Src<T extends PgTable> = { id: number; value: Insert<T> };

export async function writeOutboxRows(db: PgDb, rows: OutboxRow[]): Promise<WriteReport> {
  const report: WriteReport = { statements: 0, changed: 0, rows: {} };
  if (rows.length === 0) return report;
  const groups = groupByKind(rows);
  for (const kind of Object.keys(groups) as OutboxKind[]) report.rows[kind] = groups[kind]!.length;
  // Planned (parsed and serialised) before BEGIN: a bad row fails the batch without a round trip.
  const plan = planStatements(groups);

  await db.transaction(async (tx) => {
    for (const stmt of plan) {
      let result: unknown;
      try {
        result = await tx.execute(stmt.query);
      } catch (err) {
        throw refused(stmt, err);
      }
      report.statements += 1;
      report.changed += rowCount(result);
    }
  });
  return report;
}

export interface PlannedStatement {
  kind: OutboxKind;
  /** Bound parameters. */
  params: number;
  /** Table rows carried in the statement's JSON. */
  rows: number;
  /** UTF-8 size of the JSON parameter. */
  jsonBytes: number;
  sql: string;
}

const dialect = new PgDialect();

/**
 * The statements `writeOutboxRows` would run, rendered without running them (tests check
 * the parameter and size limits with this).
 */
export function planOutboxWrites(rows: OutboxRow[]): PlannedStatement[] {
  return planStatements(groupByKind(rows)).map((s) => {
    const q = dialect.sqlToQuery(s.query);
    return { kind: s.kind, params: q.params.length, rows: s.rows, jsonBytes: s.jsonBytes, sql: q.sql };
  });
}

// ------------------------------------------------------------------ parsing

type Parsed = { [K in OutboxKind]?: { id: number; payload: OutboxPayloads[K] }[] };

/** Each row decoded with its version checked (decodeOutboxRow throws on a row it cannot read, failing the batch). */
function groupByKind(rows: OutboxRow[]): Parsed {
  const groups: Parsed = {};
  for (const row of rows) {
    const decoded = decodeOutboxRow(row);
    const list = (groups[decoded.kind] ??= []) as { id: number; payload: unknown }[];
    list.push({ id: decoded.id, payload: decoded.payload });
  }
  return groups;
}

// ------------------------------------------------------------------ planning

function planStatements(g: Parsed): Planned[] {
  const out: Planned[] = [];
  // Markets first: an archive reader that sees a fill can always find its market.
  if (g.market) planMarkets(g.market, out);
  if (g.player) planPlayers(g.player, out);
  if (g.order) planOrders(g.order, out);
  if (g.fill) planFills(g.fill, out);
  if (g.news) planNews(g.news, out);
  if (g.tick) planTicks(g.tick, out);
  if (g.standings) planStandings(g.standings, out);
  return out;
}

type Row<K extends OutboxKind> = { id: number; payload: OutboxPayloads[K] };
export type Insert<T extends PgTable> = T["$inferInsert"];

function planMarkets(rows: Row<"market">[], out: Planned[]): void {
  // A batch may hold several status changes of one market; a single DO UPDATE statement
  // may not touch a row twice, so only the newest per market is written.
  const latest = newestBy(rows, (r) => r.payload.marketCode, byOutboxId);
  const values = latest.map(
    ({ id, payload: m }): Src<typeof markets> => ({
      id,
      value: {
        code: m.marketCode,
        name: m.name,
        status: m.status,
        startingCash: m.startingCash,
        tickMs: m.tickMs,
        seed: m.seed,
        createdAt: m.createdAt,
        rules: m.rules,
        outboxId: id,
      },
    }),
  );
  // closed_at is not the market payload's: only standings set it (planStandings).
  insertFromJson("market", markets, values, out, {
    omit: ["closedAt"],
    update: { where: sql`${markets.outboxId} <= ${excluded(markets.outboxId)}` },
  });

  // Symbols are fixed when the market is created: the first write wins.
  const syms = latest.flatMap(({ id, payload: m }) =>
    m.symbols.map(
      (s): Src<typeof symbols> => ({
        id,
        value: {
          marketCode: m.marketCode,
          symbol: s.symbol,
          name: s.name,
          sector: s.sector,
          price: s.price,
          volatility: s.volatility,
          liquidity: s.liquidity,
        },
      }),
    ),
  );
  insertFromJson("market", symbols, syms, out);
}

function planPlayers(rows: Row<"player">[], out: Planned[]): void {
  const values = rows.map(
    ({ id, payload: p }): Src<typeof players> => ({
      id,
      value: { marketCode: p.marketCode, id: p.id, name: p.name, joinedAt: p.joinedAt },
    }),
  );
  insertFromJson("player", players, values, out);
}

function planOrders(rows: Row<"order">[], out: Planned[]): void {
  // Newest state per order: highest updatedAt, then the later outbox row.
  const latest = newestBy(
    rows,
    (r) => `${r.payload.marketCode}\u0000${r.payload.id}`,
    (a, b) => a.payload.updatedAt - b.payload.updatedAt || a.id - b.id,
  );
  const values = latest.map(
    ({ id, payload: o }): Src<typeof orders> => ({
      id,
      value: {
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
      },
    }),
  );
  // Only what changes over an order's life is updated; who placed it and what stays as first written.
  insertFromJson("order", orders, values, out, {
    update: {
      set: [orders.status, orders.filledQty, orders.filledValue, orders.limitPrice, orders.updatedAt],
      where: sql`${orders.updatedAt} <= ${excluded(orders.updatedAt)}`,
    },
  });
}

function planFills(rows: Row<"fill">[], out: Planned[]): void {
  const values = rows.map(
    ({ id, payload: f }): Src<typeof fills> => ({
      id,
      value: {
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
      },
    }),
  );
  insertFromJson("fill", fills, values, out);
}

function planNews(rows: Row<"news">[], out: Planned[]): void {
  const latest = newestBy(rows, (r) => `${r.payload.marketCode}\u0000${r.payload.id}`, byOutboxId);
  const values = latest.map(
    ({ id, payload: n }): Src<typeof news> => ({
      id,
      value: {
        marketCode: n.marketCode,
        id: n.id,
        headline: n.headline,
        body: n.body ?? "",
        impacts: n.impacts,
        publishAt: n.publishAt,
        status: n.status,
        outboxId: id,
      },
    }),
  );
  insertFromJson("news", news, values, out, {
    update: { where: sql`${news.outboxId} <= ${excluded(news.outboxId)}` },
  });
}

function planTicks(rows: Row<"tick">[], out: Planned[]): void {
  const values = rows.flatMap(({ id, payload: k }) =>
    Object.entries(k.prices).map(
      ([symbol, price]): Src<typeof candles> => ({
        id,
        value: { marketCode: k.marketCode, symbol, tick: k.tick, t: k.t, price, volume: k.volumes?.[symbol] ?? 0 },
      }),
    ),
  );
  insertFromJson("tick", candles, values, out);
}

function planStandings(rows: Row<"standings">[], out: Planned[]): void {
  const latest = newestBy(rows, (r) => r.payload.marketCode, byOutboxId);
  const values = latest.flatMap(({ id, payload: s }) =>
    s.standings.map(
      (p): Src<typeof standings> => ({
        id,
        value: {
          marketCode: s.marketCode,
          playerId: p.playerId,
          name: p.name,
          rank: p.rank,
          netWorth: p.netWorth,
          cash: p.cash,
          closedAt: s.closedAt,
        },
      }),
    ),
  );
  insertFromJson("standings", standings, values, out, {
    update: { where: sql`${standings.closedAt} <= ${excluded(standings.closedAt)}` },
  });

  // The market's closing time, for the archive list. `latest` holds each market once, so
  // the UPDATE ... FROM never matches a market row twice.
  const closings = latest.map(({ id, payload: s }) => ({ id, value: { code: s.marketCode, closedAt: s.closedAt } }));
  const cols = { code: markets.code, closedAt: markets.closedAt };
  for (const chunk of jsonChunks(closings)) {
    out.push({
      kind: "standings",
      rows: chunk.rows,
      jsonBytes: chunk.bytes,
      outboxIds: chunk.outboxIds,
      query: sql`update ${markets} set ${sql.identifier(markets.closedAt.name)} = r."closedAt"
        from jsonb_to_recordset(${chunk.json}::jsonb) as r(${recordDef(cols)})
        where ${markets.code} = r."code" and (${markets.closedAt} is null or ${markets.closedAt} <= r."closedAt")`,
    });
  }
}

// ------------------------------------------------------------------ helpers

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

const byOutboxId = (a: { id: number }, b: { id: number }) => a.id - b.id;

/**
 * The error for a statement Postgres refused (a NOT NULL, a type, ...): the outbox rows it
 * carried and Postgres's own words. drizzle's error would quote the SQL and the whole JSON
 * parameter (up to 1 MB) first, and the drain keeps only 500 characters of it.
 */
function refused(stmt: Planned, err: unknown): Error {
  const pg = ((err as { cause?: unknown })?.cause ?? err) as { message?: string; detail?: string };
  const [lo, hi] = stmt.outboxIds;
  const rows = lo === hi ? `outbox row ${lo}` : `outbox rows ${lo}..${hi}`;
  const why = [pg?.message ?? String(err), pg?.detail].filter(Boolean).join(": ");
  return new Error(`${rows} (${stmt.kind}): ${why}`, { cause: err });
}

function rowCount(result: unknown): number {
  const n = (result as { rowCount?: number | null } | null)?.rowCount;
  return typeof n === "number" ? n : 0;
}
