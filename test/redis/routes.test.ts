// The routes with Redis behind them: the snapshot crowd reads the cache, and when Redis
// stops answering, orders and snapshots go on from the market with in-process limits.
import { env } from "cloudflare:workers";
import { createExecutionContext, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import app from "../../worker/index";
import { ADMIN, api, createMarket, join, order, stubOf } from "../support/workerd";
import { eventually } from "../support/wait";
import { upstashConfigured } from "./settings";

describe.skipIf(!upstashConfigured("redis routes"))("routes with Redis", () => {
  it("the public snapshot and leaderboard come from the cache the tick wrote, no older than a tick", async () => {
    const code = await createMarket({ tickMs: 2000 });
    await join(code, "Ria");
    // Before any tick there is no cached copy: the market answers.
    expect((await api("GET", `/api/markets/${code}`)).headers.get("X-Snapshot")).toBeNull();

    await runDurableObjectAlarm(stubOf(code));
    // The tick's cache write runs after its messages: wait until the copy is there.
    await eventually(
      async () => (await api("GET", `/api/markets/${code}`)).headers.get("X-Snapshot") === "cache",
      "the cached snapshot",
    );
    const fromMarket = await stubOf(code).snapshot();
    const cached = await api("GET", `/api/markets/${code}`);
    expect(cached.headers.get("X-Snapshot")).toBe("cache");
    expect(cached.json.seq).toBe(fromMarket.ok && fromMarket.snapshot.seq);
    expect(cached.json.symbols).toEqual(fromMarket.ok && fromMarket.snapshot.symbols);
    expect(Date.now() - cached.json.t).toBeLessThanOrEqual(2000);
    const leaders = await api("GET", `/api/markets/${code}/leaderboard?limit=5`);
    expect(leaders.json.leaders[0]).toMatchObject({ rank: 1, name: "Ria" });
  });

  it("news published between ticks is in the next snapshot read, not hidden behind the cached copy", async () => {
    const code = await createMarket({ tickMs: 2000 });
    await runDurableObjectAlarm(stubOf(code));
    await eventually(
      async () => (await api("GET", `/api/markets/${code}`)).headers.get("X-Snapshot") === "cache",
      "the cached snapshot",
    );
    await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "Breaking between ticks", impacts: [] },
    });
    const after = await api("GET", `/api/markets/${code}`);
    expect(after.headers.get("X-Snapshot")).toBeNull();
    expect(after.json.news[0].headline).toBe("Breaking between ticks");
  });

  it("with Redis not answering, orders and snapshots still work from the market", async () => {
    const code = await createMarket();
    const p = await join(code, "Ned");
    const deadRedis = { ...env, UPSTASH_REDIS_REST_URL: "http://127.0.0.1:9" };
    const call = async (method: string, path: string, body?: unknown) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(
        new Request(`http://marketflow.test${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${p.token}`,
            "Content-Type": "application/json",
            "CF-Connecting-IP": "198.51.100.9",
          },
          body: body ? JSON.stringify(body) : undefined,
        }),
        deadRedis,
        ctx,
      );
      await waitOnExecutionContext(ctx);
      return res;
    };
    for (let i = 0; i < 5; i++)
      expect((await call("POST", `/api/markets/${code}/orders`, order("ACME", "buy", 1))).status).toBe(201);
    const snap = await call("GET", `/api/markets/${code}`);
    expect(snap.status).toBe(200);
    expect(snap.headers.get("X-Snapshot")).toBeNull();
    expect(((await snap.json()) as { market: { code: string } }).market.code).toBe(code);
  });
});
