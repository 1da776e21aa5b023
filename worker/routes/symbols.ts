/** Symbols: organiser halt and resume, public candles. */
import { Hono } from "hono";
import { ApiError, unwrap } from "../lib/errors";
import { CandlesQuery, SymbolCode } from "../shared/protocol";
import { anonLimit, requireAdmin, valid, type AppEnv } from "./context";
import { operation, SYMBOL_PARAM } from "./docs";
import { CandleList, HaltAnswer } from "./responses";

export const symbolsRouter = new Hono<AppEnv>();

function symbolParam(raw: string | undefined): string {
  const parsed = SymbolCode.safeParse(raw ?? "");
  if (!parsed.success)
    throw new ApiError("VALIDATION", "The symbol is not valid.", [{ field: "symbol", message: "1-8 letters A-Z" }]);
  return parsed.data;
}

// Halt and resume are one action with two directions: the same checks, answers and errors.
for (const [action, halted, operationId, summary] of [
  ["halt", true, "haltSymbol", "Halt a symbol"],
  ["resume", false, "resumeSymbol", "Resume a halted symbol"],
] as const) {
  symbolsRouter.post(
    `/symbols/:symbol/${action}`,
    operation({
      operationId,
      summary,
      tag: "symbols",
      caller: "organiser",
      params: { symbol: SYMBOL_PARAM },
      ok: { 200: HaltAnswer },
      errors: ["VALIDATION", "NOT_FOUND"],
    }),
    requireAdmin,
    async (c) => {
      const result = unwrap(await c.var.market.halt(symbolParam(c.req.param("symbol")), halted));
      return c.json({ symbol: result.symbol, halted: result.halted });
    },
  );
}

symbolsRouter.get(
  "/candles/:symbol",
  operation({
    operationId: "getCandles",
    summary: "OHLCV candles of a symbol",
    tag: "symbols",
    caller: "anyone",
    limited: true,
    params: { symbol: SYMBOL_PARAM },
    ok: { 200: CandleList },
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  anonLimit,
  valid("query", CandlesQuery),
  async (c) => {
    const q = c.req.valid("query");
    const { candles } = unwrap(
      await c.var.market.candles(symbolParam(c.req.param("symbol")), q.interval ?? "1m", q.from ?? null, q.to ?? null),
    );
    return c.json({ candles });
  },
);
