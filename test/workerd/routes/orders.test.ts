import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADMIN, api, createMarket, join, order, marketSnapshot, stubOf } from "../../support/workerd";

describe("market orders", () => {
  it("a market buy fills at once, costs cash and moves the price up", async () => {
    const code = await createMarket();
    const alice = await join(code, "Alice");
    const before = (await marketSnapshot(code)).symbols.find((s: any) => s.symbol === "ACME");

    const res = await api("POST", `/api/markets/${code}/orders`, {
      token: alice.token,
      body: order("ACME", "buy", 50),
    });

    expect(res.status).toBe(201);
    expect(res.json.order).toMatchObject({ symbol: "ACME", side: "buy", qty: 50, status: "filled", filledQty: 50 });
    expect(res.json.order.avgPrice).toBeGreaterThanOrEqual(before.ask);
    const pos = res.json.portfolio.positions.find((p: any) => p.symbol === "ACME");
    expect(pos.qty).toBe(50);
    // Cash drops by exactly what the fill cost (fees are 0 by default).
    expect(res.json.portfolio.cash).toBeCloseTo(10000 - 50 * res.json.order.avgPrice, 2);
    const after = (await marketSnapshot(code)).symbols.find((s: any) => s.symbol === "ACME");
    expect(after.price).toBeGreaterThan(before.price);
  });

  it("a sell of shares the player does not have is refused with INSUFFICIENT_SHARES and changes nothing", async () => {
    const code = await createMarket();
    const bob = await join(code, "Bob");
    const res = await api("POST", `/api/markets/${code}/orders`, { token: bob.token, body: order("ACME", "sell", 1) });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("INSUFFICIENT_SHARES");
    const pf = await api("GET", `/api/markets/${code}/portfolio`, { token: bob.token });
    expect(pf.json).toMatchObject({ cash: 10000, reserved: 0, positions: [] });
  });

  it("a buy beyond the player's cash is refused with INSUFFICIENT_FUNDS", async () => {
    const code = await createMarket();
    const carol = await join(code, "Carol");
    const res = await api("POST", `/api/markets/${code}/orders`, {
      token: carol.token,
      body: order("ACME", "buy", 1000),
    });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("INSUFFICIENT_FUNDS");
  });

  it("orders are refused while the market is in the lobby or paused", async () => {
    const code = await createMarket({ open: false });
    const dan = await join(code, "Dan");
    const lobby = await api("POST", `/api/markets/${code}/orders`, { token: dan.token, body: order("ACME", "buy", 1) });
    expect(lobby.status).toBe(409);
    expect(lobby.json.error.code).toBe("MARKET_NOT_OPEN");

    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } });
    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "pause" } });
    const paused = await api("POST", `/api/markets/${code}/orders`, {
      token: dan.token,
      body: order("ACME", "buy", 1),
    });
    expect(paused.json.error.code).toBe("MARKET_NOT_OPEN");
  });

  it("orders on a halted symbol are refused with SYMBOL_HALTED", async () => {
    const code = await createMarket();
    const eve = await join(code, "Eve");
    expect((await api("POST", `/api/markets/${code}/symbols/ACME/halt`, { token: ADMIN })).status).toBe(200);
    const res = await api("POST", `/api/markets/${code}/orders`, { token: eve.token, body: order("ACME", "buy", 1) });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("SYMBOL_HALTED");
    await api("POST", `/api/markets/${code}/symbols/ACME/resume`, { token: ADMIN });
    expect(
      (await api("POST", `/api/markets/${code}/orders`, { token: eve.token, body: order("ACME", "buy", 1) })).status,
    ).toBe(201);
  });

  it("an order above the market's size limit is refused with ORDER_LIMIT", async () => {
    const code = await createMarket({ rules: { maxOrderQty: 10 } });
    const fay = await join(code, "Fay");
    const res = await api("POST", `/api/markets/${code}/orders`, { token: fay.token, body: order("BOLT", "buy", 11) });
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe("ORDER_LIMIT");
  });
});

