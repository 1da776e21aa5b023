import { describe, expect, it } from "vitest";
import {
  applyControl,
  cancelOrder,
  estimateExecution,
  placeOrder,
  setHalt,
  stepTick,
} from "../../../../worker/market/engine";
import { buy, limit, market, must, openMarket, sym } from "../../../support/engine";

describe("a market order", () => {
  it("a market buy fills at once above the price, moves the price up and costs value plus fee", () => {
    const state = openMarket(["ann"], { feeRate: 0.001 });
    const before = sym(state, "ACME").last;
    const expected = estimateExecution(before, "buy", 50, 10_000, state.rules);
    const r = buy(state, "p1", "ACME", 50);

    expect(r.order.status).toBe("filled");
    expect(r.order.filledQty).toBe(50);
    expect(r.fills).toHaveLength(1);
    const fill = r.fills[0];
    expect(fill.price).toBe(expected.price);
    expect(fill.price).toBeGreaterThan(before);
    expect(fill.fee).toBe(Math.round(50 * fill.price * 0.001));
    expect(r.player.cash).toBe(1_000_000 - 50 * fill.price - fill.fee);
    expect(r.player.positions.ACME).toEqual({ qty: 50, reservedQty: 0, cost: 50 * fill.price });
    expect(sym(state, "ACME").last).toBe(expected.newLast);
    expect(sym(state, "ACME").last).toBeGreaterThan(before);
    expect(sym(state, "ACME").volume).toBe(50);
  });

  it("a market sell fills below the price, moves it down and pays value minus fee", () => {
    const state = openMarket(["ann"], { feeRate: 0.001 });
    buy(state, "p1", "ACME", 50);
    const cash = state.players.get("p1")!.cash;
    const before = sym(state, "ACME").last;
    const r = must(placeOrder(state, "p1", market("ACME", "sell", 20), 2));
    const fill = r.fills[0];
    expect(fill.price).toBeLessThan(before);
    expect(r.player.cash).toBe(cash + 20 * fill.price - fill.fee);
    expect(r.player.positions.ACME.qty).toBe(30);
    expect(sym(state, "ACME").last).toBeLessThan(before);
  });

  it("selling part of a position keeps its average cost", () => {
    const state = openMarket(["ann"]);
    buy(state, "p1", "ACME", 40);
    const pos = state.players.get("p1")!.positions.ACME;
    const avg = pos.cost / pos.qty;
    must(placeOrder(state, "p1", market("ACME", "sell", 10), 2));
    expect(pos.cost / pos.qty).toBeCloseTo(avg, 1);
  });

  it("gets ids from the market's counters, in order", () => {
    const state = openMarket(["ann"]);
    const a = buy(state, "p1", "ACME", 1);
    const b = buy(state, "p1", "ACME", 1);
    expect([a.order.id, a.fills[0].id, b.order.id, b.fills[0].id]).toEqual(["o1", "f1", "o2", "f2"]);
    expect(a.order.clientOrderId).toBe("m-ACME-buy-1");
  });
});

describe("a limit order", () => {
  it("a limit buy below the ask rests and reserves its cash", () => {
    const state = openMarket(["ann"]);
    const r = must(placeOrder(state, "p1", limit("ACME", "buy", 10, 9_500), 1));
    expect(r.fills).toHaveLength(0);
    expect(r.order.status).toBe("open");
    expect(r.order.reservedCash).toBe(95_000);
    expect(r.player.cash).toBe(1_000_000 - 95_000);
    expect(r.player.reserved).toBe(95_000);
    expect(r.player.openOrders).toBe(1);
    expect(state.openOrders.get(r.order.id)).toBe(r.order);
  });

  it("a resting buy reserves the most fee it could cost too", () => {
    const state = openMarket(["ann"], { feeRate: 0.001 });
    const r = must(placeOrder(state, "p1", limit("ACME", "buy", 10, 9_500), 1));
    expect(r.order.reservedCash).toBe(10 * (9_500 + Math.ceil(9_500 * 0.001)));
  });

  it("a limit sell above the bid rests and reserves its shares", () => {
    const state = openMarket(["ann"]);
    buy(state, "p1", "ACME", 30);
    const r = must(placeOrder(state, "p1", limit("ACME", "sell", 20, 10_500), 2));
    expect(r.order.status).toBe("open");
    expect(r.player.positions.ACME).toMatchObject({ qty: 30, reservedQty: 20 });
    // Reserved shares cannot be sold twice.
    expect(placeOrder(state, "p1", market("ACME", "sell", 11), 3)).toMatchObject({
      ok: false,
      code: "INSUFFICIENT_SHARES",
    });
  });

  it("a marketable limit buy fills at once as far as its limit allows and rests the rest", () => {
    const state = openMarket(["ann"]);
    // BOLT's ask is 20.02; a limit of 20.04 leaves room for the impact of about 200 shares.
    const r = must(placeOrder(state, "p1", limit("BOLT", "buy", 400, 2_004), 1));
    expect(r.fills).toHaveLength(1);
    const filled = r.fills[0].qty;
    expect(filled).toBeGreaterThan(150);
    expect(filled).toBeLessThan(250);
    expect(r.fills[0].price).toBeLessThanOrEqual(2_004);
    expect(r.order.status).toBe("partially_filled");
    expect(r.order.reservedCash).toBe((400 - filled) * 2_004);
    expect(r.player.cash + r.player.reserved).toBe(1_000_000 - filled * r.fills[0].price);
  });

  it("a marketable limit that fits entirely fills like a market order and does not rest", () => {
    const state = openMarket(["ann"]);
    const r = must(placeOrder(state, "p1", limit("ACME", "buy", 5, 10_200), 1));
    expect(r.order.status).toBe("filled");
    expect(r.fills[0].qty).toBe(5);
    expect(state.openOrders.size).toBe(0);
    expect(r.player.reserved).toBe(0);
  });
});

