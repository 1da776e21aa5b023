import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  applyNews,
  cancelOrder,
  placeOrder,
  reviveMarket,
  serializeMarket,
  stepTick,
  type MarketState,
  type OrderRequest,
} from "../../../../worker/market/engine";
import { buy, must, openMarket, sym } from "../../../support/engine";

// A breaker band this wide never trips, so every symbol trades on every tick of a run.
const NO_HALTS = { haltBand: 9, allowShort: true };

function stop(
  no: number,
  symbol: string,
  side: "buy" | "sell",
  qty: number,
  stopPrice: number,
  limitPrice: number | null = null,
): OrderRequest {
  return {
    clientOrderId: `s${no}`,
    symbol,
    side,
    type: limitPrice === null ? "stop" : "stop_limit",
    qty,
    limitPrice,
    stopPrice,
  };
}

/** A stop `offsetPct` percent beyond the last price on its trigger side (buy above, sell below). */
function stopBeyond(
  state: MarketState,
  no: number,
  symbol: string,
  side: "buy" | "sell",
  qty: number,
  offsetPct: number,
) {
  const last = sym(state, symbol).last;
  const price =
    side === "buy" ? Math.ceil(last * (1 + offsetPct / 100)) + 1 : Math.floor(last * (1 - offsetPct / 100)) - 1;
  return stop(no, symbol, side, qty, price);
}

const stopArb = fc.record({
  player: fc.constantFrom("p1", "p2", "p3"),
  symbol: fc.constantFrom("ACME", "BOLT"),
  side: fc.constantFrom<"buy" | "sell">("buy", "sell"),
  qty: fc.integer({ min: 1, max: 40 }),
  offsetPct: fc.integer({ min: 0, max: 20 }),
});
const newsArb = fc.array(
  fc.record({ symbol: fc.constantFrom("ACME", "BOLT"), move: fc.double({ min: -0.3, max: 0.3, noNaN: true }) }),
  { maxLength: 4 },
);

function waitingStops(state: MarketState) {
  return [...state.openOrders.values()].filter((o) => o.stopPrice !== null && o.triggeredAt === null);
}

