// Rate limits held in Redis: the allowed rate passes, the next request is refused with
// a Retry-After that is honest, and every Worker isolate counts against the same limit.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createRateLimiter, getRateLimiter } from "../../worker/lib/rateLimit";
import { sleep, unique, upstashConfigured } from "./settings";

describe.skipIf(!upstashConfigured("redis rate limits"))("rate limits in Redis", () => {
  it("lets a player's burst through, refuses the next order, and admits it again after Retry-After", async () => {
    const limiter = createRateLimiter(env, { ephemeralCache: false });
    const player = unique("MKT:player");
    // 5 per second with bursts of 10: ten quick orders pass...
    for (let i = 0; i < 10; i++) expect(await limiter.limit("order", player, 5)).toEqual({ ok: true });
    // ...the eleventh is refused, told to come back in whole seconds...
    const refused = await limiter.limit("order", player, 5);
    expect(refused).toEqual({ ok: false, retryAfterSec: 1 });
    // ...and after waiting that long it is admitted.
    await sleep(1000 * (refused.ok ? 0 : refused.retryAfterSec) + 50);
    expect(await limiter.limit("order", player, 5)).toEqual({ ok: true });
  });

  it("holds the default order limit at bursts of 20", async () => {
    const limiter = createRateLimiter(env, { ephemeralCache: false });
    const player = unique("MKT:player");
    const results = await Promise.all(Array.from({ length: 25 }, () => limiter.limit("order", player)));
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    expect(results.filter((r) => !r.ok)).toHaveLength(5);
  });

  it("shares one limit between two Worker isolates", async () => {
    // Two limiters with nothing in common but Redis, as two isolates would be.
    const isolateA = createRateLimiter(env, { ephemeralCache: false });
    const isolateB = createRateLimiter(env, { ephemeralCache: false });
    const player = unique("MKT:player");
    for (let i = 0; i < 5; i++) {
      expect(await isolateA.limit("order", player, 5)).toEqual({ ok: true });
      expect(await isolateB.limit("order", player, 5)).toEqual({ ok: true });
    }
    expect((await isolateA.limit("order", player, 5)).ok).toBe(false);
    expect((await isolateB.limit("order", player, 5)).ok).toBe(false);
  });

  it("counts each kind and each key separately", async () => {
    const limiter = createRateLimiter(env, { ephemeralCache: false });
    const key = unique("203.0.113.7");
    for (let i = 0; i < 2; i++) await limiter.limit("order", key, 1);
    expect((await limiter.limit("order", key, 1)).ok).toBe(false);
    expect(await limiter.limit("anon", key)).toEqual({ ok: true });
    expect(await limiter.limit("admin", key)).toEqual({ ok: true });
    expect(await limiter.limit("order", unique("other-player"), 1)).toEqual({ ok: true });
  });

  it("lets a venue's worth of phones behind one IP join at once", async () => {
    const limiter = createRateLimiter(env, { ephemeralCache: false });
    const ip = unique("198.51.100.1");
    const results = await Promise.all(Array.from({ length: 250 }, () => limiter.limit("anon", ip)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await limiter.limit("anon", ip)).ok).toBe(false);
  });

  it("keeps refusing from the isolate's memory once Redis has said no", async () => {
    const limiter = getRateLimiter(env);
    expect(getRateLimiter(env)).toBe(limiter);
    const player = unique("MKT:player");
    for (let i = 0; i < 2; i++) await limiter.limit("order", player, 1);
    const first = await limiter.limit("order", player, 1);
    const again = await limiter.limit("order", player, 1);
    expect(first.ok).toBe(false);
    expect(again).toEqual({ ok: false, retryAfterSec: 1 });
  });
});
