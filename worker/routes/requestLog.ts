/**
 * One `request` line per API request, written when the answer leaves: the request id
 * (Cloudflare's Ray ID where there is one), method, route pattern, path, market code,
 * status, the refusal's error code, duration and the environment. Never the query string
 * or a header: the feed's ?token= and the Authorization header stay out of the logs.
 */
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { log } from "../lib/log";
import type { AppEnv } from "./context";

export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const startedAt = Date.now();
  const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
  c.set("requestId", requestId);
  try {
    await next();
  } finally {
    const status = c.res.status;
    const fields = {
      requestId,
      method: c.req.method,
      route: routePath(c, -1),
      path: new URL(c.req.url).pathname,
      market: c.get("code"),
      status,
      errorCode: c.get("errorCode"),
      durationMs: Date.now() - startedAt,
      env: c.env.ENVIRONMENT,
    };
    if (status >= 500) log.error("request", fields);
    else log.info("request", fields);
  }
};
