import { describe, expect, it } from "vitest";
import { aggregateCandles } from "../../../../worker/market/engine";

const points = [
  { t: 0, price: 100, volume: 1 },
  { t: 20_000, price: 105, volume: 2 },
  { t: 40_000, price: 98, volume: 0 },
  { t: 60_000, price: 101, volume: 4 },
  // nothing traded or ticked in minutes 2-3
  { t: 240_000, price: 110, volume: 5 },
];

describe("candles", () => {
  it("aggregate ticks into OHLCV per interval, skipping empty buckets", () => {
    expect(aggregateCandles(points, 60_000)).toEqual([
      { t: 0, o: 100, h: 105, l: 98, c: 98, v: 3 },
      { t: 60_000, o: 101, h: 101, l: 101, c: 101, v: 4 },
      { t: 240_000, o: 110, h: 110, l: 110, c: 110, v: 5 },
    ]);
  });

  it("keep only points between from and to, both inclusive", () => {
    expect(aggregateCandles(points, 60_000, 20_000, 60_000)).toEqual([
      { t: 0, o: 105, h: 105, l: 98, c: 98, v: 2 },
      { t: 60_000, o: 101, h: 101, l: 101, c: 101, v: 4 },
    ]);
  });

  it("give one candle per point for the tick interval", () => {
    expect(aggregateCandles(points.slice(0, 2), 0)).toEqual([
      { t: 0, o: 100, h: 100, l: 100, c: 100, v: 1 },
      { t: 20_000, o: 105, h: 105, l: 105, c: 105, v: 2 },
    ]);
  });

  it("are empty for no points", () => {
    expect(aggregateCandles([], 60_000)).toEqual([]);
  });
});
