/** The organiser's CSV exports of a live market: every fill, and the standings. */
import { Hono } from "hono";
import { unwrap } from "../lib/errors";
import { requireAdmin, type AppEnv } from "./context";
import { csvResponse, csvResponseDoc } from "./csv";
import { operation } from "./docs";

export const exportsRouter = new Hono<AppEnv>();

exportsRouter.get(
  "/export/fills.csv",
  operation({
    operationId: "exportFills",
    summary: "Every fill as CSV",
    tag: "exports",
    caller: "organiser",
    ok: { 200: csvResponseDoc("fills") },
    errors: ["NOT_FOUND"],
  }),
  requireAdmin,
  async (c) => {
    const { rows } = unwrap(await c.var.market.exportFills());
    return csvResponse(
      "fills",
      `${c.get("code")}-fills.csv`,
      rows.map((r) => [r.id, r.orderId, r.player, r.symbol, r.side, r.qty, r.price, r.fee, new Date(r.t).toISOString()]),
    );
  },
);

exportsRouter.get(
  "/export/standings.csv",
  operation({
    operationId: "exportStandings",
    summary: "Standings as CSV",
    tag: "exports",
    caller: "organiser",
    ok: { 200: csvResponseDoc("standings") },
    errors: ["NOT_FOUND"],
  }),
  requireAdmin,
  async (c) => {
    const { players: rows } = unwrap(await c.var.market.players());
    return csvResponse(
      "standings",
      `${c.get("code")}-standings.csv`,
      rows.map((r) => [r.rank, r.name, r.cash, r.netWorth, r.returnPct]),
    );
  },
);
