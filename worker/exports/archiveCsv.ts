/**
 * The archive's CSV exports, streamed from Postgres: keyset pages over one connection that
 * lives as long as the body is read (worker/history/db.ts withPgPages).
 */
import { archivedFillPages, archivedMarket, archivedStandingPages } from "../history/archive";
import { withPgPages, type HistoryDb } from "../history/db";
import type { CsvCell } from "../lib/csv";
import { csvStream } from "../lib/csvStream";
import { ApiError } from "../lib/errors";
import { fromCents } from "../shared/money";
import { csvHeader } from "../routes/csv";
import { errorFields, log } from "../lib/log";

export function archivedFillsCsv(env: Env, code: string): Promise<ReadableStream<Uint8Array>> {
  return streamFromHistory(env, code, csvHeader("fills"), async function* (db) {
    for await (const page of archivedFillPages(db, code))
      yield page.map((f) => [
        f.id,
        f.orderId,
        f.playerName ?? f.playerId,
        f.symbol,
        f.side,
        f.qty,
        fromCents(f.price),
        fromCents(f.fee),
        new Date(f.t).toISOString(),
      ]);
  });
}

export function archivedStandingsCsv(env: Env, code: string): Promise<ReadableStream<Uint8Array>> {
  return streamFromHistory(env, code, csvHeader("archivedStandings"), async function* (db) {
    for await (const page of archivedStandingPages(db, code))
      yield page.map((s) => [s.rank, s.name, fromCents(s.cash), fromCents(s.netWorth)]);
  });
}

/**
 * The first page is read before the answer starts, so an unknown market is still a 404 and
 * an unreachable database a 500 the organiser can read; a failure later cuts the body short.
 */
async function streamFromHistory(
  env: Env,
  code: string,
  header: string[],
  rows: (db: HistoryDb) => AsyncIterable<CsvCell[][]>,
): Promise<ReadableStream<Uint8Array>> {
  const pages = withPgPages(env, async function* (db) {
    if (!(await archivedMarket(db, code))) throw new ApiError("NOT_FOUND", "No market with this code in the history.");
    yield* rows(db);
  });
  try {
    return await csvStream(header, pages);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    log.error("archive_query_failed", { market: code, ...errorFields(err) });
    throw new ApiError(
      "INTERNAL",
      "The history database did not answer; the live markets are unaffected. Try again shortly.",
    );
  }
}
