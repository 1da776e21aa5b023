// The public snapshot cached in Redis: served while at most one tick old, never after.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getRedis } from "../../worker/lib/redis";
import { getSnapshotCache } from "../../worker/lib/snapshotCache";
import { sleep, unique, upstashConfigured } from "./settings";

const snapshot = (t: number) => JSON.stringify({ t, seq: 7, market: { code: "X", tickMs: 2000 }, news: [{ t: 1 }] });

describe.skipIf(!upstashConfigured("redis snapshot cache"))("snapshot cache in Redis", () => {
  it("serves the copy the market wrote on this tick, exactly as written", async () => {
    const cache = getSnapshotCache(env)!;
    const code = unique("FRESH");
    const json = snapshot(Date.now());
    await cache.put(code, json, 2000);
    expect(await cache.get(code)).toBe(json);
    expect(await cache.get(code.toLowerCase())).toBe(json);
  });

  it("refuses a copy more than one tick old, even while its key lives", async () => {
    const cache = getSnapshotCache(env)!;
    const code = unique("STALE");
    // Ticked 2.5 s ago on a 2 s tick: one tick and more behind the market.
    await cache.put(code, snapshot(Date.now() - 2500), 2000);
    expect(await cache.get(code)).toBeNull();
    // Half a tick old is served.
    await cache.put(code, snapshot(Date.now() - 1000), 2000);
    expect(await cache.get(code)).not.toBeNull();
  });

  it("lets the copy of a market that stopped ticking expire from Redis", async () => {
    const cache = getSnapshotCache(env)!;
    const code = unique("GONE");
    await cache.put(code, snapshot(Date.now()), 100);
    expect(await cache.get(code)).not.toBeNull();
    await sleep(300);
    expect(await cache.get(code)).toBeNull();
    const { redis } = getRedis(env)!;
    expect(await redis.exists(`mf:snap:${code.toUpperCase()}`)).toBe(0);
  });

  it("answers null for a market it has never seen", async () => {
    expect(await getSnapshotCache(env)!.get(unique("NONE"))).toBeNull();
  });
});
