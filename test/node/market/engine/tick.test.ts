import { describe, expect, it } from "vitest";
import { applyControl, applyNews, MANUAL_HALT, placeOrder, setHalt, stepTick } from "../../../../worker/market/engine";
import { buy, limit, must, openMarket, sym } from "../../../support/engine";

/** A market whose prices move only by news and impact (no noise), to test those alone. */
function quietMarket(rules = {}) {
  const state = openMarket(["ann", "bob"], rules);
  for (const s of state.symbols) s.volatility = 0;
  return state;
}

describe("prices on each tick", () => {
  it("move with seeded noise, identically in two markets with the same seed", () => {
    const a = openMarket();
    const b = openMarket();
    for (let i = 1; i <= 20; i++) {
      stepTick(a, i);
      stepTick(b, i);
    }
    expect(a.symbols.map((s) => s.last)).toEqual(b.symbols.map((s) => s.last));
    expect(sym(a, "ACME").window.length).toBeGreaterThan(1);
    expect(new Set(sym(a, "ACME").window).size).toBeGreaterThan(1);
    expect(a.tick).toBe(20);
  });

  it("keep bid below last below or at ask, in whole cents", () => {
    const state = openMarket();
    for (let i = 1; i <= 50; i++) {
      stepTick(state, i);
      for (const s of state.symbols) {
        expect(Number.isInteger(s.bid) && Number.isInteger(s.ask) && Number.isInteger(s.last)).toBe(true);
        expect(s.bid).toBeLessThan(s.ask);
        expect(s.bid).toBeLessThanOrEqual(s.last);
        expect(s.ask).toBeGreaterThanOrEqual(s.last);
      }
    }
  });

  it("pausing the market stops prices and the generator; resuming starts them again", () => {
    const state = openMarket();
    stepTick(state, 1);
    must(applyControl(state, "pause", 2));
    const before = structuredClone(state);
    const r = stepTick(state, 3);
    expect(r).toEqual({ fills: [], orders: [], players: [], halted: [], resumed: [] });
    expect(state).toEqual(before);
    must(applyControl(state, "resume", 4));
    stepTick(state, 5);
    expect(state.tick).toBe(2);
    expect(state.rng).not.toEqual(before.rng);
  });

  it("a price pushed up by a big buy drifts back towards the fundamental", () => {
    const state = quietMarket({ reversion: 0.1 });
    buy(state, "p1", "ACME", 80);
    const pushed = sym(state, "ACME").last;
    expect(pushed).toBeGreaterThan(10_000);
    for (let i = 1; i <= 60; i++) stepTick(state, i);
    expect(Math.abs(sym(state, "ACME").last - 10_000)).toBeLessThan((pushed - 10_000) / 100);
  });

  it("records each tick's traded shares for the candle point", () => {
    const state = quietMarket();
    buy(state, "p1", "ACME", 7);
    buy(state, "p2", "ACME", 3);
    stepTick(state, 1);
    expect(sym(state, "ACME").lastTickVolume).toBe(10);
    expect(sym(state, "ACME").tickVolume).toBe(0);
    stepTick(state, 2);
    expect(sym(state, "ACME").lastTickVolume).toBe(0);
    expect(sym(state, "ACME").volume).toBe(10);
  });
});

