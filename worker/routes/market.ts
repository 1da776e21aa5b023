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
import { ControlInput } from "../shared/protocol";
import { anonLimit, marketCode, marketObject, registryStub, requireAdmin, valid, type AppEnv } from "./context";
import { errorResponses, operation } from "./docs";
import { exportsRouter } from "./exports";
import { moderationRouter } from "./moderation";
import { newsRouter } from "./news";
import { ordersRouter } from "./orders";
import { playersRouter } from "./players";
import { MarketAdminView, MarketAnswer, MarketSnapshot } from "./responses";
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

marketRouter.route("/", playersRouter);
marketRouter.route("/", ordersRouter);
marketRouter.route("/", newsRouter);
marketRouter.route("/", symbolsRouter);
marketRouter.route("/", exportsRouter);
marketRouter.route("/", wsRouter);
marketRouter.route("/", moderationRouter);
