/**
 * Read side of the Postgres history for the archive routes. Plain rows, money in integer
 * cents and times in epoch ms as stored; the routes format and CSV-encode them.
 */
import { and, asc, desc, eq, gte, isNotNull, sql } from "drizzle-orm";
import type { PgDb } from "./pgWriter.ts";
import { candles, fills, markets, players, standings } from "./schema.ts";
import type { Candle } from "../shared/messages.ts";

export interface ArchivedMarket {
  code: string;
  name: string;
  status: string;
  startingCash: number;
  tickMs: number;
  createdAt: number;
  closedAt: number | null;
  players: number;
  fills: number;
}

/**
 * Markets in the history, newest first. `closedOnly` (default true) lists only closed
 * markets, the archive proper; the counts come from the history, not the live market.
 */
export async function listArchivedMarkets(
  db: PgDb,
  opts: { closedOnly?: boolean; limit?: number; code?: string } = {},
): Promise<ArchivedMarket[]> {
  const closedOnly = opts.closedOnly ?? true;
  const limit = Math.min(Math.max(opts.limit ?? 100, 1), 1000);
  return db
    .select({
      code: markets.code,
      name: markets.name,
      status: markets.status,
      startingCash: markets.startingCash,
      tickMs: markets.tickMs,
      createdAt: markets.createdAt,
      closedAt: markets.closedAt,
      players: sql<number>`(select count(*) from ${players} where ${players.marketCode} = ${markets.code})`.mapWith(
        Number,
      ),
      fills: sql<number>`(select count(*) from ${fills} where ${fills.marketCode} = ${markets.code})`.mapWith(Number),
    })
    .from(markets)
    .where(
      and(closedOnly ? isNotNull(markets.closedAt) : undefined, opts.code ? eq(markets.code, opts.code) : undefined),
    )
    .orderBy(desc(markets.createdAt), asc(markets.code))
    .limit(limit);
}

export async function archivedMarket(db: PgDb, code: string): Promise<ArchivedMarket | null> {
  const [row] = await listArchivedMarkets(db, { closedOnly: false, code, limit: 1 });
  return row ?? null;
}

export interface ArchivedFill {
  id: string;
  orderId: string;
  playerId: string;
  playerName: string | null;
  symbol: string;
  side: string;
  qty: number;
  price: number;
  fee: number;
  t: number;
  tick: number;
}

/** Rows per query of the archive's readers: a page is a few hundred KB however big the market. */
export const ARCHIVE_PAGE_ROWS = 5_000;

/** Where a page of fills ends: the last fill's time and id (the export's sort key). */
export interface FillCursor {
  t: number;
  id: string;
}

/**
 * Fills of a market after `after`, at most `limit`, in time order (then fill number), with
 * the player's name: keyset pages, so a deep page costs what the first one does.
 */
export async function archivedFillsPage(
  db: PgDb,
  code: string,
  after: FillCursor | null,
  limit: number,
): Promise<ArchivedFill[]> {
  return (
    db
      .select({
        id: fills.id,
        orderId: fills.orderId,
        playerId: fills.playerId,
        playerName: players.name,
        symbol: fills.symbol,
        side: fills.side,
        qty: fills.qty,
        price: fills.price,
        fee: fills.fee,
        t: fills.t,
        tick: fills.tick,
      })
      .from(fills)
      .leftJoin(players, and(eq(players.marketCode, fills.marketCode), eq(players.id, fills.playerId)))
      .where(
        and(
          eq(fills.marketCode, code),
          // The plain bound lets the (market_code, t) index find the start; the row comparison
          // then skips what the previous page already had within the same millisecond.
          after ? gte(fills.t, after.t) : undefined,
          after
            ? sql`(${fills.t}, length(${fills.id}), ${fills.id}) > (${after.t}, ${after.id.length}, ${after.id})`
            : undefined,
        ),
      )
      // Ids are "f1", "f2", ...: order by their number, not as text ("f10" < "f2").
      .orderBy(asc(fills.t), sql`length(${fills.id})`, asc(fills.id))
      .limit(limit)
  );
}