describe("cancelling an order", () => {
  it("cancelling a resting buy releases its whole reservation back to cash", () => {
    const state = openMarket(["ann"], { feeRate: 0.002 });
    const placed = must(placeOrder(state, "p1", limit("ACME", "buy", 10, 9_500), 1)).order;
    const r = must(cancelOrder(state, "p1", placed.id, 5));
    expect(r.order.status).toBe("cancelled");
    expect(r.order.reservedCash).toBe(0);
    expect(r.order.updatedAt).toBe(5);
    expect(r.player).toMatchObject({ cash: 1_000_000, reserved: 0, openOrders: 0 });
    expect(state.openOrders.size).toBe(0);
  });

  it("cancelling a resting sell frees its shares", () => {
    const state = openMarket(["ann"]);
    buy(state, "p1", "ACME", 30);
    const placed = must(placeOrder(state, "p1", limit("ACME", "sell", 20, 10_500), 2)).order;
    const r = must(cancelOrder(state, "p1", placed.id, 3));
    expect(r.player.positions.ACME).toMatchObject({ qty: 30, reservedQty: 0 });
  });

  it("cancelling a partly filled order releases only what is still reserved", () => {
    const state = openMarket(["ann"]);
    const placed = must(placeOrder(state, "p1", limit("BOLT", "buy", 400, 2_004), 1));
    const filled = placed.fills[0];
    must(cancelOrder(state, "p1", placed.order.id, 2));
    expect(placed.order.status).toBe("cancelled");
    expect(placed.player.reserved).toBe(0);
    expect(placed.player.cash).toBe(1_000_000 - filled.qty * filled.price);
    expect(placed.player.positions.BOLT.qty).toBe(filled.qty);
  });

  it("another player's order, an unknown id or an order already cancelled is not found", () => {
    const state = openMarket(["ann", "bob"]);
    const placed = must(placeOrder(state, "p1", limit("ACME", "buy", 10, 9_500), 1)).order;
    expect(cancelOrder(state, "p2", placed.id, 2)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(cancelOrder(state, "p1", "o999", 2)).toMatchObject({ ok: false, code: "NOT_FOUND" });
    must(cancelOrder(state, "p1", placed.id, 2));
    expect(cancelOrder(state, "p1", placed.id, 3)).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("orders can be cancelled while the market is paused", () => {
    const state = openMarket(["ann"]);
    const placed = must(placeOrder(state, "p1", limit("ACME", "buy", 10, 9_500), 1)).order;
    must(applyControl(state, "pause", 2));
    expect(cancelOrder(state, "p1", placed.id, 3).ok).toBe(true);
  });
});

describe("refused orders", () => {
  /** Refuses and proves nothing at all changed, not even the id counters. */
  function refuses(
    state: ReturnType<typeof openMarket>,
    playerId: string,
    input: Parameters<typeof placeOrder>[2],
    code: string,
  ) {
    const before = structuredClone(state);
    expect(placeOrder(state, playerId, input, 99)).toMatchObject({ ok: false, code });
    expect(state).toEqual(before);
  }

  it("no orders before the market opens, while it is paused or after it closes (MARKET_NOT_OPEN)", () => {
    const state = openMarket(["ann"]);
    must(applyControl(state, "pause", 1));
    refuses(state, "p1", market("ACME", "buy", 1), "MARKET_NOT_OPEN");
    must(applyControl(state, "close", 2));
    refuses(state, "p1", market("ACME", "buy", 1), "MARKET_NOT_OPEN");
  });

  it("an unknown symbol or player is NOT_FOUND", () => {
    const state = openMarket(["ann"]);
    refuses(state, "p1", market("NOPE", "buy", 1), "NOT_FOUND");
    refuses(state, "p42", market("ACME", "buy", 1), "NOT_FOUND");
  });

  it("a halted symbol takes no orders (SYMBOL_HALTED)", () => {
    const state = openMarket(["ann"]);
    must(setHalt(state, "ACME", true));
    refuses(state, "p1", market("ACME", "buy", 1), "SYMBOL_HALTED");
    refuses(state, "p1", limit("ACME", "buy", 1, 9_000), "SYMBOL_HALTED");
  });

  it("more shares than maxOrderQty in one order is an ORDER_LIMIT", () => {
    const state = openMarket(["ann"], { maxOrderQty: 100 });
    refuses(state, "p1", market("BOLT", "buy", 101), "ORDER_LIMIT");
    expect(placeOrder(state, "p1", market("BOLT", "buy", 100), 1).ok).toBe(true);
  });

  it("a limit price outside the band around the last price is an ORDER_LIMIT", () => {
    const state = openMarket(["ann"], { limitPriceBand: 0.1 });
    refuses(state, "p1", limit("ACME", "buy", 1, 8_999), "ORDER_LIMIT");
    refuses(state, "p1", limit("ACME", "sell", 1, 11_001), "ORDER_LIMIT");
    expect(placeOrder(state, "p1", limit("ACME", "buy", 1, 9_000), 1).ok).toBe(true);
  });

  it("a resting order beyond maxOpenOrders is an ORDER_LIMIT, but an order that fills at once is not", () => {
    const state = openMarket(["ann"], { maxOpenOrders: 2 });
    must(placeOrder(state, "p1", limit("ACME", "buy", 1, 9_500), 1));
    must(placeOrder(state, "p1", limit("ACME", "buy", 1, 9_600), 1));
    refuses(state, "p1", limit("ACME", "buy", 1, 9_700), "ORDER_LIMIT");
    expect(placeOrder(state, "p1", limit("ACME", "buy", 1, 10_500), 1)).toMatchObject({
      ok: true,
      order: { status: "filled" },
    });
    expect(placeOrder(state, "p1", market("ACME", "buy", 1), 1).ok).toBe(true);
  });

  it("buying more than the cash allows is INSUFFICIENT_FUNDS, for market and limit orders", () => {
    const state = openMarket(["ann"]);
    refuses(state, "p1", market("ACME", "buy", 100), "INSUFFICIENT_FUNDS");
    refuses(state, "p1", limit("ACME", "buy", 106, 9_500), "INSUFFICIENT_FUNDS");
    expect(placeOrder(state, "p1", limit("ACME", "buy", 105, 9_500), 1).ok).toBe(true);
  });

  it("cash held for a resting buy cannot be spent again", () => {
    const state = openMarket(["ann"]);
    must(placeOrder(state, "p1", limit("ACME", "buy", 100, 9_500), 1));
    refuses(state, "p1", market("BOLT", "buy", 30), "INSUFFICIENT_FUNDS");
  });

  it("selling shares you do not have is INSUFFICIENT_SHARES unless the market allows shorting", () => {
    const state = openMarket(["ann"]);
    refuses(state, "p1", market("ACME", "sell", 1), "INSUFFICIENT_SHARES");
    refuses(state, "p1", limit("ACME", "sell", 1, 10_500), "INSUFFICIENT_SHARES");
    const shorting = openMarket(["ann"], { allowShort: true });
    const r = must(placeOrder(shorting, "p1", market("ACME", "sell", 5), 1));
    expect(r.player.positions.ACME.qty).toBe(-5);
    expect(r.player.cash).toBe(1_000_000 + 5 * r.fills[0].price);
  });

  it("a quantity that is not a positive whole number is a VALIDATION error", () => {
    const state = openMarket(["ann"]);
    refuses(state, "p1", market("ACME", "buy", 0), "VALIDATION");
    refuses(state, "p1", market("ACME", "buy", 1.5), "VALIDATION");
    refuses(state, "p1", { ...limit("ACME", "buy", 1, 9_500), limitPrice: null }, "VALIDATION");
  });
});

describe("the tick matches resting orders", () => {
  it("a resting order waits while the quote is away from its limit", () => {
    const state = openMarket(["ann"], { reversion: 0 });
    state.symbols.forEach((s) => (s.volatility = 0));
    const order = must(placeOrder(state, "p1", limit("ACME", "buy", 10, 9_500), 1)).order;
    const r = stepTick(state, 2);
    expect(r.fills).toHaveLength(0);
    expect(order.status).toBe("open");
  });
});