describe("stop orders", () => {
  it("reserve nothing until they trigger, and a cancel gives back nothing but the open-order slot", () => {
    fc.assert(
      fc.property(fc.array(stopArb, { minLength: 1, maxLength: 12 }), (stops) => {
        const state = openMarket(["ann", "bob", "cy"], NO_HALTS);
        buy(state, "p1", "ACME", 30);
        const before = JSON.stringify([...state.players.values()]);
        const placed = stops.map(
          (s, i) =>
            must(placeOrder(state, s.player, stopBeyond(state, i, s.symbol, s.side, s.qty, s.offsetPct), 1)).order,
        );
        const ledger = (text: string) =>
          (JSON.parse(text) as { cash: number; reserved: number; positions: unknown }[]).map((p) => [
            p.cash,
            p.reserved,
            p.positions,
          ]);
        expect(ledger(JSON.stringify([...state.players.values()]))).toEqual(ledger(before));
        expect(waitingStops(state)).toHaveLength(stops.length);
        for (const o of placed) must(cancelOrder(state, o.playerId, o.id, 2));
        expect(JSON.stringify([...state.players.values()])).toBe(before);
      }),
    );
  });

  it("trigger exactly once, and none the tick's prices reach is left waiting", () => {
    fc.assert(
      fc.property(fc.array(stopArb, { minLength: 1, maxLength: 15 }), newsArb, (stops, news) => {
        const state = openMarket(["ann", "bob", "cy"], NO_HALTS);
        stops.forEach((s, i) => {
          must(placeOrder(state, s.player, stopBeyond(state, i, s.symbol, s.side, s.qty, s.offsetPct), 1));
        });
        applyNews(
          state,
          news.map((n) => ({ ...n, ticks: 2 })),
        );
        const triggered = new Map<string, number>();
        for (let t = 0; t < 8; t++) {
          const now = 10 + t;
          const result = stepTick(state, now);
          for (const o of result.orders) {
            if (o.triggeredAt !== now) continue;
            expect(triggered.has(o.id)).toBe(false);
            triggered.set(o.id, now);
          }
          // Plain stops become market orders, which fill at once: no waiting stop is reached after a tick.
          for (const o of waitingStops(state)) {
            const last = sym(state, o.symbol).last;
            expect(o.side === "buy" ? last < o.stopPrice! : last > o.stopPrice!).toBe(true);
          }
        }
        for (const o of waitingStops(state)) expect(triggered.has(o.id)).toBe(false);
        expect(triggered.size + waitingStops(state).length).toBe(stops.length);
      }),
    );
  });

  it("several crossed by one news move trigger in placement order, each through the order rules", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ player: fc.constantFrom("p1", "p2"), offsetPct: fc.integer({ min: 0, max: 10 }) }), {
          minLength: 2,
          maxLength: 10,
        }),
        (stops) => {
          const state = openMarket(["ann", "bob"], NO_HALTS);
          const ids = stops.map(
            (s, i) =>
              must(placeOrder(state, s.player, stopBeyond(state, i, "ACME", "sell", 5, s.offsetPct), 1)).order.id,
          );
          // A 40% drop in one tick passes every stop placed at most ~10% below the price.
          applyNews(state, [{ symbol: "ACME", move: -0.4, ticks: 1 }]);
          const result = stepTick(state, 5);
          expect(result.orders.map((o) => o.id)).toEqual(ids);
          expect(result.fills.map((f) => f.orderId)).toEqual(ids);
          // Selling short is allowed here, so every one filled; each fill lower than the one before.
          const prices = result.fills.map((f) => f.price);
          for (let i = 1; i < prices.length; i++) expect(prices[i]).toBeLessThanOrEqual(prices[i - 1]);
          expect(result.orders.every((o) => o.status === "filled" && o.triggeredAt === 5)).toBe(true);
        },
      ),
    );
  });

  it("a triggered stop the rules refuse is rejected with the reason, and holds nothing", () => {
    const state = openMarket(["ann"], { ...NO_HALTS, allowShort: false });
    // A sell stop for shares ann does not have: accepted while it waits, refused when it triggers.
    const order = must(placeOrder(state, "p1", stopBeyond(state, 0, "ACME", "sell", 10, 1), 1)).order;
    applyNews(state, [{ symbol: "ACME", move: -0.2, ticks: 1 }]);
    const result = stepTick(state, 5);
    expect(result.fills).toEqual([]);
    expect(order.status).toBe("rejected");
    expect(order.rejectReason).toMatch(/Not enough ACME shares/);
    expect(state.players.get("p1")!.openOrders).toBe(0);
    expect(state.openOrders.size).toBe(0);
  });

  it("a stop-limit rests at its limit once triggered, reserving only then", () => {
    const state = openMarket(["ann"], NO_HALTS);
    const last = sym(state, "ACME").last;
    const order = must(placeOrder(state, "p1", stop(0, "ACME", "buy", 10, last + 100, last - 2_000), 1)).order;
    expect(state.players.get("p1")!.reserved).toBe(0);
    applyNews(state, [{ symbol: "ACME", move: 0.1, ticks: 1 }]);
    stepTick(state, 5);
    expect(order.triggeredAt).toBe(5);
    expect(order.status).toBe("open");
    expect(state.players.get("p1")!.reserved).toBe(10 * (last - 2_000));
  });

  it("refuses a stop price already reached and counts waiting stops against the open-order limit", () => {
    const state = openMarket(["ann"], { ...NO_HALTS, maxOpenOrders: 1 });
    const last = sym(state, "ACME").last;
    expect(placeOrder(state, "p1", stop(0, "ACME", "buy", 1, last), 1)).toMatchObject({
      ok: false,
      code: "VALIDATION",
    });
    expect(placeOrder(state, "p1", stop(1, "ACME", "sell", 1, last), 1)).toMatchObject({
      ok: false,
      code: "VALIDATION",
    });
    must(placeOrder(state, "p1", stop(2, "ACME", "buy", 1, last + 10), 1));
    expect(placeOrder(state, "p1", stop(3, "ACME", "buy", 1, last + 20), 1)).toMatchObject({
      ok: false,
      code: "ORDER_LIMIT",
    });
  });

  it("a market revived mid-way triggers the same stops with the same fills", () => {
    fc.assert(
      fc.property(
        fc.array(stopArb, { minLength: 1, maxLength: 10 }),
        newsArb,
        fc.integer({ min: 0, max: 6 }),
        (stops, news, cut) => {
          const run = (reviveAt: number | null) => {
            let state = openMarket(["ann", "bob", "cy"], NO_HALTS);
            stops.forEach((s, i) => {
              placeOrder(state, s.player, stopBeyond(state, i, s.symbol, s.side, s.qty, s.offsetPct), 1);
            });
            applyNews(
              state,
              news.map((n) => ({ ...n, ticks: 3 })),
            );
            const out = [];
            for (let t = 0; t < 7; t++) {
              if (t === reviveAt) state = reviveMarket(serializeMarket(state));
              out.push(JSON.stringify(stepTick(state, 10 + t)));
            }
            // Parsed: a revived state writes its keys in another order, the values must be the same.
            return [out, JSON.parse(serializeMarket(state))];
          };
          expect(run(cut)).toEqual(run(null));
        },
      ),
    );
  });
});