describe("news", () => {
  it("news shifts the fundamental, so the price moves there and stays", () => {
    const state = quietMarket({ reversion: 0.2 });
    applyNews(state, [{ symbol: "ACME", move: 0.1, ticks: 1 }]);
    stepTick(state, 1);
    expect(sym(state, "ACME").last).toBe(11_000);
    for (let i = 2; i <= 50; i++) stepTick(state, i);
    expect(sym(state, "ACME").last).toBe(11_000);
    expect(sym(state, "ACME").logF).toBeCloseTo(Math.log(11_000), 9);
  });

  it("a move spread over several ticks lands front-loaded: half of the rest each tick, all of it by the last", () => {
    const state = quietMarket({ reversion: 0, haltBand: 1 });
    const total = Math.log(1.2);
    applyNews(state, [{ symbol: "ACME", move: 0.2, ticks: 4 }]);
    const moved: number[] = [];
    for (let i = 1; i <= 5; i++) {
      stepTick(state, i);
      moved.push(sym(state, "ACME").logF - Math.log(10_000));
    }
    expect(moved[0]).toBeCloseTo(total / 2, 12);
    expect(moved[1]).toBeCloseTo((total * 3) / 4, 12);
    expect(moved[2]).toBeCloseTo((total * 7) / 8, 12);
    expect(moved[3]).toBeCloseTo(total, 12);
    expect(moved[4]).toBeCloseTo(total, 12);
    expect(sym(state, "ACME").pending).toEqual([]);
  });

  it("news for an unknown symbol is ignored", () => {
    const state = quietMarket();
    const before = structuredClone(state);
    applyNews(state, [{ symbol: "NOPE", move: 0.5, ticks: 1 }]);
    expect(state).toEqual(before);
  });

  it("news queued while the market is paused lands once it reopens", () => {
    const state = quietMarket({ reversion: 0 });
    must(applyControl(state, "pause", 1));
    applyNews(state, [{ symbol: "BOLT", move: -0.1, ticks: 1 }]);
    stepTick(state, 2);
    expect(sym(state, "BOLT").last).toBe(2_000);
    must(applyControl(state, "resume", 3));
    stepTick(state, 4);
    expect(sym(state, "BOLT").last).toBe(1_800);
  });
});

describe("circuit breaker", () => {
  it("a big news move halts the symbol, and it resumes by itself after haltTicks", () => {
    const state = quietMarket({ haltBand: 0.15, haltTicks: 5, reversion: 0 });
    applyNews(state, [{ symbol: "ACME", move: -0.3, ticks: 1 }]);
    const tripped = stepTick(state, 1);
    expect(tripped.halted).toEqual(["ACME"]);
    expect(sym(state, "ACME").haltedUntilTick).toBe(1 + 5);
    expect(placeOrder(state, "p1", limit("ACME", "buy", 1, 7_000), 2)).toMatchObject({
      ok: false,
      code: "SYMBOL_HALTED",
    });
    // Other symbols keep trading.
    expect(placeOrder(state, "p1", limit("BOLT", "buy", 1, 1_900), 2).ok).toBe(true);

    for (let t = 2; t <= 5; t++) expect(stepTick(state, t).resumed).toEqual([]);
    const resumed = stepTick(state, 6);
    expect(resumed.resumed).toEqual(["ACME"]);
    expect(resumed.halted).toEqual([]);
    expect(sym(state, "ACME").haltedUntilTick).toBeNull();
    expect(placeOrder(state, "p1", limit("ACME", "buy", 1, 6_900), 7).ok).toBe(true);
  });

  it("a halted symbol's price stands still and its pending news waits", () => {
    const state = quietMarket({ haltBand: 0.15, haltTicks: 3, reversion: 0 });
    applyNews(state, [{ symbol: "ACME", move: -0.3, ticks: 1 }]);
    stepTick(state, 1);
    const frozen = sym(state, "ACME").last;
    applyNews(state, [{ symbol: "ACME", move: 0.1, ticks: 1 }]);
    stepTick(state, 2);
    stepTick(state, 3);
    expect(sym(state, "ACME").last).toBe(frozen);
    expect(sym(state, "ACME").pending).toHaveLength(1);
    stepTick(state, 4); // resumes, and the waiting news lands
    expect(sym(state, "ACME").last).toBe(Math.round(frozen * 1.1));
  });

  it("moves within the band do not halt", () => {
    const state = quietMarket({ haltBand: 0.15, reversion: 0 });
    applyNews(state, [{ symbol: "ACME", move: -0.1, ticks: 1 }]);
    expect(stepTick(state, 1).halted).toEqual([]);
  });

  it("an organiser halt stays until resumed by hand", () => {
    const state = quietMarket({ haltTicks: 2 });
    expect(setHalt(state, "ACME", true)).toEqual({ ok: true, changed: true });
    expect(setHalt(state, "ACME", true)).toEqual({ ok: true, changed: false });
    expect(sym(state, "ACME").haltedUntilTick).toBe(MANUAL_HALT);
    for (let i = 1; i <= 10; i++) expect(stepTick(state, i).resumed).toEqual([]);
    expect(placeOrder(state, "p1", limit("ACME", "buy", 1, 9_000), 11)).toMatchObject({ code: "SYMBOL_HALTED" });
    expect(setHalt(state, "ACME", false)).toEqual({ ok: true, changed: true });
    expect(setHalt(state, "ACME", false)).toEqual({ ok: true, changed: false });
    expect(placeOrder(state, "p1", limit("ACME", "buy", 1, 9_000), 12).ok).toBe(true);
  });

  it("halting an unknown symbol is NOT_FOUND", () => {
    const state = quietMarket();
    expect(setHalt(state, "NOPE", true)).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });
});

