// The one place the Worker (and the market object) creates its Redis client.
//
// Redis is an accelerator, never a source of truth: every caller has a fallback, so a
// Redis call is given one short attempt, and after a failure Redis is left alone for a
// few seconds instead of making every request wait for the same timeout.
import { Redis } from "@upstash/redis/cloudflare";
import { errorFields, log } from "./log";

/**
 * Longest a single Redis request may take. Upstash answers a Worker in a few ms in the
 * same region and tens of ms across regions; 300 ms covers that with room, and is
 * still short enough that a hung Redis costs a request little before the fallback.
 */
export const REDIS_TIMEOUT_MS = 300;

/** After a failure, skip Redis for this long before trying it again. */
const SUSPEND_AFTER_FAILURE_MS = 5_000;

export type RedisSettings = { url: string; token: string };

/** The Upstash settings, or null when either is missing or empty. */
export function redisSettings(env: Env): RedisSettings | null {
  // Read loosely: the generated Env gains these bindings only once they are configured.
  const vars = env as unknown as Record<string, string | undefined>;
  const url = vars.UPSTASH_REDIS_REST_URL?.trim() ?? "";
  const token = vars.UPSTASH_REDIS_REST_TOKEN?.trim() ?? "";
  return url && token ? { url, token } : null;
}

/**
 * Whether Redis may be tried now, and the place to report how a call went. One per
 * Redis URL per isolate, so the fallback is logged once per outage, not per request.
 */
export interface RedisHealth {
  usable(): boolean;
  succeeded(): void;
  failed(where: string, err: unknown): void;
}

export type RedisAccess = { redis: Redis; health: RedisHealth };

export type RedisOptions = {
  /** Return values exactly as stored (no JSON parsing of string values). */
  raw?: boolean;
  timeoutMs?: number;
};

const clients = new Map<string, Redis>();
const healthByUrl = new Map<string, RedisHealth>();

/** The Redis client for these settings (cached per isolate), or null without settings. */
export function getRedis(env: Env, options: RedisOptions = {}): RedisAccess | null {
  const settings = redisSettings(env);
  if (!settings) return null;
  const timeoutMs = options.timeoutMs ?? REDIS_TIMEOUT_MS;
  const cacheKey = JSON.stringify([settings.url, settings.token, timeoutMs, Boolean(options.raw)]);
  let redis = clients.get(cacheKey);
  if (!redis) {
    redis = new Redis({
      // Local bridges are plain http://127.0.0.1:PORT; the client accepts http and https.
      url: settings.url,
      token: settings.token,
      enableTelemetry: false,
      // One attempt only (the default is 5 retries with backoff, about 4 s): the caller
      // falls back at once instead.
      retry: { retries: 0, backoff: () => 0 },
      // A fresh timeout per request. The client rethrows the abort, so a slow Redis
      // surfaces as an error the caller handles like any other failure.
      signal: () => AbortSignal.timeout(timeoutMs),
      automaticDeserialization: !options.raw,
    });
    clients.set(cacheKey, redis);
  }
  return { redis, health: healthFor(settings.url) };
}

function healthFor(url: string): RedisHealth {
  let health = healthByUrl.get(url);
  if (health) return health;
  let down = false;
  let suspendedUntil = 0;
  health = {
    usable: () => Date.now() >= suspendedUntil,
    succeeded() {
      if (!down) return;
      down = false;
      log.info("redis_recovered", { redis: url, resumed: "Redis-backed rate limits and snapshot cache" });
    },
    failed(where, err) {
      suspendedUntil = Date.now() + SUSPEND_AFTER_FAILURE_MS;
      if (down) return;
      down = true;
      log.warn("redis_unavailable", {
        redis: url,
        where,
        ...errorFields(err),
        fallback: "in-process rate limits; snapshots read from the market",
        retryAfterMs: SUSPEND_AFTER_FAILURE_MS,
      });
    },
  };
  healthByUrl.set(url, health);
  return health;
}
