import { freezeWallClock } from "../../support/clock";
import { eventually } from "../../support/wait";
import { describe, expect, it } from "vitest";
import { api, createMarket, join, order } from "../../support/workerd";

// These hold with Redis (shared limits) and without it (the in-process fallback).
describe("rate limits", () => {
  it("a player flooding orders gets 429 with Retry-After, while another player still trades", async () => {
    const code = await createMarket({ startingCash: 1_000_000 });
    const flooder = await join(code, "Flood");
    const calm = await join(code, "Calm");
    // The buckets do not refill while the flood is sent, however busy the machine.
    freezeWallClock();
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        api("POST", `/api/markets/${code}/orders`, { token: flooder.token, body: order("BOLT", "buy", 1) }),
      ),
    );
    const limited = answers.filter((a) => a.status === 429);
    // The bucket holds a burst of 20; sixty at once must overflow it.
    expect(limited.length).toBeGreaterThanOrEqual(30);
    expect(answers.filter((a) => a.status === 201).length).toBeGreaterThanOrEqual(10);
    for (const a of limited) {
      expect(a.json.error.code).toBe("RATE_LIMITED");
      expect(Number(a.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    }
    const other = await api("POST", `/api/markets/${code}/orders`, {
      token: calm.token,
      body: order("BOLT", "buy", 1),
    });
    expect(other.status).toBe(201);
  });

  it("one address flooding joins is slowed down; another address still joins", async () => {
    const code = await createMarket();
    const ip = "192.0.2.77";
    // 600 joins in waves of 40, against a bucket that does not refill meanwhile (50/s after
    // a burst of 250), and gentle enough that a local Redis bridge answers each call in time.
    freezeWallClock();
    const answers = [];
    for (let wave = 0; wave < 15; wave++) {
      answers.push(
        ...(await Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            api("POST", `/api/markets/${code}/join`, {
              body: { name: `bot${wave}x${i}` },
              headers: { "CF-Connecting-IP": ip },
            }),
          ),
        )),
      );
    }
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].json.error.code).toBe("RATE_LIMITED");
    expect(Number(limited[0].headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    const other = await api("POST", `/api/markets/${code}/join`, {
      body: { name: "Human" },
      headers: { "CF-Connecting-IP": "192.0.2.78" },
    });
    expect(other.status).toBe(201);
  });
});

describe("rate limits on the feed", () => {
  it("an address opening sockets too fast is closed with 4029 and told when to retry", async () => {
    const { exports } = await import("cloudflare:workers");
    const code = await createMarket();
    const ip = "192.0.2.90";
    freezeWallClock();
    const closes: { code: number; reason: string }[] = [];
    const open = async () => {
      const res = await exports.default.fetch(
        new Request(`http://marketflow.test/api/markets/${code}/ws`, {
          headers: { Upgrade: "websocket", "CF-Connecting-IP": ip },
        }),
      );
      const ws = res.webSocket!;
      ws.addEventListener("close", (e) => {
        closes.push({ code: e.code, reason: e.reason });
      });
      ws.accept();
      return ws;
    };
    // In waves, like the join flood above, against a bucket that does not refill meanwhile.
    const sockets: WebSocket[] = [];
    for (let wave = 0; wave < 15; wave++) sockets.push(...(await Promise.all(Array.from({ length: 40 }, open))));
    await eventually(() => closes.some((c) => c.code === 4029), "a socket refused with 4029");
    const refused = closes.filter((c) => c.code === 4029);
    expect(refused[0].reason).toMatch(/retry in \d+ s/);
    for (const ws of sockets) ws.close(1000, "done");
  });
});
