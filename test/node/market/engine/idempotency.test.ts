import { describe, expect, it } from "vitest";
import { orderRequestMismatch, type OrderRequest, type OrderState } from "../../../../worker/market/engine";

const first: OrderState = {
  id: "o7",
  playerId: "p1",
  clientOrderId: "k",
  symbol: "ACME",
  side: "buy",
  type: "limit",
  qty: 10,
  limitPrice: 9950,
  stopPrice: null,
  triggeredAt: null,
  rejectReason: null,
  status: "partially_filled",
  filledQty: 4,
  filledValue: 39_800,
  reservedCash: 59_700,
  createdAt: 1,
  updatedAt: 2,
};
const same: OrderRequest = {
  clientOrderId: "k",
  symbol: "ACME",
  side: "buy",
  type: "limit",
  qty: 10,
  limitPrice: 9950,
};

describe("is a repeated clientOrderId the same order request", () => {
  it("is identical when symbol, side, type, qty and limit price (in cents) match, whatever became of the order", () => {
    expect(orderRequestMismatch(first, same)).toEqual([]);
  });

  it("names every field that differs", () => {
    expect(orderRequestMismatch(first, { ...same, qty: 11 })).toEqual(["qty"]);
    expect(orderRequestMismatch(first, { ...same, symbol: "BOLT", side: "sell" })).toEqual(["symbol", "side"]);
    expect(orderRequestMismatch(first, { ...same, type: "market", limitPrice: null })).toEqual(["type", "limitPrice"]);
    expect(orderRequestMismatch(first, { ...same, limitPrice: 9951 })).toEqual(["limitPrice"]);
  });

  it("a market order repeated as a market order has no limit price on either side", () => {
    const market = { ...first, type: "market" as const, limitPrice: null, status: "filled" as const };
    expect(orderRequestMismatch(market, { ...same, type: "market", limitPrice: null })).toEqual([]);
  });
});
