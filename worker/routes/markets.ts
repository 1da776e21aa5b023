/** Markets: create, list, snapshot, lifecycle, players, exports (organiser unless noted). */
import { Hono } from "hono";
import { ApiError, unwrap } from "../lib/errors";
import { generateMarketCode, marketConfigFrom, randomSeed } from "../market/config";
import { ControlInput, CreateMarketInput } from "../shared/protocol";
import { anonLimit, marketCode, marketStub, registryStub, requireAdmin, valid, type AppEnv } from "./context";
import { getSnapshotCache } from "../lib/snapshotCache";
import { MARKETS_PAGE_DEFAULT, MarketsQuery } from "../registry/listPage";
import { fillsCsv, standingsCsv } from "../exports/marketCsv";

/** Generated codes collide rarely (32^6); a few retries make it vanishingly unlikely. */
const CODE_ATTEMPTS = 5;

export const marketsRouter = new Hono<AppEnv>();

marketsRouter.post("/", requireAdmin, valid("json", CreateMarketInput), async (c) => {
  const input = c.req.valid("json");
  const seed = randomSeed();
  for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
    const code = input.code ?? generateMarketCode();
    const result = await marketStub(c, code).create(marketConfigFrom(input, code, seed));
    if (!result.ok && result.code === "CODE_TAKEN" && input.code === undefined) continue;
    const { market } = unwrap(result);
    await registryStub(c.env).record(market);
    return c.json({ market }, 201);
  }
  throw new ApiError("CODE_TAKEN", "Could not find a free market code; try again.");
});

/**
 * How many running markets of a page the list asks for their live player count. The
 * registry holds the count from the last status change (final for a closed market); a
 * market in the lobby or open keeps gaining players, and those are the ones the organiser
 * is watching.
 */
const LIVE_COUNTS = 50;

/** Newest first, `limit` per page (default 100, at most 500); `next` is the cursor of the following page, null on the last. */
marketsRouter.get("/", requireAdmin, valid("query", MarketsQuery), async (c) => {
  const q = c.req.valid("query");
  const { markets, next } = await registryStub(c.env).list(q.limit ?? MARKETS_PAGE_DEFAULT, q.cursor ?? null);
  const running = markets.filter((m) => m.status !== "closed").slice(0, LIVE_COUNTS);
  await Promise.all(
    running.map(async (m) => {
      try {
        const info = await marketStub(c, m.code).info();
        if (info.ok) m.players = info.market.players ?? m.players;
      } catch {
        // The stored count is a fine answer for a list; the market's own page is live.
      }
    }),
  );
  return c.json({ markets, next });
});

marketsRouter.use("/:code/*", marketCode);
marketsRouter.use("/:code", marketCode);

/** The public snapshot: anyone may read it (the projector, the landing page). */
marketsRouter.get("/:code", anonLimit, async (c) => {
  // A crowd loading the page reads Redis, not the market, while the copy is fresh.
  const cached = await getSnapshotCache(c.env)?.get(c.get("code"));
  if (cached) return c.body(cached, 200, { "Content-Type": "application/json; charset=utf-8", "X-Snapshot": "cache" });
  const { snapshot } = unwrap(await marketStub(c).snapshot());
  return c.json(snapshot);
});

marketsRouter.post("/:code/control", requireAdmin, valid("json", ControlInput), async (c) => {
  const { action } = c.req.valid("json");
  const { market } = unwrap(await marketStub(c).control(action));
  await registryStub(c.env).record(market);
  return c.json({ market });
});

/** Organiser view of the market: rules and the history's health (outbox depth, last drain, last error). */
marketsRouter.get("/:code/admin", requireAdmin, async (c) => {
  const stub = marketStub(c);
  const { market } = unwrap(await stub.info());
  const history = await stub.historyStatus();
  return c.json({ market, history });
});

marketsRouter.get("/:code/players", requireAdmin, async (c) => {
  const { players } = unwrap(await marketStub(c).players());
  return c.json({ players });
});

// Streamed a page at a time (worker/exports/marketCsv.ts): a busy market's fills are far
// more than one RPC may carry.
marketsRouter.get("/:code/export/fills.csv", requireAdmin, async (c) => {
  return csvResponse(await fillsCsv(marketStub(c)), `${c.get("code")}-fills.csv`);
});

marketsRouter.get("/:code/export/standings.csv", requireAdmin, async (c) => {
  return csvResponse(await standingsCsv(marketStub(c)), `${c.get("code")}-standings.csv`);
});

export function csvResponse(csv: string | ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename}"`,
    },
  });
}
