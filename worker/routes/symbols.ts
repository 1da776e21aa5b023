/** Symbols: organiser halt and resume, public candles. */
import { Hono } from "hono";
import { ApiError, unwrap } from "../lib/errors";
import { CandlesQuery, Symbol } from "../shared/protocol";
import { anonLimit, marketCode, marketStub, requireAdmin, valid, type AppEnv } from "./context";

export const symbolsRouter = new Hono<AppEnv>();
symbolsRouter.use("/:code/*", marketCode);

function symbolParam(raw: string | undefined): string {
  const parsed = Symbol.safeParse(raw ?? "");
  if (!parsed.success) throw new ApiError("VALIDATION", "The symbol is not valid.", [{ field: "symbol", message: "1-8 letters A-Z" }]);
  return parsed.data;
}

symbolsRouter.post("/:code/symbols/:symbol/halt", requireAdmin, async (c) => {
  const result = unwrap(await marketStub(c).halt(symbolParam(c.req.param("symbol")), true));
  return c.json({ symbol: result.symbol, halted: result.halted });
});

symbolsRouter.post("/:code/symbols/:symbol/resume", requireAdmin, async (c) => {
  const result = unwrap(await marketStub(c).halt(symbolParam(c.req.param("symbol")), false));
  return c.json({ symbol: result.symbol, halted: result.halted });
});

symbolsRouter.get("/:code/candles/:symbol", anonLimit, valid("query", CandlesQuery), async (c) => {
  const q = c.req.valid("query");
  const { candles } = unwrap(
    await marketStub(c).candles(symbolParam(c.req.param("symbol")), q.interval ?? "1m", q.from ?? null, q.to ?? null),
  );
  return c.json({ candles });
});
