// Redis going away in the middle of a run: the Worker's limiter and snapshot cache
// (the same modules the Worker runs, here in Node) keep working without it and pick
// Redis up again when it returns. A Redis that hangs costs one short timeout, not one
// per request.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createRateLimiter } from "../../worker/lib/rateLimit";
import { REDIS_TIMEOUT_MS } from "../../worker/lib/redis";
import { getSnapshotCache } from "../../worker/lib/snapshotCache";
import { createBridge } from "../../dev/upstash-bridge/server.mjs";
import { directRedis, REDIS_URL, TOKEN, uniquePrefix, warnIfSkipped, type Direct } from "./setup";

const reachable = await warnIfSkipped("redis fallback");

const envFor = (url: string) => ({ UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: TOKEN }) as unknown as Env;
/** The structured log lines (worker/lib/log.ts) of one event among a console spy's calls. */
const logged = (spy: { mock: { calls: unknown[][] } }, event: string) =>
  spy.mock.calls
    .map(([line]) => {
      try {
        return JSON.parse(String(line));
      } catch {
        return null;
      }
    })
    .filter((line) => line?.event === event);
const redisWarnings = (spy: { mock: { calls: unknown[][] } }) => logged(spy, "redis_unavailable");

afterEach(() => vi.restoreAllMocks());

describe.skipIf(!reachable)("when Redis stops in the middle of a run", () => {
  let bridge: ReturnType<typeof createBridge>;
  let port: number;
  let direct: Direct;

  beforeAll(async () => {
    bridge = createBridge({ redisUrl: REDIS_URL, token: TOKEN });
    ({ port } = await bridge.listen(0));
    direct = directRedis();
  });
  afterAll(async () => {
    direct?.close();
    await bridge?.close();
  });

  it("keeps limiting orders and serving snapshots from the market, then returns to Redis", async () => {
    const env = envFor(`http://127.0.0.1:${port}`);
    const limiter = createRateLimiter(env, { ephemeralCache: false });
    const cache = getSnapshotCache(env)!;
    const player = uniquePrefix("player");
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

    // Redis up: the limit is counted in Redis and the snapshot is cached there.
    expect(await limiter.limit("order", player, 2)).toEqual({ ok: true });
    expect(await direct.send([["EXISTS", `mf:rl:order:2:4:${player}`]])).toEqual([1]);
    const code = uniquePrefix("MKT");
    await cache.put(code, JSON.stringify({ t: Date.now() }), 2000);
    expect(await cache.get(code)).not.toBeNull();

    // Redis gone.
    await bridge.close();
    const started = Date.now();
    const during = [];
    for (let i = 0; i < 5; i++) during.push(await limiter.limit("order", player, 2));
    // The in-process bucket starts full: 4 pass, the 5th is refused with Retry-After.
    expect(during.map((r) => r.ok)).toEqual([true, true, true, true, false]);
    expect(during[4]).toEqual({ ok: false, retryAfterSec: 1 });
    // The route then reads the snapshot from the market; writes are dropped quietly.
    expect(await cache.get(code)).toBeNull();
    await expect(cache.put(code, JSON.stringify({ t: Date.now() }), 2000)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(redisWarnings(warn)).toHaveLength(1);

    // Redis back (same address). Once the few seconds of leaving it alone are over,
    // the limiter and the cache use it again, and say so once.
    bridge = createBridge({ redisUrl: REDIS_URL, token: TOKEN });
    await bridge.listen(port);
    const later = Date.now() + 6_000;
    vi.spyOn(Date, "now").mockImplementation(() => later);
    await cache.put(code, JSON.stringify({ t: later }), 2000);
    expect(await cache.get(code)).toBe(JSON.stringify({ t: later }));
    expect(logged(log, "redis_recovered")).toHaveLength(1);
    expect(redisWarnings(warn)).toHaveLength(1);
  });
});

describe("when Redis hangs", () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    // Accepts requests and never answers them.
    server = http.createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it("waits one short timeout, then limits in process without asking Redis again", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const limiter = createRateLimiter(envFor(url));
    let started = Date.now();
    expect(await limiter.limit("admin", "organiser")).toEqual({ ok: true });
    const firstMs = Date.now() - started;
    expect(firstMs).toBeGreaterThanOrEqual(REDIS_TIMEOUT_MS - 20);
    expect(firstMs).toBeLessThan(REDIS_TIMEOUT_MS * 3);

    started = Date.now();
    for (let i = 0; i < 20; i++) expect((await limiter.limit("admin", "organiser")).ok).toBe(true);
    expect(await getSnapshotCache(envFor(url))!.get("HUNG")).toBeNull();
    expect(Date.now() - started).toBeLessThan(100);
    expect(redisWarnings(warn)).toHaveLength(1);
    expect(redisWarnings(warn)[0]).toMatchObject({ level: "warn", where: "rate limit" });
    expect(redisWarnings(warn)[0].error).toMatch(/^TimeoutError/);
  });
});
