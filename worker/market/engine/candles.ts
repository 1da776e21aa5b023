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
export function aggregateCandles(
  points: { t: number; price: Cents; volume: number }[],
  intervalMs: number,
  from?: number,
  to?: number,
): Candle[] {
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

/** Candles in a reply, at most, and by default (when `from` is not given). */
export const MAX_CANDLES = 2000;
export const DEFAULT_CANDLES = 300;
/** Tick rows one candle request may read: about 11 hours of 2 s ticks. */
export const MAX_TICK_ROWS = 20_000;

/** Which stored ticks a candle request reads: times [start, end], tick numbers from `fromTick`. */
export interface CandleWindow {
  start: number;
  end: number;
  fromTick: number;
}

/**
 * The window of a candle request. At most one tick per tickMs happened in it, and never
 * more than MAX_TICK_ROWS are read: an anonymous request cannot make the market scan a
 * whole day of ticks.
 */
export function candleWindow(
  market: { tick: number; tickMs: number; createdAt: number },
  intervalMs: number,
  from: number | null,
  to: number | null,
  now: number,
): CandleWindow {
  const end = to ?? now;
  const start = from ?? Math.max(market.createdAt, end - intervalMs * DEFAULT_CANDLES);
  const ticksInWindow = Math.ceil(Math.max(0, end - start) / market.tickMs) + 2;
  return { start, end, fromTick: Math.max(0, market.tick - Math.min(ticksInWindow, MAX_TICK_ROWS)) };
}

/**
 * Candles of symbol number `index` from stored tick rows (prices per symbol, volumes
 * cumulative per symbol), newest MAX_CANDLES. `intervalMs` <= 0 means one candle per tick,
 * however close together the ticks came.
 */
export function candlesFromTicks(
  rows: { t: number; prices: Cents[]; volumes: number[] }[],
  index: number,
  intervalMs: number,
  window: CandleWindow,
): Candle[] {
  // Volumes are stored cumulative per tick; a candle wants what traded within it.
  let previousVolume = rows.length > 0 ? rows[0].volumes[index] : 0;
  const points = rows.map((r) => {
    const v = r.volumes[index] - previousVolume;
    previousVolume = r.volumes[index];
    return { t: r.t, price: r.prices[index], volume: Math.max(0, v) };
  });
  const candles =
    intervalMs <= 0
      ? points.map((p) => ({ t: p.t, o: p.price, h: p.price, l: p.price, c: p.price, v: p.volume }))
      : aggregateCandles(points, intervalMs, window.start, window.end);
  return candles.slice(-MAX_CANDLES);
}
