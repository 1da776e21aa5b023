/**
 * The archive: markets and their results read from Postgres history, so they outlive the
 * market object. Organiser only; answers 404 when history is not configured.
 */
import { Hono } from "hono";
import { archivedFillsCsv, archivedStandingsCsv } from "../exports/archiveCsv";
import { archivedCandles, archivedMarket, listArchivedMarkets } from "../history/archive";
import { historyEnabled, withPg } from "../history/db";
import { ApiError } from "../lib/errors";
import { fromCents } from "../shared/money";
import { marketCode, requireAdmin, valid, type AppEnv } from "./context";
import { csvResponse, csvResponseDoc } from "./csv";
import { operation, SYMBOL_PARAM } from "./docs";
import { ArchivedMarketList, CandleList } from "./responses";
import { CANDLE_INTERVAL_MS, CandlesQuery, SymbolCode } from "../shared/protocol";
import { errorFields, log } from "../lib/log";

/** The archive's own routes only: it is mounted at /api/archive, beside the markets. */
export const archiveRouter = new Hono<AppEnv>();
archiveRouter.use("*", requireAdmin);

const CODE_PARAM = { description: "The market code (case-insensitive)", pattern: "^[A-Za-z0-9]{4,12}$" };
/** Every archive route: 404 without history, 500 when the database does not answer. */
const ARCHIVE_ERRORS = ["NOT_FOUND", "INTERNAL"] as const;

function requireHistory(env: Env): void {
  if (!historyEnabled(env))
    throw new ApiError("NOT_FOUND", "History is not configured on this deployment (DATABASE_URL).");
}

/** Runs a history query; an unreachable database is an error the organiser can read. */
async function fromHistory<T>(env: Env, query: Parameters<typeof withPg<T>>[1]): Promise<T | null> {
  try {
    return await withPg(env, query);
  } catch (err) {
    log.error("archive_query_failed", errorFields(err));
    throw new ApiError(
      "INTERNAL",
      "The history database did not answer; the live markets are unaffected. Try again shortly.",
    );
  }
}

archiveRouter.get(
  "/markets",
  operation({
    operationId: "listArchivedMarkets",
    summary: "Markets in the Postgres history (closed ones; ?all=1 for all)",
    tag: "archive",
    caller: "organiser",
    query: { all: { description: "1 to list every market in the history, not only the closed ones" } },
    ok: { 200: ArchivedMarketList },
    errors: [...ARCHIVE_ERRORS],
  }),
  async (c) => {
    requireHistory(c.env);
    const closedOnly = c.req.query("all") !== "1";
    const rows = (await fromHistory(c.env, (db) => listArchivedMarkets(db, { closedOnly, limit: 500 }))) ?? [];
    return c.json({
      markets: rows.map((m) => ({ ...m, startingCash: fromCents(m.startingCash) })),
    });
  },
);

archiveRouter.get(
  "/markets/:code/fills.csv",
  operation({
    operationId: "exportArchivedFills",
    summary: "Archived fills as CSV",
    tag: "archive",
    caller: "organiser",
    params: { code: CODE_PARAM },
    ok: { 200: csvResponseDoc("fills") },
    errors: ["VALIDATION", ...ARCHIVE_ERRORS],
  }),
  marketCode,
  async (c) => {
    requireHistory(c.env);
    // Streamed from Postgres a page at a time (worker/exports/archiveCsv.ts).
    const code = c.get("code");
    return csvResponse("fills", `${code}-fills-archive.csv`, await archivedFillsCsv(c.env, code));
  },
);

archiveRouter.get(
  "/markets/:code/standings.csv",
  operation({
    operationId: "exportArchivedStandings",
    summary: "Archived final standings as CSV",
    tag: "archive",
    caller: "organiser",
    params: { code: CODE_PARAM },
    ok: { 200: csvResponseDoc("archivedStandings") },
    errors: ["VALIDATION", ...ARCHIVE_ERRORS],
  }),
  marketCode,
  async (c) => {
    requireHistory(c.env);
    const code = c.get("code");
    return csvResponse("archivedStandings", `${code}-standings-archive.csv`, await archivedStandingsCsv(c.env, code));
  },
);

/** A past market's chart, from the per-tick history (the live route reads the market). */
archiveRouter.get(
  "/markets/:code/candles/:symbol",
  operation({
    operationId: "getArchivedCandles",
    summary: "A past market's candles from the history",
    tag: "archive",
    caller: "organiser",
    params: { code: CODE_PARAM, symbol: SYMBOL_PARAM },
    ok: { 200: CandleList },
    errors: ["VALIDATION", ...ARCHIVE_ERRORS],
  }),
  marketCode,
  valid("query", CandlesQuery),
  async (c) => {
    requireHistory(c.env);
    const code = c.get("code");
    const symbol = SymbolCode.safeParse(c.req.param("symbol") ?? "");
    if (!symbol.success)
      throw new ApiError("VALIDATION", "The symbol is not valid.", [{ field: "symbol", message: "1-8 letters A-Z" }]);
    const q = c.req.valid("query");
    const interval = q.interval ?? "1m";
    const rows = await fromHistory(c.env, async (db) => {
      const market = await archivedMarket(db, code);
      if (!market) return null;
      const intervalMs = CANDLE_INTERVAL_MS[interval] || market.tickMs;
      return archivedCandles(db, code, symbol.data, intervalMs, { from: q.from, to: q.to });
    });
    if (!rows) throw new ApiError("NOT_FOUND", "No market with this code in the history.");
    return c.json({
      candles: rows.map((k) => ({
        t: k.t,
        o: fromCents(k.o),
        h: fromCents(k.h),
        l: fromCents(k.l),
        c: fromCents(k.c),
        v: k.v,
      })),
    });
  },
);
