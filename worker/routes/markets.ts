/** The markets collection: create and list (organiser). One market's routes are in market.ts. */
import { Hono } from "hono";
import { ApiError, unwrap } from "../lib/errors";
import { generateMarketCode, marketConfigFrom, randomSeed } from "../market/config";
import { CreateMarketInput } from "../shared/protocol";
import { marketStubFor, registryStub, requireAdmin, valid, type AppEnv } from "./context";
import { operation } from "./docs";
import { MarketAnswer, MarketList } from "./responses";

/** Generated codes collide rarely (32^6); a few retries make it vanishingly unlikely. */
const CODE_ATTEMPTS = 5;

export const marketsRouter = new Hono<AppEnv>();

marketsRouter.post(
  "/",
  operation({
    operationId: "createMarket",
    summary: "Create a market",
    description: "Without `code`, a free 6-character code is generated.",
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
      const result = await marketStubFor(c.env, code).create(marketConfigFrom(input, code, seed));
      if (!result.ok && result.code === "CODE_TAKEN" && input.code === undefined) continue;
      const { market } = unwrap(result);
      await registryStub(c.env).record(market);
      return c.json({ market }, 201);
    }
    throw new ApiError("CODE_TAKEN", "Could not find a free market code; try again.");
  },
);

marketsRouter.get(
  "/",
  operation({ operationId: "listMarkets", summary: "List markets, newest first", tag: "markets", caller: "organiser", ok: { 200: MarketList } }),
  requireAdmin,
  async (c) => {
    const markets = await registryStub(c.env).list(500);
    return c.json({ markets });
  },
);
