/**
 * A clientOrderId is an idempotency key for one order request: repeating the same request
 * answers the first order (200) and runs nothing; reusing the key for a different order is
 * refused with 409 IDEMPOTENCY_MISMATCH naming the first order, and also runs nothing.
 */
import { describe, expect, it } from "vitest";
import { api, createMarket, join } from "../../support/workerd";

type OrderBody = {
  clientOrderId: string;
  symbol: string;
  side: string;
  qty: number;
  type: string;
  limitPrice?: number;
};

async function openMarketWithPlayer(name: string) {
  // A generous order rate (a market rule), so a burst of retries reaches the market, not the limiter.
  const code = await createMarket({ rules: { ordersPerSecond: 1000 } });
  const player = await join(code, name);
  return { code, player };
}

const place = (code: string, token: string, body: OrderBody) =>
  api("POST", `/api/markets/${code}/orders`, { token, body });

async function ledgerOf(code: string, token: string) {
  const [portfolio, orders, fills] = await Promise.all([
    api("GET", `/api/markets/${code}/portfolio`, { token }),
    api("GET", `/api/markets/${code}/orders`, { token }),
    api("GET", `/api/markets/${code}/fills`, { token }),
  ]);
  return { portfolio: portfolio.json, orders: orders.json.orders, fills: fills.json.fills };
}

describe("clientOrderId reuse", () => {
  it("the same id with the same body answers 200 with the first order and runs nothing", async () => {
    const { code, player } = await openMarketWithPlayer("Ida");
    const body: OrderBody = { clientOrderId: "same-body", symbol: "ACME", side: "buy", qty: 3, type: "market" };
    const first = await place(code, player.token, body);
    expect(first.status, first.text).toBe(201);
    const before = await ledgerOf(code, player.token);

    // Written differently but the same order once normalised: lower-case symbol.
    const again = await place(code, player.token, { ...body, symbol: "acme" });

    expect(again.status, again.text).toBe(200);
    expect(again.json.order).toEqual(first.json.order);
    expect(await ledgerOf(code, player.token)).toEqual(before);
  });

  it("a repeated limit order is identical when its price is the same amount of cents", async () => {
    const { code, player } = await openMarketWithPlayer("Lim");
    const body: OrderBody = {
      clientOrderId: "limit-same",
      symbol: "BOLT",
      side: "buy",
      qty: 2,
      type: "limit",
      limitPrice: 20.1,
    };
    const first = await place(code, player.token, body);
    expect(first.status, first.text).toBe(201);
    const again = await place(code, player.token, { ...body, limitPrice: 20.10000000001 });
    expect(again.status, again.text).toBe(200);
    expect(again.json.order.id).toBe(first.json.order.id);
  });

  const changes: [string, Partial<OrderBody>][] = [
    ["qty", { qty: 50 }],
    ["symbol", { symbol: "BOLT" }],
    ["side", { side: "sell" }],
    ["type", { type: "limit", limitPrice: 100 }],
    ["limitPrice", { limitPrice: 99 }],
  ];
  for (const [field, change] of changes) {
    it(`the same id with a different ${field} is refused with 409 IDEMPOTENCY_MISMATCH naming the first order, and runs nothing`, async () => {
      const { code, player } = await openMarketWithPlayer("Max");
      // A resting limit buy below the market: it stays open, so a second execution would show.
      const body: OrderBody =
        field === "limitPrice"
          ? { clientOrderId: "reused", symbol: "ACME", side: "buy", qty: 1, type: "limit", limitPrice: 95 }
          : { clientOrderId: "reused", symbol: "ACME", side: "buy", qty: 1, type: "market" };
      const first = await place(code, player.token, body);
      expect(first.status, first.text).toBe(201);
      const before = await ledgerOf(code, player.token);

      const reused = await place(code, player.token, { ...body, ...change });

      expect(reused.status, reused.text).toBe(409);
      expect(reused.json.error.code).toBe("IDEMPOTENCY_MISMATCH");
      expect(reused.json.error.message).toContain(first.json.order.id);
      expect(reused.json.error.details.order).toEqual(first.json.order);
      expect(reused.json.error.details.fields).toContain(field);
      expect(await ledgerOf(code, player.token)).toEqual(before);
    });
  }

  it("50 concurrent requests under one id with mixed bodies: one 201, the identical ones 200, the rest 409, one order", async () => {
    const { code, player } = await openMarketWithPlayer("Mix");
    const bodies: OrderBody[] = Array.from({ length: 50 }, (_, i) => ({
      clientOrderId: "contended",
      symbol: i % 5 === 0 ? "BOLT" : "ACME",
      side: "buy",
      qty: 1 + (i % 3),
      type: "market",
    }));

    const answers = await Promise.all(bodies.map((b) => place(code, player.token, b)));

    const created = answers.filter((a) => a.status === 201);
    expect(created, answers.map((a) => a.status).join(",")).toHaveLength(1);
    const winner = created[0].json.order;
    answers.forEach((a, i) => {
      const identical = bodies[i].symbol === winner.symbol && bodies[i].qty === winner.qty;
      if (a === created[0]) return;
      if (identical) {
        expect(a.status, a.text).toBe(200);
        expect(a.json.order).toEqual(winner);
      } else {
        expect(a.status, a.text).toBe(409);
        expect(a.json.error.code).toBe("IDEMPOTENCY_MISMATCH");
        expect(a.json.error.details.order.id).toBe(winner.id);
      }
    });
    // Both kinds of repeat were in the crowd whichever body won.
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status === 409).length).toBeGreaterThan(0);
    const ledger = await ledgerOf(code, player.token);
    expect(ledger.orders).toHaveLength(1);
    expect(ledger.fills).toHaveLength(1);
    expect(ledger.portfolio.positions).toEqual([expect.objectContaining({ symbol: winner.symbol, qty: winner.qty })]);
  });
});
