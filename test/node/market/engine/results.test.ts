import { describe, expect, it } from "vitest";
import {
  bestAndWorstTrades,
  bestStock,
  biggestTrade,
  netWorthSeries,
  sampleStep,
  tradeGain,
} from "../../../../worker/market/engine/results";
import { netWorth, placeOrder, stepTick, type FillState } from "../../../../worker/market/engine";
import { market, openMarket } from "../../../support/engine";

let no = 0;
function fill(symbol: string, side: "buy" | "sell", qty: number, price: number, t: number, fee = 0): FillState {
  no += 1;
  return { id: `f${no}`, orderId: `o${no}`, playerId: "p1", symbol, side, qty, price, fee, t, tick: 0 };
}

describe("the results", () => {
  it("the best stock is the one that rose most since the open, even if all fell", () => {
    const state = openMarket();
    const [acme, bolt] = state.symbols;
    acme.last = 11_000; // +10%
    bolt.last = 2_400; // +20%
    expect(bestStock(state.symbols)).toMatchObject({ symbol: "BOLT", open: 2_000, last: 2_400, changePct: 0.2 });
    acme.last = 9_000;
    bolt.last = 1_000;
    expect(bestStock(state.symbols)).toMatchObject({ symbol: "ACME", changePct: -0.1 });
    expect(bestStock([])).toBeNull();
  });

  it("the biggest trade is the largest value, the earlier one on a tie", () => {
    const a = fill("ACME", "buy", 10, 10_000, 1);
    const b = fill("BOLT", "sell", 50, 2_000, 2); // same value as a
    const c = fill("ACME", "buy", 1, 10_000, 3);
    expect(biggestTrade([a, b, c])).toBe(a);
    expect(biggestTrade([c, b])).toBe(b);
    expect(biggestTrade([])).toBeNull();
  });

  it("a trade's gain is measured at the closing price, less its fee", () => {
    expect(tradeGain(fill("ACME", "buy", 10, 10_000, 1, 50), 11_000)).toBe(10 * 1_000 - 50);
    expect(tradeGain(fill("ACME", "sell", 10, 10_000, 1, 50), 11_000)).toBe(-10 * 1_000 - 50);
    expect(tradeGain(fill("ACME", "sell", 4, 12_000, 1), 11_000)).toBe(4_000);
  });

  it("best and worst trades, and none without trades", () => {
    const close: Record<string, number> = { ACME: 11_000, BOLT: 1_500 };
    const buyAcme = fill("ACME", "buy", 10, 10_000, 1); // +10,000
    const buyBolt = fill("BOLT", "buy", 10, 2_000, 2); // -5,000
    const sellBolt = fill("BOLT", "sell", 5, 1_800, 3); // +1,500
    const r = bestAndWorstTrades([buyAcme, buyBolt, sellBolt], (s) => close[s]);
    expect(r.best).toEqual({ fill: buyAcme, gain: 10_000 });
    expect(r.worst).toEqual({ fill: buyBolt, gain: -5_000 });
    expect(bestAndWorstTrades([], (s) => close[s])).toEqual({ best: null, worst: null });
  });

  it("net worth over time replays the fills from the starting cash at each sample's prices", () => {
    const fills = [fill("ACME", "buy", 10, 10_000, 150, 100), fill("ACME", "sell", 4, 12_000, 250)];
    const samples = [
      { t: 100, prices: [10_000, 2_000] },
      { t: 200, prices: [11_000, 2_000] },
      { t: 300, prices: [12_500, 2_000] },
    ];
    const series = netWorthSeries(1_000_000, ["ACME", "BOLT"], fills, samples);
    expect(series).toEqual([
      { t: 100, netWorth: 1_000_000 },
      // paid 100,000 + 100 fee, holds 10 at 11,000
      { t: 200, netWorth: 1_000_000 - 100_100 + 110_000 },
      // sold 4 at 12,000: cash 899,900 + 48,000, holds 6 at 12,500
      { t: 300, netWorth: 899_900 + 48_000 + 6 * 12_500 },
    ]);
  });

  it("replayed over a real market, the series ends at the player's final net worth", () => {
    const state = openMarket(["ann"], { feeRate: 0.001 });
    const fills: FillState[] = [];
    const samples = [{ t: 0, prices: state.symbols.map((s) => s.last) }];
    for (let k = 1; k <= 20; k++) {
      const t = k * 2000;
      const side = k % 3 === 0 ? "sell" : "buy";
      const placed = placeOrder(state, "p1", market(k % 2 ? "ACME" : "BOLT", side, 3), t - 1000);
      if (placed.ok) fills.push(...placed.fills);
      stepTick(state, t);
      samples.push({ t, prices: state.symbols.map((s) => s.last) });
    }
    expect(fills.length).toBeGreaterThan(10);
    const series = netWorthSeries(
      state.startingCash,
      state.symbols.map((s) => s.symbol),
      fills,
      samples,
    );
    expect(series).toHaveLength(21);
    expect(series.at(-1)!.netWorth).toBe(netWorth(state, state.players.get("p1")!));
  });

  it("samples at most the points asked for, and always the last tick", () => {
    expect(sampleStep(0, 120)).toBe(1);
    expect(sampleStep(100, 120)).toBe(1);
    expect(Math.ceil(3600 / sampleStep(3599, 120))).toBeLessThanOrEqual(120);
  });
});
