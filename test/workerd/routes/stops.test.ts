import { evictDurableObject, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, api, connect, createMarket, join, order, stubOf } from "../../support/workerd";

describe("stop orders through the routes", () => {
  it("a sell stop waits holding nothing, survives a restart, and organiser news triggers it; a buy stop is listed and cancelled", async () => {
    // A wide breaker band: the news below must move the price, not halt the symbol.
    const code = await createMarket({ rules: { haltBand: 0.5 } });
    const ann = await join(code, "Ann");
    const bought = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: order("ACME", "buy", 20),
    });
    expect(bought.status, bought.text).toBe(201);
    const cashAfterBuy = bought.json.portfolio.cash;

    // A stop-loss below the price and a buy stop above it: accepted, nothing reserved.
    const sellStop = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: order("ACME", "sell", 10, { type: "stop", stopPrice: 95 }),
    });
    expect(sellStop.status, sellStop.text).toBe(201);
    expect(sellStop.json.order).toMatchObject({ type: "stop", status: "open", stopPrice: 95, triggeredAt: null });
    const buyStop = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: order("ACME", "buy", 5, { type: "stop_limit", stopPrice: 120, limitPrice: 121 }),
    });
    expect(buyStop.status, buyStop.text).toBe(201);
    expect(buyStop.json.portfolio).toMatchObject({ cash: cashAfterBuy, reserved: 0 });
    expect(buyStop.json.portfolio.positions[0]).toMatchObject({ qty: 20, reservedQty: 0 });

    // A stop without its stop price is refused by the schema.
    const missing = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: order("ACME", "sell", 1, { type: "stop" }),
    });
    expect(missing.status).toBe(400);

    // Both are listed as open orders, and the buy stop can be cancelled.
    const open = await api("GET", `/api/markets/${code}/orders?status=open`, { token: ann.token });
    expect(open.json.orders.map((o: any) => [o.type, o.stopPrice])).toEqual([
      ["stop_limit", 120],
      ["stop", 95],
    ]);
    const cancelled = await api("DELETE", `/api/markets/${code}/orders/${buyStop.json.order.id}`, { token: ann.token });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.json.order.status).toBe("cancelled");

    // The waiting stop's stop price comes back from storage after a restart.
    const stub = stubOf(code);
    await evictDurableObject(stub);

    // The organiser's news drops ACME 20% at once; the next tick triggers the stop.
    const news = await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "ACME recalls everything", impacts: [{ symbol: "ACME", move: -0.2 }] },
    });
    expect(news.status, news.text).toBeLessThan(300);
    await runDurableObjectAlarm(stub);

    const all = await api("GET", `/api/markets/${code}/orders?status=all`, { token: ann.token });
    const stopped = all.json.orders.find((o: any) => o.id === sellStop.json.order.id);
    expect(stopped).toMatchObject({ status: "filled", filledQty: 10, stopPrice: 95 });
    expect(stopped.triggeredAt).toEqual(expect.any(Number));
    expect(stopped.avgPrice).toBeLessThan(95);
    const pf = await api("GET", `/api/markets/${code}/portfolio`, { token: ann.token });
    expect(pf.json.positions.find((p: any) => p.symbol === "ACME").qty).toBe(10);
    expect(pf.json.cash).toBeCloseTo(cashAfterBuy + 10 * stopped.avgPrice, 2);
  });

  it("a triggered stop the rules refuse ends rejected, and its player hears the reason", async () => {
    // Short selling is off by default: a sell stop for shares Bo does not hold waits, then is refused.
    const code = await createMarket({ rules: { haltBand: 0.5 } });
    const bo = await join(code, "Bo");
    const placed = await api("POST", `/api/markets/${code}/orders`, {
      token: bo.token,
      body: order("ACME", "sell", 3, { type: "stop", stopPrice: 95 }),
    });
    expect(placed.status, placed.text).toBe(201);
    const sock = await connect(code, bo.token);
    await sock.next((m: any) => m.type === "snapshot");

    await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "ACME falls", impacts: [{ symbol: "ACME", move: -0.2 }] },
    });
    await runDurableObjectAlarm(stubOf(code));

    const told = await sock.next((m: any) => m.type === "fill");
    expect(told.order).toMatchObject({ id: placed.json.order.id, status: "rejected", filledQty: 0 });
    expect(told.order.rejectReason).toMatch(/Not enough ACME shares/);
    const all = await api("GET", `/api/markets/${code}/orders?status=all`, { token: bo.token });
    expect(all.json.orders[0]).toMatchObject({ status: "rejected", rejectReason: told.order.rejectReason });
    sock.ws.close(1000);
  });
});
