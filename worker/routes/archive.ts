/**
 * The archive: markets and their results read from Postgres history, so they outlive the
 * market object. Organiser only; answers 404 when history is not configured.
 */
import { Hono } from "hono";
import { archivedCandles, archivedMarket, listArchivedMarkets } from "../history/archive";
import { archivedFillsCsv, archivedStandingsCsv } from "../exports/archiveCsv";
import { historyEnabled, withPg } from "../history/db";
import { ApiError } from "../lib/errors";
import { fromCents } from "../shared/money";
import { csvResponse } from "./markets";
import { marketCode, requireAdmin, valid, type AppEnv } from "./context";
import { CANDLE_INTERVAL_MS, CandlesQuery, Symbol } from "../shared/protocol";

export const archiveRouter = new Hono<AppEnv>();
archiveRouter.use("*", requireAdmin);

function requireHistory(env: Env): void {
  if (!historyEnabled(env)) throw new ApiError("NOT_FOUND", "History is not configured on this deployment (DATABASE_URL).");
}

/** Runs a history query; an unreachable database is an error the organiser can read. */
async function fromHistory<T>(env: Env, query: Parameters<typeof withPg<T>>[1]): Promise<T | null> {
  try {
    return await withPg(env, query);
  } catch (err) {
    console.error("archive query failed", err);
    throw new ApiError("INTERNAL", "The history database did not answer; the live markets are unaffected. Try again shortly.");
  }
}

archiveRouter.get("/markets", async (c) => {
  requireHistory(c.env);
  const closedOnly = c.req.query("all") !== "1";
  const rows = (await fromHistory(c.env, (db) => listArchivedMarkets(db, { closedOnly, limit: 500 }))) ?? [];
  return c.json({
    markets: rows.map((m) => ({ ...m, startingCash: fromCents(m.startingCash) })),
  });
});

// Streamed from Postgres a page at a time (worker/exports/archiveCsv.ts).
archiveRouter.get("/markets/:code/fills.csv", marketCode, async (c) => {
  requireHistory(c.env);
  return csvResponse(await archivedFillsCsv(c.env, c.get("code")), `${c.get("code")}-fills-archive.csv`);
});

archiveRouter.get("/markets/:code/standings.csv", marketCode, async (c) => {
  requireHistory(c.env);
  return csvResponse(await archivedStandingsCsv(c.env, c.get("code")), `${c.get("code")}-standings-archive.csv`);
});

/** A past market's chart, from the per-tick history (the live route reads the market). */
archiveRouter.get("/markets/:code/candles/:symbol", marketCode, valid("query", CandlesQuery), async (c) => {
  requireHistory(c.env);
  const code = c.get("code");
  const symbol = Symbol.safeParse(c.req.param("symbol") ?? "");
  if (!symbol.success) throw new ApiError("VALIDATION", "The symbol is not valid.", [{ field: "symbol", message: "1-8 letters A-Z" }]);
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
    candles: rows.map((k) => ({ t: k.t, o: fromCents(k.o), h: fromCents(k.h), l: fromCents(k.l), c: fromCents(k.c), v: k.v })),
  });
});