/** Every fill of a market, a page at a time (the last page may be empty). */
export async function* archivedFillPages(
  db: PgDb,
  code: string,
  pageRows = ARCHIVE_PAGE_ROWS,
): AsyncGenerator<ArchivedFill[]> {
  let after: FillCursor | null = null;
  for (;;) {
    const page = await archivedFillsPage(db, code, after, pageRows);
    yield page;
    if (page.length < pageRows) return;
    const last = page[page.length - 1];
    after = { t: last.t, id: last.id };
  }
}

/** Every fill of a market in time order (then id), with the player's name. */
export async function archivedFills(db: PgDb, code: string): Promise<ArchivedFill[]> {
  const all: ArchivedFill[] = [];
  for await (const page of archivedFillPages(db, code)) all.push(...page);
  return all;
}

export interface ArchivedStanding {
  rank: number;
  playerId: string;
  name: string;
  netWorth: number;
  cash: number;
  closedAt: number;
}

/** Where a page of standings ends: the last row's rank and player (the export's sort key). */
export interface StandingCursor {
  rank: number;
  playerId: string;
}

/** Final standings of a closed market after `after`, best first, at most `limit`; empty while it has not closed. */
export async function archivedStandingsPage(
  db: PgDb,
  code: string,
  after: StandingCursor | null,
  limit: number,
): Promise<ArchivedStanding[]> {
  return db
    .select({
      rank: standings.rank,
      playerId: standings.playerId,
      name: standings.name,
      netWorth: standings.netWorth,
      cash: standings.cash,
      closedAt: standings.closedAt,
    })
    .from(standings)
    .where(
      and(
        eq(standings.marketCode, code),
        after ? gte(standings.rank, after.rank) : undefined,
        after ? sql`(${standings.rank}, ${standings.playerId}) > (${after.rank}, ${after.playerId})` : undefined,
      ),
    )
    .orderBy(asc(standings.rank), asc(standings.playerId))
    .limit(limit);
}

/** The final standings, a page at a time (the last page may be empty). */
export async function* archivedStandingPages(
  db: PgDb,
  code: string,
  pageRows = ARCHIVE_PAGE_ROWS,
): AsyncGenerator<ArchivedStanding[]> {
  let after: StandingCursor | null = null;
  for (;;) {
    const page = await archivedStandingsPage(db, code, after, pageRows);
    yield page;
    if (page.length < pageRows) return;
    const last = page[page.length - 1];
    after = { rank: last.rank, playerId: last.playerId };
  }
}

/** Final standings of a closed market, best first; empty while it has not closed. */
export async function archivedStandings(db: PgDb, code: string): Promise<ArchivedStanding[]> {
  const all: ArchivedStanding[] = [];
  for await (const page of archivedStandingPages(db, code)) all.push(...page);
  return all;
}

/**
 * Candles of one symbol (prices in cents, like the engine's) aggregated to `intervalMs` buckets (aligned to epoch), from the
 * per-tick rows: o = first price, h = max, l = min, c = last, v = shares traded.
 */
export async function archivedCandles(
  db: PgDb,
  code: string,
  symbol: string,
  intervalMs: number,
  range: { from?: number; to?: number } = {},
): Promise<Candle[]> {
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) throw new RangeError(`bad candle interval ${intervalMs}`);
  // Inlined, not bound: the same expression appears in SELECT, GROUP BY and ORDER BY, and
  // Postgres only treats them as one when they are textually equal (no distinct $n).
  const bucket = sql`(${candles.t} - ${candles.t} % ${sql.raw(String(intervalMs))})`;
  const rows = await db
    .select({
      t: sql<number>`${bucket}`.mapWith(Number),
      o: sql<number>`(array_agg(${candles.price} order by ${candles.tick}))[1]`.mapWith(Number),
      h: sql<number>`max(${candles.price})`.mapWith(Number),
      l: sql<number>`min(${candles.price})`.mapWith(Number),
      c: sql<number>`(array_agg(${candles.price} order by ${candles.tick} desc))[1]`.mapWith(Number),
      v: sql<number>`sum(${candles.volume})`.mapWith(Number),
    })
    .from(candles)
    .where(
      and(
        eq(candles.marketCode, code),
        eq(candles.symbol, symbol),
        range.from !== undefined ? sql`${candles.t} >= ${range.from}` : undefined,
        range.to !== undefined ? sql`${candles.t} < ${range.to}` : undefined,
      ),
    )
    .groupBy(bucket)
    .orderBy(bucket);
  return rows;
}
