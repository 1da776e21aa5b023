/** The organiser's CSV exports of a live market: every fill, and the standings. */
import { Hono } from "hono";
import { fillsCsv, standingsCsv } from "../exports/marketCsv";
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
  // Streamed a page at a time (worker/exports/marketCsv.ts): a busy market's fills are far
  // more than one RPC may carry (32 MiB).
  async (c) => csvResponse("fills", `${c.get("code")}-fills.csv`, await fillsCsv(c.var.market)),
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
  async (c) => csvResponse("standings", `${c.get("code")}-standings.csv`, await standingsCsv(c.var.market)),
);
