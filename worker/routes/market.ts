/**
 * One market, mounted once at /api/markets/:code: the market code is read and the market
 * object looked up here, for every route beneath (c.var.code, c.var.market). Each
 * resource router below is mounted at "/" and guards its own routes route by route: a
 * `use()` in one of them would apply to every other resource's routes as well.
 */
import { Hono } from "hono";
import { describeRoute } from "hono-openapi";
import { unwrap } from "../lib/errors";
import { getSnapshotCache } from "../lib/snapshotCache";
import { toCents } from "../shared/money";
import { ControlInput, MarketSettingsInput } from "../shared/protocol";
import { anonLimit, marketCode, marketObject, registryStub, requireAdmin, valid, type AppEnv } from "./context";
import { errorResponses, operation } from "./docs";
import { exportsRouter } from "./exports";
import { moderationRouter } from "./moderation";
import { newsRouter } from "./news";
import { ordersRouter } from "./orders";
import { playersRouter } from "./players";
import { MarketAdminView, MarketAnswer, MarketSnapshot, Scenario } from "./responses";
import { resultsRouter } from "./results";
import { sessionRouter } from "./session";
import { symbolsRouter } from "./symbols";
import { wsRouter } from "./ws";

export const marketRouter = new Hono<AppEnv>();

marketRouter.use(
  describeRoute({
    parameters: [
      {
        name: "code",
        in: "path",
        required: true,
        description: "The market code, 4-12 letters or digits (case-insensitive)",
        schema: { type: "string", pattern: "^[A-Za-z0-9]{4,12}$" },
      },
    ],
    responses: errorResponses(["VALIDATION"]),
  }),
  marketCode,
  marketObject,
);

/** The public snapshot: anyone may read it (the projector, the landing page). */
marketRouter.get(
  "/",
  operation({
    operationId: "getMarket",
    summary: "Public snapshot of a market",
    description: "Quotes, news and the top ten. May be served from a cached copy (header `X-Snapshot: cache`).",
    tag: "markets",
    caller: "anyone",
    limited: true,
    ok: { 200: MarketSnapshot },
    errors: ["NOT_FOUND"],
  }),
  anonLimit,
  async (c) => {
    // A crowd loading the page reads Redis, not the market, while the copy is fresh.
    const cached = await getSnapshotCache(c.env)?.get(c.get("code"));
    if (cached)
      return c.body(cached, 200, { "Content-Type": "application/json; charset=utf-8", "X-Snapshot": "cache" });
    const { snapshot } = unwrap(await c.var.market.snapshot());
    return c.json(snapshot);
  },
);

marketRouter.post(
  "/control",
  operation({
    operationId: "controlMarket",
    summary: "Open, pause, resume or close the market",
    tag: "markets",
    caller: "organiser",
    ok: { 200: MarketAnswer },
    errors: ["VALIDATION", "NOT_FOUND", "MARKET_NOT_OPEN"],
  }),
  requireAdmin,
  valid("json", ControlInput),
  async (c) => {
    const { action } = c.req.valid("json");
    const { market } = unwrap(await c.var.market.control(action));
    await registryStub(c.env).record(market);
    return c.json({ market });
  },
);

/** Organiser view of the market: rules and the history's health (outbox depth, last drain, last error). */
marketRouter.get(
  "/admin",
  operation({
    operationId: "getMarketAdmin",
    summary: "Organiser view: rules and history health",
    tag: "markets",
    caller: "organiser",
    ok: { 200: MarketAdminView },
    errors: ["NOT_FOUND"],
  }),
  requireAdmin,
  async (c) => {
    const stub = c.var.market;
    const { market } = unwrap(await stub.info());
    const history = await stub.historyStatus();
    return c.json({ market, history });
  },
);

/** Settings after creation: everything in the lobby, only the safe rules once trading started. */
marketRouter.patch(
  "/",
  operation({
    operationId: "updateMarket",
    summary: "Change the market's name, starting cash, tick or rules",
    description:
      "In the lobby every setting may change (a new starting cash is given to everyone who joined). Once trading has started only maxOrderQty, maxOpenOrders, limitPriceBand, haltBand, haltWindowTicks, haltTicks, maxPlayers, lateEntry and the name may; anything else is 409 MARKET_NOT_OPEN naming it, and nothing changes. ordersPerSecond changes only before anyone joins.",
    tag: "markets",
    caller: "organiser",
    ok: { 200: MarketAnswer },
    errors: ["VALIDATION", "NOT_FOUND", "MARKET_NOT_OPEN", "MARKET_FULL"],
  }),
  requireAdmin,
  valid("json", MarketSettingsInput),
  async (c) => {
    const input = c.req.valid("json");
    const { market } = unwrap(
      await c.var.market.updateSettings({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.startingCash !== undefined ? { startingCash: toCents(input.startingCash) } : {}),
        ...(input.tickMs !== undefined ? { tickMs: input.tickMs } : {}),
        ...(input.rules !== undefined ? { rules: input.rules } : {}),
      }),
    );
    await registryStub(c.env).record(market);
    return c.json({ market });
  },
);

/** The market's setup as a scenario file, to save and run again (shared/scenario.ts). */
marketRouter.get(
  "/scenario",
  operation({
    operationId: "exportScenario",
    summary: "The market's setup as a scenario file",
    description:
      "The create body (starting prices, rules, tick) and the news script; news published by hand after the open is put into the script at its distance from the open. Served as a download (`Content-Disposition`).",
    tag: "markets",
    caller: "organiser",
    ok: { 200: Scenario },
    errors: ["NOT_FOUND"],
  }),
  requireAdmin,
  async (c) => {
    const { scenario } = unwrap(await c.var.market.scenario());
    c.header("Content-Disposition", `attachment; filename="${c.get("code").toLowerCase()}-scenario.json"`);
    return c.json(scenario);
  },
);

marketRouter.route("/", playersRouter);
marketRouter.route("/", ordersRouter);
marketRouter.route("/", newsRouter);
marketRouter.route("/", sessionRouter);
marketRouter.route("/", resultsRouter);
marketRouter.route("/", symbolsRouter);
marketRouter.route("/", exportsRouter);
marketRouter.route("/", wsRouter);
marketRouter.route("/", moderationRouter);
