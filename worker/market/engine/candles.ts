/**
 * OHLCV candles from per-tick price points, for the chart API. Values stay in cents; the
 * shell converts at the edge like every other amount.
 */
import type { Candle } from "../../shared/messages.ts";
import type { Cents } from "./types.ts";

/**
 * Points are in time order, one per tick for one symbol (`volume` = shares traded in
 * that tick). Each candle covers [t, t + intervalMs) with t a multiple of intervalMs;
 * buckets without points are skipped (no invented flat candles). `from` and `to` filter
 * points by time, both inclusive. An intervalMs <= 0 gives one candle per point (the
 * "tick" interval).
 */
export function aggregateCandles(points: { t: number; price: Cents; volume: number }[], intervalMs: number, from?: number, to?: number): Candle[] {
  const candles: Candle[] = [];
  let current: Candle | null = null;
  for (const p of points) {
    if (from !== undefined && p.t < from) continue;
    if (to !== undefined && p.t > to) break;
    const t = intervalMs > 0 ? Math.floor(p.t / intervalMs) * intervalMs : p.t;
    if (current !== null && current.t === t && intervalMs > 0) {
      if (p.price > current.h) current.h = p.price;
      if (p.price < current.l) current.l = p.price;
      current.c = p.price;
      current.v += p.volume;
    } else {
      current = { t, o: p.price, h: p.price, l: p.price, c: p.price, v: p.volume };
      candles.push(current);
    }
  }
  return candles;
}
