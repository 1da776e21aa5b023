/**
 * The end of the game: the room's results (the projector, anyone) and each player's own
 * result and trades (the player's token).
 */
import { Hono } from "hono";
import { unwrap } from "../lib/errors";
import { anonLimit, requirePlayer, type AppEnv } from "./context";
import { csvResponse, csvResponseDoc } from "./csv";
import { operation } from "./docs";
import { MarketResults, PlayerResult } from "./resultsResponses";

export const resultsRouter = new Hono<AppEnv>();

resultsRouter.get(
  "/results",
  operation({
    operationId: "getResults",
    summary: "The room's results: top ten, biggest trade, best stock",
    description: "Live while the market runs; final (and cached) once it is closed.",
    tag: "markets",
    caller: "anyone",
    limited: true,
    ok: { 200: MarketResults },
    errors: ["NOT_FOUND"],
  }),
  anonLimit,
  async (c) => c.json(unwrap(await c.var.market.roomResults()).results),
);

resultsRouter.get(
  "/me/result",
  operation({
    operationId: "getMyResult",
    summary: "The player's own result: rank, return, best and worst trade, net worth over time",
    description: "A trade's `gain` is measured at the closing (latest) price, less its fee.",
    tag: "players",
    caller: "player",
    ok: { 200: PlayerResult },
    errors: ["NOT_FOUND"],
  }),
  requirePlayer,
  async (c) => c.json(unwrap(await c.var.market.playerResult(c.get("player").playerId)).result),
);

resultsRouter.get(
  "/me/fills.csv",
  operation({
    operationId: "exportMyFills",
    summary: "The player's own trades as CSV",
    tag: "exports",
    caller: "player",
    ok: { 200: csvResponseDoc("myFills") },
    errors: ["NOT_FOUND"],
  }),
  requirePlayer,
  async (c) => {
    const { fills } = unwrap(await c.var.market.playerFills(c.get("player").playerId));
    const rows = fills.map((f) => [
      f.id,
      f.orderId,
      f.symbol,
      f.side,
      f.qty,
      f.price,
      Math.round(f.price * f.qty * 100) / 100,
      f.fee,
      new Date(f.t).toISOString(),
    ]);
    return csvResponse("myFills", `${c.get("code")}-my-trades.csv`, rows);
  },
);
