/** The house market makers' quotes around the fundamental value. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type MakerParams, makerQuotes } from "../../../../worker/market/engine/marketMakers";

describe("house market-maker quotes", () => {
  it("quotes the levels a side around the fundamental, bids down and asks up to the cent", () => {
    // 10,000.5 cents, 20 bp spread (10 bp a side), levels 10 bp apart, 100 shares each.
    const q = makerQuotes(10_000.5, { spreadBps: 20, levels: 3, size: 100, stepBps: 10 });
    expect(q.bids).toEqual([
      { price: 9_990, qty: 100 }, // floor(10000.5 - 10.0005)
      { price: 9_980, qty: 100 },
      { price: 9_970, qty: 100 },
    ]);
    expect(q.asks).toEqual([
      { price: 10_011, qty: 100 }, // ceil(10000.5 + 10.0005)
      { price: 10_021, qty: 100 },
      { price: 10_031, qty: 100 },
    ]);
  });

  it("a zero spread on a whole cent still leaves the ask a cent above the bid", () => {
    const q = makerQuotes(500, { spreadBps: 0, levels: 2, size: 1, stepBps: 0 });
    expect(q.bids.map((b) => b.price)).toEqual([500, 499]);
    expect(q.asks.map((a) => a.price)).toEqual([501, 502]);
  });

  it("a penny stock drops the bids that would fall under a cent", () => {
    const q = makerQuotes(1.5, { spreadBps: 5_000, levels: 3, size: 10, stepBps: 5_000 });
    expect(q.bids.map((b) => b.price)).toEqual([1]);
    expect(q.asks.map((a) => a.price)).toEqual([2, 3, 4]);
  });

  const params: fc.Arbitrary<MakerParams> = fc.record({
    spreadBps: fc.integer({ min: 0, max: 2_000 }),
    levels: fc.integer({ min: 0, max: 10 }),
    size: fc.integer({ min: 1, max: 10_000 }),
    stepBps: fc.integer({ min: 0, max: 500 }),
  });
  const fundamental = fc.oneof(
    fc.double({ min: 0.5, max: 100_000_000, noNaN: true }),
    fc.integer({ min: 1, max: 100_000 }),
  );

  it("is never crossed, whole cents, strictly ordered, and brackets the fundamental", () => {
    fc.assert(
      fc.property(fundamental, params, (f, p) => {
        const { bids, asks } = makerQuotes(f, p);
        expect(asks).toHaveLength(p.levels);
        expect(bids.length).toBeLessThanOrEqual(p.levels);
        for (const q of [...bids, ...asks]) {
          expect(Number.isInteger(q.price)).toBe(true);
          expect(q.price).toBeGreaterThanOrEqual(1);
          expect(q.qty).toBe(p.size);
        }
        for (let i = 1; i < bids.length; i++) expect(bids[i].price).toBeLessThan(bids[i - 1].price);
        for (let i = 1; i < asks.length; i++) expect(asks[i].price).toBeGreaterThan(asks[i - 1].price);
        if (bids.length > 0) {
          expect(bids[0].price).toBeLessThan(asks[0].price);
          expect(bids[0].price).toBeLessThanOrEqual(f);
        }
        if (asks.length > 0) expect(asks[0].price).toBeGreaterThanOrEqual(f);
        // The spread asked for is the least it quotes: rounding only widens it.
        if (bids.length > 0)
          expect(asks[0].price - bids[0].price).toBeGreaterThanOrEqual((f * p.spreadBps) / 10_000 - 1e-6);
      }),
      { numRuns: 2_000 },
    );
  });

  it("is a pure function: the same inputs give the same quotes", () => {
    fc.assert(
      fc.property(fundamental, params, (f, p) => {
        expect(makerQuotes(f, p)).toEqual(makerQuotes(f, { ...p }));
      }),
    );
  });
});
