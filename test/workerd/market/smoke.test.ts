import { env } from "cloudflare:workers";
import { runDurableObjectAlarm } from "cloudflare:test";
import { it, expect } from "vitest";
import { api, createMarket, join, order, marketSnapshot } from "../../support/workerd";

it("a player joins, buys, and the market ticks", async () => {
  const code = await createMarket();
  const alice = await join(code, "Alice");
  const res = await api("POST", `/api/markets/${code}/orders`, { token: alice.token, body: order("ACME", "buy", 10) });
  expect(res.status, res.text).toBe(201);
  expect(res.json.order.status).toBe("filled");
  const stub = env.MARKET.get(env.MARKET.idFromName(code));
  expect(await runDurableObjectAlarm(stub)).toBe(true);
  const snap = await marketSnapshot(code);
  expect(snap.seq).toBeGreaterThan(0);
});
