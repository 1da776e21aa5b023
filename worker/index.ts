/**
 * The MarketFlow Worker: the API under /api, the WebSocket upgrade, and the web app as
 * static assets (wrangler.toml [assets]). The route tree:
 *   /api/markets          create, list (markets.ts)
 *   /api/markets/:code    one market (market.ts), its resources mounted beneath it
 *   /api/archive          past markets from the history (archive.ts)
 *   /api/scenarios        checking a scenario file (scenarios.ts)
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { ApiError, errorBody } from "./lib/errors";
import { errorFields, log } from "./lib/log";
import { archiveRouter } from "./routes/archive";
import type { AppEnv } from "./routes/context";
import { operation } from "./routes/docs";
import { marketRouter } from "./routes/market";
import { marketsRouter } from "./routes/markets";
import { openApiHandler } from "./routes/openapi";
import { publicOriginOf } from "./lib/publicOrigin";
import { apiReference } from "./routes/reference";
import { requestLog } from "./routes/requestLog";
import { Health, Site } from "./routes/responses";
import { scenariosRouter } from "./routes/scenarios";
import { securityHeaders } from "./routes/securityHeaders";
import { MAX_BODY_BYTES } from "./shared/protocol";
import { MAX_SCENARIO_BYTES } from "./shared/scenario";

export { MarketDurableObject } from "./market/MarketDurableObject";
export { RegistryDurableObject } from "./registry/RegistryDurableObject";
export { BroadcastShard } from "./broadcast/BroadcastShard";

const app = new Hono<AppEnv>();

app.use("/api/*", requestLog, securityHeaders);
const limitOf = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: (c) => {
      c.set("errorCode", "PAYLOAD_TOO_LARGE");
      return c.json(errorBody("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${maxSize} bytes.`), 413);
    },
  });
const standardLimit = limitOf(MAX_BODY_BYTES);
/** Bodies that carry a whole scenario (a long news script) may be larger than the rest. */
const scenarioLimit = limitOf(MAX_SCENARIO_BYTES);
const SCENARIO_BODIES = new Set(["/api/markets", "/api/markets/", "/api/scenarios/check"]);

app.use("/api/*", (c, next) =>
  (c.req.method === "POST" && SCENARIO_BODIES.has(c.req.path) ? scenarioLimit : standardLimit)(c, next),
);

app.get(
  "/api/health",
  operation({
    operationId: "getHealth",
    summary: "The Worker is up",
    tag: "service",
    caller: "anyone",
    ok: { 200: Health },
  }),
  (c) => c.json({ ok: true }),
);
app.get(
  "/api/site",
  operation({
    operationId: "getSite",
    summary: "Where players join: the public origin for QR codes and join links",
    description:
      "`publicOrigin` is the PUBLIC_ORIGIN setting when set (a laptop-hosted event's network address, say), else the origin this request came to.",
    tag: "service",
    caller: "anyone",
    ok: { 200: Site },
  }),
  (c) => c.json({ publicOrigin: publicOriginOf(c.env.PUBLIC_ORIGIN, c.req.url) }),
);
app.get(
  "/api/openapi.json",
  operation({
    operationId: "getOpenApiDocument",
    summary: "This document",
    tag: "service",
    caller: "anyone",
    ok: {
      200: {
        description: "The OpenAPI 3.1 document of every route",
        content: { "application/json": { schema: { type: "object" } } },
      },
    },
  }),
  openApiHandler(app),
);
app.get(
  "/api/docs",
  operation({
    operationId: "getApiReference",
    summary: "A readable reference of this document (HTML, rendered by Scalar)",
    tag: "service",
    caller: "anyone",
    ok: {
      200: {
        description: "An HTML page that loads this deployment's copy of Scalar and renders /api/openapi.json",
        content: { "text/html": { schema: { type: "string" } } },
      },
    },
  }),
  apiReference,
);
app.route("/api/archive", archiveRouter);
app.route("/api/markets", marketsRouter);
app.route("/api/scenarios", scenariosRouter);
app.route("/api/markets/:code", marketRouter);

app.notFound((c) => {
  c.set("errorCode", "NOT_FOUND");
  return c.json(errorBody("NOT_FOUND", "No such route."), 404);
});

app.onError((err, c) => {
  if (err instanceof ApiError) {
    c.set("errorCode", err.code);
    if (err.headers) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(errorBody(err.code, err.message, err.details), err.status as 400);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own refusals (malformed JSON, a wrong content type) are validation errors.
    c.set("errorCode", "VALIDATION");
    return c.json(errorBody("VALIDATION", err.message || "The request is not valid."), 400);
  }
  // Never a stack trace to a client: log it here (with the request's id), answer in the
  // contract's shape.
  c.set("errorCode", "INTERNAL");
  log.error("unhandled_error", { requestId: c.get("requestId"), ...errorFields(err) });
  return c.json(errorBody("INTERNAL", "Something went wrong on our side. Please try again."), 500);
});

export default app;
