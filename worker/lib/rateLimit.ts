// Rate limits for the routes: per player and per client address for orders, per client
// address for anonymous routes, and a separate generous one for the organiser.
//
// With the Upstash settings the limits live in Redis (@upstash/ratelimit), so every
// Worker isolate shares them. Without them, or while Redis does not answer, the same
// limits are kept in process: per isolate, so a client spread over several isolates
// gets somewhat more, which is the right failure mode for an accelerator.
import { Ratelimit } from "@upstash/ratelimit";
import { getRedis, REDIS_TIMEOUT_MS, type RedisAccess } from "./redis";

export type LimitKind = "order" | "orderAddress" | "anon" | "admin";
export type LimitResult = { ok: true } | { ok: false; retryAfterSec: number };
export interface RateLimiter {
  limit(kind: LimitKind, key: string, perSecond?: number): Promise<LimitResult>;
}

/**
 * All three are token buckets: `perSecond` tokens are added every second, up to
 * `burst`. A bucket says "this rate, with bursts of that" directly, which a sliding
 * window cannot: a 10/s window refuses the 11th tap in any second, however idle the
 * player was before. Here a player who has been watching the chart can fire a burst of
 * orders when the news lands, while a script is held to the sustained rate.
 */
const POLICIES: Record<LimitKind, { perSecond: number; burstFactor: number }> = {
  // Per player (key: market code + player id). 10/s is faster than anyone taps; the
  // burst of 2x lets a quick human through a flurry. A market may set its own rate.
  order: { perSecond: 10, burstFactor: 2 },
  // Per market and client address (lib/clientAddress.ts), on top of the player's own: without
  // it, an address's order rate grows with every player it joins (150 bots at 10/s each put
  // 1,500/s at the market). 50/s is a hall of 1,000 honest phones behind one NAT each
  // trading once every 20 s, a lively game; 150 bots get a thirtieth of what they offer.
  // The burst is small on purpose: a burst admitted at once is a queue at the market that
  // every other player waits behind (500 at once held another player's order for seconds
  // in bench/floods.mjs; 100 kept its p99 near one second on a loaded machine). A hall's
  // news flash beyond it is told to retry in a second. Players on other addresses are not
  // touched.
  orderAddress: { perSecond: 50, burstFactor: 2 },
  // Per client IP (CF-Connecting-IP). Generous on purpose: at a fest or in a lecture
  // hall hundreds of phones share one NAT'd address and join within seconds of the code
  // going up on screen. A burst of 250 then 50/s admits a room of 300 in about a
  // second, while still stopping a single machine from flooding joins or reads.
  anon: { perSecond: 50, burstFactor: 5 },
  // Per organiser token. Dashboards, news scripts and CSV exports; the limit only
  // exists to stop a runaway loop.
  admin: { perSecond: 100, burstFactor: 5 },
};

const REFILL_INTERVAL_MS = 1_000;

type Policy = { perSecond: number; burst: number };

function policyFor(kind: LimitKind, perSecond?: number): Policy {
  const base = POLICIES[kind];
  const rate =
    perSecond !== undefined && Number.isFinite(perSecond) && perSecond > 0 ? Math.ceil(perSecond) : base.perSecond;
  return { perSecond: rate, burst: Math.ceil(rate * base.burstFactor) };
}

/** Whole seconds until `resetAtMs`, at least 1 (Retry-After: 0 invites a hot loop). */
function retryAfter(resetAtMs: number, now: number): number {
  return Math.max(1, Math.ceil((resetAtMs - now) / 1000));
}

const OK: LimitResult = { ok: true };

export type RateLimiterOptions = {
  /**
   * Remember refused identifiers in the isolate until their reset, so a client
   * hammering past its limit costs no Redis call. On in production; tests turn it off
   * to prove that two instances share one limit through Redis alone.
   */
  ephemeralCache?: boolean;
};