describe("limit orders", () => {
  it("a resting buy reserves its cash, shows as open, and cancelling releases it", async () => {
    const code = await createMarket();
    const gus = await join(code, "Gus");
    const res = await api("POST", `/api/markets/${code}/orders`, {
      token: gus.token,
      body: order("ACME", "buy", 10, { type: "limit", limitPrice: 80 }),
    });
    expect(res.status).toBe(201);
    expect(res.json.order.status).toBe("open");
    expect(res.json.portfolio.reserved).toBeCloseTo(800, 2);
    expect(res.json.portfolio.cash).toBeCloseTo(9200, 2);

    const open = await api("GET", `/api/markets/${code}/orders?status=open`, { token: gus.token });
    expect(open.json.orders.map((o: any) => o.id)).toEqual([res.json.order.id]);

    const cancelled = await api("DELETE", `/api/markets/${code}/orders/${res.json.order.id}`, { token: gus.token });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.order.status).toBe("cancelled");
    expect(cancelled.json.portfolio).toMatchObject({ cash: 10000, reserved: 0 });

    // A second cancel of the same order: it is no longer open.
    const again = await api("DELETE", `/api/markets/${code}/orders/${res.json.order.id}`, { token: gus.token });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("ORDER_NOT_OPEN");
  });

  it("a resting sell fills on a tick once news lifts the bid through its limit", async () => {
    const code = await createMarket({ rules: { haltBand: 5 } });
    const hal = await join(code, "Hal");
    await api("POST", `/api/markets/${code}/orders`, { token: hal.token, body: order("BOLT", "buy", 20) });
    const limit = await api("POST", `/api/markets/${code}/orders`, {
      token: hal.token,
      body: order("BOLT", "sell", 20, { type: "limit", limitPrice: 30 }),
    });
    expect(limit.json.order.status).toBe("open");

    // +40% news, all at once: the next tick reprices BOLT far above 30.
    await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "Bolt wins contract", impacts: [{ symbol: "BOLT", move: 0.4 }] },
    });
    await runDurableObjectAlarm(stubOf(code));

    const orders = await api("GET", `/api/markets/${code}/orders`, { token: hal.token });
    const sell = orders.json.orders.find((o: any) => o.id === limit.json.order.id);
    expect(sell.status).toBe("filled");
    expect(sell.avgPrice).toBeGreaterThanOrEqual(30);
    const pf = await api("GET", `/api/markets/${code}/portfolio`, { token: hal.token });
    expect(pf.json.positions.find((p: any) => p.symbol === "BOLT")).toBeUndefined();
  });
});

describe("idempotency", () => {
  it("the same clientOrderId sent ten times at once executes once and answers the first order", async () => {
    const code = await createMarket();
    const ivy = await join(code, "Ivy");
    const body = order("ACME", "buy", 5);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => api("POST", `/api/markets/${code}/orders`, { token: ivy.token, body })),
    );
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(9);
    expect(new Set(answers.map((a) => a.json.order.id)).size).toBe(1);
    const fills = await api("GET", `/api/markets/${code}/fills`, { token: ivy.token });
    expect(fills.json.fills).toHaveLength(1);
    const pf = await api("GET", `/api/markets/${code}/portfolio`, { token: ivy.token });
    expect(pf.json.positions[0].qty).toBe(5);
  });

  it("parallel orders from one player never overspend", async () => {
    const code = await createMarket({ startingCash: 1000 });
    const jay = await join(code, "Jay");
    // Each buy costs about 255; only three fit in 1000.
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        api("POST", `/api/markets/${code}/orders`, { token: jay.token, body: order("BOLT", "buy", 10) }),
      ),
    );
    const filled = answers.filter((a) => a.status === 201).length;
    expect(filled).toBe(3);
    expect(answers.filter((a) => a.status === 422).every((a) => a.json.error.code === "INSUFFICIENT_FUNDS")).toBe(true);
    const pf = await api("GET", `/api/markets/${code}/portfolio`, { token: jay.token });
    expect(pf.json.cash).toBeGreaterThanOrEqual(0);
    expect(pf.json.positions[0].qty).toBe(30);
  });
});

describe("fills", () => {
  it("pages newest first with a cursor and shows only the player's own fills", async () => {
    const code = await createMarket();
    const kim = await join(code, "Kim");
    const lee = await join(code, "Lee");
    for (let i = 0; i < 5; i++)
      await api("POST", `/api/markets/${code}/orders`, { token: kim.token, body: order("BOLT", "buy", 1 + i) });
    await api("POST", `/api/markets/${code}/orders`, { token: lee.token, body: order("BOLT", "buy", 1) });

    const first = await api("GET", `/api/markets/${code}/fills?limit=3`, { token: kim.token });
    expect(first.json.fills.map((f: any) => f.qty)).toEqual([5, 4, 3]);
    expect(first.json.next).toBeTruthy();
    const second = await api("GET", `/api/markets/${code}/fills?limit=3&before=${first.json.next}`, {
      token: kim.token,
    });
    expect(second.json.fills.map((f: any) => f.qty)).toEqual([2, 1]);
    expect(second.json.next).toBeNull();
  });
});

describe("order history", () => {
  it("pages a player's orders newest first, all or only open", async () => {
    const code = await createMarket();
    const lou = await join(code, "Lou");
    for (let i = 1; i <= 5; i++)
      await api("POST", `/api/markets/${code}/orders`, { token: lou.token, body: order("BOLT", "buy", i) });
    await api("POST", `/api/markets/${code}/orders`, {
      token: lou.token,
      body: order("BOLT", "buy", 9, { type: "limit", limitPrice: 20 }),
    });

    const first = await api("GET", `/api/markets/${code}/orders?limit=4`, { token: lou.token });
    expect(first.json.orders.map((o: any) => o.qty)).toEqual([9, 5, 4, 3]);
    const rest = await api("GET", `/api/markets/${code}/orders?limit=4&before=${first.json.next}`, {
      token: lou.token,
    });
    expect(rest.json.orders.map((o: any) => o.qty)).toEqual([2, 1]);
    expect(rest.json.next).toBeNull();
    const open = await api("GET", `/api/markets/${code}/orders?status=open`, { token: lou.token });
    expect(open.json.orders.map((o: any) => o.qty)).toEqual([9]);
  });
});
