/** The timed session: schedule, move or clear the market's own open and close (organiser). */
import { Hono } from "hono";
import { unwrap } from "../lib/errors";
import { SessionInput } from "../shared/protocol";
import { registryStub, requireAdmin, valid, type AppEnv } from "./context";
import { operation } from "./docs";
import { MarketAnswer } from "./responses";

export const sessionRouter = new Hono<AppEnv>();

sessionRouter.patch(
  "/session",
  operation({
    operationId: "setMarketSession",
    summary: "Schedule the market's open and close",
    description:
      "Fields left out keep their value, null clears one. `opensAt` and `closesAt` are epoch milliseconds; `durationMs` closes the market that long after it opens (once it is open: that long from now). Give `closesAt` or `durationMs`, not both. Times in the past, a close before the open, or a session shorter than 10 s or longer than 7 days are refused. Only the close can change once the market is open; a closed market's session is final.",
    tag: "markets",
    caller: "organiser",
    ok: { 200: MarketAnswer },
    errors: ["VALIDATION", "NOT_FOUND", "MARKET_NOT_OPEN"],
  }),
  requireAdmin,
  valid("json", SessionInput),
  async (c) => {
    const { market } = unwrap(await c.var.market.setSession(c.req.valid("json")));
    await registryStub(c.env).record(market);
    return c.json({ market });
  },
);
