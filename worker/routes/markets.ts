/** The markets collection: create and list (organiser). One market's routes are in market.ts. */
import { Hono } from "hono";
import { ApiError, unwrap } from "../lib/errors";
import { generateMarketCode, marketConfigFrom, randomSeed, scriptFrom } from "../market/config";
import { CreateMarketInput } from "../shared/protocol";
import { marketStubFor, registryStub, requireAdmin, valid, type AppEnv } from "./context";
import { operation } from "./docs";
import { MarketAnswer, MarketList } from "./responses";
import { MARKETS_PAGE_DEFAULT, MarketsQuery } from "../registry/listPage";

/** Generated codes collide rarely (32^6); a few retries make it vanishingly unlikely. */
const CODE_ATTEMPTS = 5;

export const marketsRouter = new Hono<AppEnv>();

marketsRouter.post(
  "/",
  operation({
    operationId: "createMarket",
    summary: "Create a market",
    description:
      "Without `code`, a free 6-character code is generated. `news` is the news script: items published `afterOpenMs` of trading after the open.",
    tag: "markets",
    caller: "organiser",
    ok: { 201: MarketAnswer },
    errors: ["VALIDATION", "CODE_TAKEN"],
  }),
  requireAdmin,
  valid("json", CreateMarketInput),
  async (c) => {
    const input = c.req.valid("json");
    const seed = randomSeed();
    for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
      const code = input.code ?? generateMarketCode();
      const result = await marketStubFor(c.env, code).create(marketConfigFrom(input, code, seed), scriptFrom(input));
      if (!result.ok && result.code === "CODE_TAKEN" && input.code === undefined) continue;
      const { market } = unwrap(result);
      await registryStub(c.env).record(market);
      return c.json({ market }, 201);
    }
    throw new ApiError("CODE_TAKEN", "Could not find a free market code; try again.");
  },
);

/**
 * How many running markets of a page the list asks for their live player count. The
 * registry holds the count from the last status change (final for a closed market); a
 * market in the lobby or open keeps gaining players, and those are the ones the organiser
 * is watching.
 */
const LIVE_COUNTS = 50;

marketsRouter.get(
  "/",
  operation({
    operationId: "listMarkets",
    summary: "List markets, newest first, a page at a time",
    description:
      "`limit` per page (default 100, at most 500); `next` is the cursor of the following page, null on the last. Paging is by key: a market created meanwhile shows on a new first page.",
    tag: "markets",
    caller: "organiser",
    ok: { 200: MarketList },
    errors: ["VALIDATION"],
  }),
  requireAdmin,
  valid("query", MarketsQuery),
  async (c) => {
    const q = c.req.valid("query");
    const { markets, next } = await registryStub(c.env).list(q.limit ?? MARKETS_PAGE_DEFAULT, q.cursor ?? null);
    const running = markets.filter((m) => m.status !== "closed").slice(0, LIVE_COUNTS);
    await Promise.all(
      running.map(async (m) => {
        try {
          const info = await marketStubFor(c.env, m.code).info();
          if (info.ok) m.players = info.market.players ?? m.players;
        } catch {
          // The stored count is a fine answer for a list; the market's own page is live.
        }
      }),
    );
    return c.json({ markets, next });
  },
);
