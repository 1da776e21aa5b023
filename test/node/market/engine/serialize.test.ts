import { describe, expect, it } from "vitest";
import {
  applyNews,
  placeOrder,
  rebuildDerived,
  reviveMarket,
  serializeMarket,
  setHalt,
  stepTick,
  type MarketState,
} from "../../../../worker/market/engine";
import { buy, limit, must, openMarket } from "../../../support/engine";

function busyMarket(): MarketState {
  const state = openMarket(["ann", "Bob"], { feeRate: 0.001 });
  buy(state, "p1", "ACME", 20);
  must(placeOrder(state, "p2", limit("BOLT", "buy", 30, 1_950), 1));
  applyNews(state, [{ symbol: "ACME", move: 0.05, ticks: 3 }]);
  must(setHalt(state, "BOLT", true));
  stepTick(state, 2);
  return state;
}

function carryOn(state: MarketState) {
  must(setHalt(state, "BOLT", false));
  const out = [];
  for (let i = 0; i < 10; i++) {
    out.push(
      placeOrder(
        state,
        i % 2 ? "p1" : "p2",
        { clientOrderId: "x" + i, symbol: "BOLT", side: "buy", type: "market", qty: 5, limitPrice: null },
        10 + i,
      ),
    );
    out.push(stepTick(state, 20 + i));
  }
  return out;
}

describe("saving and restoring a market", () => {
  it("a state revived from JSON is deep-equal to the original", () => {
    const state = busyMarket();
    const revived = reviveMarket(serializeMarket(state));
    expect(revived).toEqual(state);
    expect(revived.players).toBeInstanceOf(Map);
    expect([...revived.openOrders.keys()]).toEqual([...state.openOrders.keys()]);
  });

  it("a revived market carries on with exactly the same prices, fills and balances", () => {
    const original = busyMarket();
    const revived = reviveMarket(serializeMarket(original));
    expect(carryOn(revived)).toEqual(carryOn(original));
    expect(revived).toEqual(original);
  });

  it("rebuildDerived restores the name index and ranking of a state loaded from rows", () => {
    const state = busyMarket();
    const loaded = { ...state, nameIndex: new Map(), ranks: new Map(), top: [] } as MarketState;
    rebuildDerived(loaded);
    expect(loaded.nameIndex).toEqual(state.nameIndex);
    expect(loaded.ranks).toEqual(state.ranks);
  });
});
