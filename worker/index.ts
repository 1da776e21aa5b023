/**
 * The MarketFlow Worker: the API under /api (one Hono router per resource), the
 * WebSocket upgrade, and the web app as static assets (wrangler.toml [assets]).
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { ApiError, errorBody } from "./lib/errors";
import { archiveRouter } from "./routes/archive";
import { marketsRouter } from "./routes/markets";
import { newsRouter } from "./routes/news";
import { openApiRouter } from "./routes/openapi";
import { ordersRouter } from "./routes/orders";
import { playersRouter } from "./routes/players";
import { symbolsRouter } from "./routes/symbols";
import { wsRouter } from "./routes/ws";
import type { AppEnv } from "./routes/context";
import { MAX_BODY_BYTES } from "./shared/protocol";

export { MarketDurableObject } from "./market/MarketDurableObject";
export { RegistryDurableObject } from "./registry/RegistryDurableObject";
export { BroadcastShard } from "./broadcast/BroadcastShard";

const app = new Hono<AppEnv>();

app.use(
  "/api/*",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody("PAYLOAD_TOO_LARGE", `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`), 413),
  }),
);

app.get("/api/health", (c) => c.json({ ok: true }));
app.route("/api", openApiRouter);
app.route("/api/archive", archiveRouter);
app.route("/api/markets", marketsRouter);
app.route("/api/markets", playersRouter);
app.route("/api/markets", ordersRouter);
app.route("/api/markets", newsRouter);
app.route("/api/markets", symbolsRouter);
app.route("/api/markets", wsRouter);

app.notFound((c) => c.json(errorBody("NOT_FOUND", "No such route."), 404));

app.onError((err, c) => {
  if (err instanceof ApiError) {
    if (err.headers) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(errorBody(err.code, err.message, err.details), err.status as 400);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own refusals (malformed JSON, a wrong content type) are validation errors.
    return c.json(errorBody("VALIDATION", err.message || "The request is not valid."), 400);
  }
  // Never a stack trace to a client: log it here, answer in the contract's shape.
  console.error("unhandled error", err);
  return c.json(errorBody("INTERNAL", "Something went wrong on our side. Please try again."), 500);
});

export default app;