describe("resting limit orders at the tick", () => {
  it("a resting limit buy fills when the quote comes down to it, and the unused reservation comes back", () => {
    const state = quietMarket({ feeRate: 0.001, reversion: 0 });
    const order = must(placeOrder(state, "p1", limit("ACME", "buy", 10, 9_500), 1)).order;
    applyNews(state, [{ symbol: "ACME", move: -0.1, ticks: 1 }]);
    const r = stepTick(state, 2);
    expect(r.fills).toHaveLength(1);
    expect(r.orders).toEqual([order]);
    const fill = r.fills[0];
    expect(fill).toMatchObject({ orderId: order.id, playerId: "p1", qty: 10, tick: 1, t: 2 });
    expect(fill.price).toBeLessThanOrEqual(9_500);
    expect(order.status).toBe("filled");
    expect(order.reservedCash).toBe(0);
    const ann = state.players.get("p1")!;
    expect(r.players).toEqual([ann]);
    expect(ann.reserved).toBe(0);
    expect(ann.openOrders).toBe(0);
    expect(ann.cash).toBe(1_000_000 - 10 * fill.price - fill.fee);
    expect(state.openOrders.size).toBe(0);
  });

  it("a resting limit sell fills when the quote rises to it", () => {
    const state = quietMarket({ reversion: 0 });
    buy(state, "p1", "BOLT", 10);
    const order = must(placeOrder(state, "p1", limit("BOLT", "sell", 10, 2_100), 2)).order;
    applyNews(state, [{ symbol: "BOLT", move: 0.1, ticks: 1 }]);
    const r = stepTick(state, 3);
    expect(r.fills[0].price).toBeGreaterThanOrEqual(2_100);
    expect(order.status).toBe("filled");
    expect(state.players.get("p1")!.positions.BOLT).toMatchObject({ qty: 0, reservedQty: 0 });
  });

  it("orders fill in time priority and each fill's impact can leave later orders unfilled", () => {
    const state = quietMarket({ reversion: 0 });
    const first = must(placeOrder(state, "p2", limit("BOLT", "buy", 400, 1_900), 1)).order;
    const second = must(placeOrder(state, "p1", limit("BOLT", "buy", 400, 1_900), 1)).order;
    // The quote drops to just under both limits; the first buyer's impact lifts it again.
    applyNews(state, [{ symbol: "BOLT", move: -0.052, ticks: 1 }]);
    stepTick(state, 2);
    expect(first.filledQty).toBeGreaterThan(0);
    expect(first.filledQty).toBeLessThan(400);
    expect(second.filledQty).toBeLessThan(first.filledQty);
  });

  it("a resting order on a halted symbol waits for it to resume", () => {
    const state = quietMarket({ reversion: 0 });
    const order = must(placeOrder(state, "p1", limit("ACME", "buy", 10, 9_500), 1)).order;
    must(setHalt(state, "ACME", true));
    applyNews(state, [{ symbol: "ACME", move: -0.1, ticks: 1 }]);
    stepTick(state, 2);
    expect(order.status).toBe("open");
    must(setHalt(state, "ACME", false));
    stepTick(state, 3);
    expect(order.status).toBe("filled");
  });
});
