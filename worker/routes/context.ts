/**
 * What every router shares: the app's types, validators that answer in the contract's
 * shape, the auth guards, and the way to reach a market object.
 */
import type { Context, MiddlewareHandler } from "hono";
import { validator } from "hono-openapi";
import type * as z from "zod";
import { bearerOf, isAdminToken, secretsOf, verifyPlayerToken, type PlayerClaims } from "../lib/auth";
import { ApiError } from "../lib/errors";
import { clientAddress } from "../lib/clientAddress";
import { getRateLimiter, type LimitKind, type LimitResult } from "../lib/rateLimit";
import { MarketCode } from "../shared/protocol";

export type MarketStub = ReturnType<typeof marketStubFor>;
export type AppEnv = {
  Bindings: Env;
  Variables: {
    player: PlayerClaims;
    code: string;
    market: MarketStub;
    /** For the request log (requestLog.ts): the request's id and, for a refusal, its error code. */
    requestId: string;
    errorCode: string;
  };
};
export type AppContext = Context<AppEnv>;

type Target = "json" | "query" | "param";

/**
 * zod validation whose failure is a 400 VALIDATION listing each field and why. It is
 * hono-openapi's validator, so the schema is also the route's documented request.
 */
export function valid<T extends z.ZodType, K extends Target>(target: K, schema: T) {
  return validator(target, schema, (result) => {
    if (!result.success) {
      const details = result.error.map((i) => ({
        field: (i.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".") || target,
        message: i.message,
      }));
      throw new ApiError("VALIDATION", "The request is not valid.", details);
    }
  });
}

/** Reads and checks `:code` (case-insensitive) for every market route. */
export const marketCode: MiddlewareHandler<AppEnv> = async (c, next) => {
  const parsed = MarketCode.safeParse(c.req.param("code") ?? "");
  if (!parsed.success)
    throw new ApiError("VALIDATION", "The market code is not valid.", [
      { field: "code", message: "4-12 characters A-Z or 0-9" },
    ]);
  c.set("code", parsed.data);
  await next();
};

/** After marketCode: the market object of `:code`, as `c.var.market`. */
export const marketObject: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("market", marketStubFor(c.env, c.get("code")));
  await next();
};

/** The organiser only. A player's token is valid but not allowed: 403. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secrets = secretsOf(c.env);
  const token = bearerOf(c.req.header("Authorization"));
  if (!token) throw new ApiError("UNAUTHORIZED", "This needs the organiser token.");
  if (await isAdminToken(secrets, token)) return adminLimit(c, next);
  if (await verifyPlayerToken(secrets, token)) throw new ApiError("FORBIDDEN", "Players cannot do this.");
  throw new ApiError("UNAUTHORIZED", "The token is not valid.");
};

/** A player of this market. Another market's player, or the organiser, gets 403. */
export const requirePlayer: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secrets = secretsOf(c.env);
  const token = bearerOf(c.req.header("Authorization"));
  if (!token) throw new ApiError("UNAUTHORIZED", "Join the market first: this needs a player token.");
  const claims = await verifyPlayerToken(secrets, token);
  if (!claims) {
    if (await isAdminToken(secrets, token))
      throw new ApiError("FORBIDDEN", "This is for players; the organiser has no portfolio.");
    throw new ApiError("UNAUTHORIZED", "The token is not valid or has expired. Join again.");
  }
  if (claims.market !== c.get("code")) throw new ApiError("FORBIDDEN", "This token belongs to another market.");
  c.set("player", claims);
  await next();
};

export function marketStubFor(env: Env, code: string) {
  return env.MARKET.get(env.MARKET.idFromName(code));
}

export function registryStub(env: Env) {
  return env.REGISTRY.get(env.REGISTRY.idFromName("registry"));
}

/**
 * Rate limits, checked before the market is woken: "order" per player (the market's own
 * rate, carried in the token), "orderAddress" per market and client address, "anon" per
 * client address, "admin" for the organiser.
 * Over the limit: 429 RATE_LIMITED with Retry-After in whole seconds.
 */
export async function checkLimit(c: AppContext, kind: LimitKind): Promise<LimitResult> {
  const key =
    kind === "order"
      ? `${c.get("code")}:${c.get("player").playerId}`
      : kind === "orderAddress"
        ? `${c.get("code")}:${clientAddress(c.req.raw.headers)}`
        : kind === "admin"
          ? "organiser"
          : clientAddress(c.req.raw.headers);
  const perSecond = kind === "order" ? c.get("player").ordersPerSecond : undefined;
  return getRateLimiter(c.env).limit(kind, key, perSecond);
}

export function rateLimit(
  kind: LimitKind,
  message = "Too many requests; slow down and try again shortly.",
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const result = await checkLimit(c, kind);
    if (!result.ok) {
      throw new ApiError("RATE_LIMITED", message, undefined, {
        "Retry-After": String(result.retryAfterSec),
      });
    }
    await next();
  };
}

const adminLimit = rateLimit("admin");
/** Per client IP, for every route that needs no token. */
export const anonLimit = rateLimit("anon");
/** Per player, for placing and cancelling orders. */
export const orderLimit = rateLimit("order");
/** Per market and client address, for placing and cancelling orders (after the player's own). */
export const addressOrderLimit = rateLimit(
  "orderAddress",
  "Too many orders from this address (your network) right now; try again shortly.",
);