/** A fresh limiter with its own caches. Routes use getRateLimiter; tests use this. */
export function createRateLimiter(env: Env, options: RateLimiterOptions = {}): RateLimiter {
  const access = getRedis(env);
  const useEphemeralCache = options.ephemeralCache ?? true;
  const redisLimiters = new Map<string, Ratelimit>();
  const local = new LocalBuckets();

  function redisLimiter(redis: RedisAccess["redis"], kind: LimitKind, policy: Policy): Ratelimit {
    const name = `${kind}:${policy.perSecond}:${policy.burst}`;
    let limiter = redisLimiters.get(name);
    if (!limiter) {
      limiter = new Ratelimit({
        redis,
        limiter: Ratelimit.tokenBucket(policy.perSecond, `${REFILL_INTERVAL_MS} ms`, policy.burst),
        prefix: `mf:rl:${name}`,
        ephemeralCache: useEphemeralCache ? new Map() : false,
        analytics: false,
        enableTelemetry: false,
        // A backstop only: the Redis client aborts each request after REDIS_TIMEOUT_MS.
        // On this timeout the library answers "allowed"; we take the local limit instead.
        timeout: REDIS_TIMEOUT_MS * 3,
      });
      redisLimiters.set(name, limiter);
    }
    return limiter;
  }

  return {
    async limit(kind, key, perSecond) {
      const policy = policyFor(kind, perSecond);
      if (access?.health.usable()) {
        try {
          const res = await redisLimiter(access.redis, kind, policy).limit(key);
          if (res.reason === "timeout") throw new Error(`no answer within ${REDIS_TIMEOUT_MS * 3} ms`);
          access.health.succeeded();
          return res.success ? OK : { ok: false, retryAfterSec: retryAfter(res.reset, Date.now()) };
        } catch (err) {
          access.health.failed("rate limit", err);
        }
      }
      return local.take(`${kind}:${policy.perSecond}:${policy.burst}:${key}`, policy, Date.now());
    },
  };
}

// One limiter per settings per isolate, so its Ratelimit instances, ephemeral cache and
// in-process buckets live as long as the isolate does.
const shared = new Map<string, RateLimiter>();

export function getRateLimiter(env: Env): RateLimiter {
  const vars = env as unknown as Record<string, string | undefined>;
  const name = `${vars.UPSTASH_REDIS_REST_URL ?? ""}|${vars.UPSTASH_REDIS_REST_TOKEN ?? ""}`;
  let limiter = shared.get(name);
  if (!limiter) {
    limiter = createRateLimiter(env);
    shared.set(name, limiter);
  }
  return limiter;
}

/** Cap on in-process buckets, so a flood of distinct keys cannot grow the isolate without bound. */
const MAX_LOCAL_BUCKETS = 50_000;

/**
 * The same token bucket as @upstash/ratelimit's script (whole refills of `perSecond`
 * tokens each interval, counted from when the bucket was last refilled), kept in a Map.
 */
class LocalBuckets {
  private buckets = new Map<string, { tokens: number; refilledAt: number }>();

  take(id: string, policy: Policy, now: number): LimitResult {
    let bucket = this.buckets.get(id);
    if (!bucket) {
      if (this.buckets.size >= MAX_LOCAL_BUCKETS) this.prune(now);
      bucket = { tokens: policy.burst, refilledAt: now };
      this.buckets.set(id, bucket);
    } else if (now >= bucket.refilledAt + REFILL_INTERVAL_MS) {
      const refills = Math.floor((now - bucket.refilledAt) / REFILL_INTERVAL_MS);
      bucket.tokens = Math.min(policy.burst, bucket.tokens + refills * policy.perSecond);
      bucket.refilledAt += refills * REFILL_INTERVAL_MS;
    }
    if (bucket.tokens < 1) return { ok: false, retryAfterSec: retryAfter(bucket.refilledAt + REFILL_INTERVAL_MS, now) };
    bucket.tokens -= 1;
    return OK;
  }

  /** Drops buckets idle long enough to be full again (a fresh one is identical), else the oldest half. */
  private prune(now: number): void {
    const idleMs = 60_000;
    for (const [id, bucket] of this.buckets) {
      if (now - bucket.refilledAt > idleMs) this.buckets.delete(id);
    }
    if (this.buckets.size < MAX_LOCAL_BUCKETS) return;
    let drop = Math.floor(this.buckets.size / 2);
    for (const id of this.buckets.keys()) {
      if (drop-- <= 0) break;
      this.buckets.delete(id);
    }
  }
}
