// Redis is an accelerator: without settings, or with a Redis that does not answer, the
// limits hold in process and the snapshot cache steps aside, quickly and quietly.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRateLimiter } from "../../worker/lib/rateLimit";
import { getSnapshotCache } from "../../worker/lib/snapshotCache";

// Port 9 (discard) has nothing listening: connections are refused.
const deadRedis = {
  ...env,
  UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9",
  UPSTASH_REDIS_REST_TOKEN: "t",
} as unknown as Env;
const noRedis = { ...env, UPSTASH_REDIS_REST_URL: "", UPSTASH_REDIS_REST_TOKEN: "" } as unknown as Env;

afterEach(() => vi.restoreAllMocks());

describe("without Redis", () => {
  it("keeps the same limits in process when Redis is not configured", async () => {
    const limiter = createRateLimiter(noRedis);
    for (let i = 0; i < 4; i++) expect(await limiter.limit("order", "MKT:p1", 2)).toEqual({ ok: true });
    expect(await limiter.limit("order", "MKT:p1", 2)).toEqual({ ok: false, retryAfterSec: 1 });
    expect(getSnapshotCache(noRedis)).toBeNull();
  });

  it("falls back to in-process limits at once when Redis does not answer, and says so once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const limiter = createRateLimiter(deadRedis);
    const started = Date.now();
    const results = [];
    for (let i = 0; i < 25; i++) results.push(await limiter.limit("order", "MKT:p2"));
    expect(results.filter((r) => r.ok)).toHaveLength(20);
    expect(results.at(-1)).toEqual({ ok: false, retryAfterSec: 1 });
    // A hang detector, not a stopwatch: one refused connection, then no more waiting on Redis.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(warn.mock.calls.filter(([line]) => String(line).includes('"event":"redis_unavailable"'))).toHaveLength(1);
  });

  it("reads no snapshot and drops writes without throwing when Redis does not answer", async () => {
    const cache = getSnapshotCache(deadRedis)!;
    const started = Date.now();
    await expect(cache.put("DEAD", JSON.stringify({ t: Date.now() }), 2000)).resolves.toBeUndefined();
    expect(await cache.get("DEAD")).toBeNull();
    // A hang detector, not a stopwatch: one refused connection, then no more waiting on Redis.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
