import { describe, expect, it } from "vitest";
import { estimateExecution } from "../../../../worker/market/engine";
import { maxFillQty, priceFor } from "../../../../worker/market/engine/pricing";

const rules = { impact: 0.01, halfSpread: 0.001 };

describe("estimating a market order", () => {
  it("a buy pays above the price and pushes it up by the square-root impact", () => {
    const { price, newLast } = estimateExecution(10_000, "buy", 10_000, 10_000, rules);
    // qty = liquidity moves the log price by exactly `impact`: 10000 * e^0.01 = 10100.5
    expect(newLast).toBe(10_101);
    // Midpoint in log space (e^0.005) plus the half-spread, rounded up: 10000 * 1.00501 * 1.001
    expect(price).toBe(Math.ceil(10_000 * Math.exp(0.005) * 1.001));
  });

  it("a sell gets below the price and pushes it down", () => {
    const { price, newLast } = estimateExecution(10_000, "sell", 10_000, 10_000, rules);
    expect(newLast).toBe(Math.round(10_000 * Math.exp(-0.01)));
    expect(price).toBe(Math.floor(10_000 * Math.exp(-0.005) * 0.999));
  });

  it("impact grows with the square root of size: four times the shares, twice the move", () => {
    const small = estimateExecution(1_000_000, "buy", 100, 10_000, { impact: 0.01, halfSpread: 0 });
    const big = estimateExecution(1_000_000, "buy", 400, 10_000, { impact: 0.01, halfSpread: 0 });
    expect(big.newLast - 1_000_000).toBeCloseTo(2 * (small.newLast - 1_000_000), -1);
  });

  it("never prices below one cent, however large the sale", () => {
    const r = estimateExecution(1, "sell", 1_000_000_000, 1, { impact: 1, halfSpread: 0.1 });
    expect(r.price).toBe(1);
    expect(r.newLast).toBe(1);
  });
});

describe("how much of a limit order fits within its limit", () => {
  const logP = Math.log(10_000);

  it("is the largest quantity whose execution price stays within the limit", () => {
    for (const limit of [10_011, 10_020, 10_050, 10_100]) {
      const q = maxFillQty(logP, "buy", limit, 1_000_000, 10_000, 0.01, 0.001);
      expect(priceFor(logP, "buy", q, 10_000, 0.01, 0.001)).toBeLessThanOrEqual(limit);
      expect(priceFor(logP, "buy", q + 1, 10_000, 0.01, 0.001)).toBeGreaterThan(limit);
    }
    for (const limit of [9_989, 9_980, 9_900]) {
      const q = maxFillQty(logP, "sell", limit, 1_000_000, 10_000, 0.01, 0.001);
      expect(priceFor(logP, "sell", q, 10_000, 0.01, 0.001)).toBeGreaterThanOrEqual(limit);
      expect(priceFor(logP, "sell", q + 1, 10_000, 0.01, 0.001)).toBeLessThan(limit);
    }
  });

  it("is zero when even one share would cross the limit, and the whole order when all of it fits", () => {
    expect(maxFillQty(logP, "buy", 9_999, 100, 10_000, 0.01, 0.001)).toBe(0);
    expect(maxFillQty(logP, "buy", 11_000, 100, 10_000, 0.01, 0.001)).toBe(100);
    expect(maxFillQty(logP, "buy", 10_011, 100, 10_000, 0, 0.001)).toBe(100);
  });
});

describe("quotes", () => {
  it("put the bid below and the ask above the price in whole cents, never below one cent", async () => {
    const { quoteAround } = await import("../../../../worker/market/engine/pricing");
    expect(quoteAround(10_000.4, 0.001)).toEqual({ last: 10_000, bid: 9_990, ask: 10_011 });
    expect(quoteAround(0.3, 0.001)).toEqual({ last: 1, bid: 1, ask: 2 });
    expect(quoteAround(500, 0)).toEqual({ last: 500, bid: 500, ask: 501 });
  });
});
