/**
 * Security headers on the API's answers (the web app's files get theirs from
 * web/public/_headers): no MIME sniffing, no referrer beyond this origin, no framing. A
 * JSON or CSV answer also gets a policy that lets it load nothing, so a response opened
 * as a page cannot run anything; an HTML page under /api sets its own policy. A WebSocket
 * upgrade (101) is passed through untouched.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";

const API_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
  "X-Frame-Options": "DENY",
};
const NOTHING_TO_LOAD = "default-src 'none'; frame-ancestors 'none'";

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.res.status === 101) return;
  // A response passed on from fetch() (a Durable Object's, say) has immutable headers.
  let res = c.res;
  try {
    res.headers.set("X-Content-Type-Options", "nosniff");
  } catch {
    res = new Response(res.body, res);
  }
  for (const [name, value] of Object.entries(API_HEADERS)) res.headers.set(name, value);
  const type = res.headers.get("Content-Type") ?? "";
  if (!type.startsWith("text/html") && !res.headers.has("Content-Security-Policy"))
    res.headers.set("Content-Security-Policy", NOTHING_TO_LOAD);
  c.res = res;
};
