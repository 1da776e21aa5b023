/**
 * Abuse, beyond what rateLimits.test.ts shows (a flooder gets 429, another player still
 * trades): what a refused order leaves behind (nothing), that a refused clientOrderId is
 * no commitment (it may be sent again later and runs once), how fast the other players
 * still are during the flood, and that an address flooding reads or sockets is slowed
 * while another address is not.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { freezeWallClock } from "../../support/clock";
import { api, createMarket, join, order } from "../../support/workerd";

const cents = (x: number) => Math.round(x * 100);

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

describe("one player flooding orders", () => {
  it("gets 429 with Retry-After; refused orders leave no trace; other players keep trading", async () => {
    const code = await createMarket({ startingCash: 1_000_000 });
    const flooder = await join(code, "Flood");
    const calm = await Promise.all(["Ada", "Ben", "Cy", "Di", "Ed"].map((n) => join(code, n)));
    // The buckets do not refill while the flood is sent, however busy the machine.
    const wall = freezeWallClock();

    // The flood (80 at once, far past the burst of 20) and the calm players' ordinary
    // trading (one order at a time each) run side by side.
    const flood = Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        api("POST", `/api/markets/${code}/orders`, {
          token: flooder.token,
          body: order("BOLT", "buy", 1, { clientOrderId: `flood-${i}` }),
        }).then((res) => ({ i, res })),
      ),
    );
    const latencies: number[] = [];
    const calmStatuses: number[] = [];
    await Promise.all(
      calm.map(async (p) => {
        for (let k = 0; k < 6; k++) {
          const started = performance.now();
          const res = await api("POST", `/api/markets/${code}/orders`, {
            token: p.token,
            body: order("ACME", "buy", 1),
          });
          latencies.push(performance.now() - started);
          calmStatuses.push(res.status);
        }
      }),
    );
    const flooded = await flood;
    const accepted = flooded.filter((f) => f.res.status === 201);
    const limited = flooded.filter((f) => f.res.status === 429);
    console.log(
      `flood: ${accepted.length} accepted, ${limited.length} limited; other players' order latency p50 ${percentile(latencies, 0.5).toFixed(1)} ms, p99 ${percentile(latencies, 0.99).toFixed(1)} ms`,
    );

    expect(limited.length).toBeGreaterThanOrEqual(40);
    for (const { res } of limited) {
      expect(res.json.error.code).toBe("RATE_LIMITED");
      expect(Number(res.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    }
    // The others were never limited. How quick they stayed is a figure for the benchmark
    // (logged above), not a pass mark: a busy CI machine is slower, not wrong.
    expect(calmStatuses.every((s) => s === 201)).toBe(true);

    // What the flooder's market holds is exactly the accepted orders: no trace of a 429.
    const acceptedIds = accepted.map((f) => f.res.json.order.id).sort();
    const orders = (await api("GET", `/api/markets/${code}/orders?status=all`, { token: flooder.token })).json.orders;
    expect(orders.map((o: any) => o.id).sort()).toEqual(acceptedIds);
    const fills = (await api("GET", `/api/markets/${code}/fills?limit=500`, { token: flooder.token })).json.fills;
    expect(fills).toHaveLength(accepted.length);
    const spent = fills.reduce((s: number, f: any) => s + f.qty * cents(f.price) + cents(f.fee), 0);
    const pf = (await api("GET", `/api/markets/${code}/portfolio`, { token: flooder.token })).json;
    expect(cents(pf.cash)).toBe(cents(1_000_000) - spent);
    expect(pf.positions.find((p: any) => p.symbol === "BOLT").qty).toBe(accepted.length);

    // A refused clientOrderId was no commitment: sent again after Retry-After it runs,
    // once; sent a third time it answers the first order.
    const retry = limited[0];
    // A client that waited the Retry-After it was told is always a little past it: at the
    // very millisecond, @upstash/ratelimit's local cache still counts the bucket as empty.
    wall.advance(1000 * Number(retry.res.headers.get("Retry-After")) + 1);
    const body = order("BOLT", "buy", 1, { clientOrderId: `flood-${retry.i}` });
    const again = await api("POST", `/api/markets/${code}/orders`, { token: flooder.token, body });
    expect(again.status, again.text).toBe(201);
    const third = await api("POST", `/api/markets/${code}/orders`, { token: flooder.token, body });
    expect(third.status).toBe(200);
    expect(third.json.order.id).toBe(again.json.order.id);
  });
});

describe("one address flooding the public routes", () => {
  it("reads and socket upgrades from one address are slowed; another address is not", async () => {
    const code = await createMarket();
    const ip = "198.51.100.23";
    freezeWallClock();
    // In waves of 40, against a bucket that does not refill meanwhile (50/s after a burst of 250): one burst
    // of hundreds at once would time out a local Redis bridge and split the count between
    // Redis and the in-process fallback, which is not what this test is about.
    const reads = [];
    for (let wave = 0; wave < 15; wave++) {
      reads.push(
        ...(await Promise.all(
          Array.from({ length: 40 }, () => api("GET", `/api/markets/${code}`, { headers: { "CF-Connecting-IP": ip } })),
        )),
      );
    }
    const limited = reads.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].json.error.code).toBe("RATE_LIMITED");
    expect(Number(limited[0].headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    expect(reads.filter((r) => r.status >= 500)).toEqual([]);

    // The same address asking for a socket now is refused too (as an HTTP 429 today, or a
    // 4xxx close with a reason), never handed a live feed.
    const res = await exports.default.fetch(
      new Request(`http://marketflow.test/api/markets/${code}/ws`, {
        headers: { Upgrade: "websocket", "CF-Connecting-IP": ip },
      }),
    );
    if (res.webSocket) {
      const ws = res.webSocket;
      const closed = new Promise<{ code: number; reason: string }>((r) =>
        ws.addEventListener("close", (e) => r({ code: e.code, reason: e.reason })),
      );
      ws.accept();
      const c = await closed;
      expect(c.code).toBeGreaterThanOrEqual(4000);
      expect(c.reason.length).toBeGreaterThan(0);
    } else {
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("Retry-After"))).toBeGreaterThanOrEqual(1);
    }

    // Someone else, meanwhile, reads and connects as usual.
    expect(
      (await api("GET", `/api/markets/${code}`, { headers: { "CF-Connecting-IP": "198.51.100.24" } })).status,
    ).toBe(200);
    const other = await exports.default.fetch(
      new Request(`http://marketflow.test/api/markets/${code}/ws`, {
        headers: { Upgrade: "websocket", "CF-Connecting-IP": "198.51.100.25" },
      }),
    );
    expect(other.status).toBe(101);
    other.webSocket?.accept();
    other.webSocket?.close(1000);
  });
});
