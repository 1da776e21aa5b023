/**
 * The end of the game, as pure functions over plain data: the room's highlights (the
 * biggest single trade, the best-performing stock) and one player's own result (rank,
 * return, best and worst trade, net worth over time). The shell reads the fills and the
 * tick rows from SQLite and hands them in.
 *
 * A trade's result is measured against the closing price: a buy earned (close - price) x
 * qty, a sale (price - close) x qty, each less its fee. It says how each decision turned
 * out by the bell, with no average-cost bookkeeping for a player to follow.
 */
import type { Cents, FillState, SymbolState } from "./types.ts";

export interface BestStock {
  symbol: string;
  name: string;
  open: Cents;
  last: Cents;
  /** (last - open) / open, as a fraction. */
  changePct: number;
}

/** The stock that rose most (or fell least) since the open; ties go to the first listed. */
export function bestStock(symbols: readonly SymbolState[]): BestStock | null {
  let best: BestStock | null = null;
  for (const s of symbols) {
    const changePct = s.open > 0 ? (s.last - s.open) / s.open : 0;
    if (best === null || changePct > best.changePct)
      best = { symbol: s.symbol, name: s.name, open: s.open, last: s.last, changePct };
  }
  return best;
}

/** The fill of the largest value (price x qty); ties go to the earlier fill. */
export function biggestTrade<F extends FillState>(fills: Iterable<F>): F | null {
  let best: F | null = null;
  for (const f of fills) if (best === null || f.price * f.qty > best.price * best.qty) best = f;
  return best;
}

export interface TradeResult {
  fill: FillState;
  /** What the trade earned by the close, in cents (see the file's comment). */
  gain: Cents;
}

/** A fill's gain at the closing price `close` of its symbol. */
export function tradeGain(fill: FillState, close: Cents): Cents {
  const perShare = fill.side === "buy" ? close - fill.price : fill.price - close;
  return perShare * fill.qty - fill.fee;
}

/** The player's best and worst trade by gain at the close; null without trades. */
export function bestAndWorstTrades(
  fills: readonly FillState[],
  closeOf: (symbol: string) => Cents | undefined,
): { best: TradeResult | null; worst: TradeResult | null } {
  let best: TradeResult | null = null;
  let worst: TradeResult | null = null;
  for (const fill of fills) {
    const close = closeOf(fill.symbol);
    if (close === undefined) continue;
    const r = { fill, gain: tradeGain(fill, close) };
    if (best === null || r.gain > best.gain) best = r;
    if (worst === null || r.gain < worst.gain) worst = r;
  }
  return { best, worst };
}

/** A moment of the market: its time and every symbol's price, in the symbols' order. */
export interface PriceSample {
  t: number;
  prices: readonly Cents[];
}

/**
 * The player's net worth at each sample: the fills up to a sample's time replayed from
 * the starting cash (cash moves by price x qty and the fee; reserved cash is still the
 * player's), the holdings valued at that sample's prices. `fills` in execution order.
 */
export function netWorthSeries(
  startingCash: Cents,
  symbols: readonly string[],
  fills: readonly FillState[],
  samples: readonly PriceSample[],
): { t: number; netWorth: Cents }[] {
  const index = new Map(symbols.map((s, i) => [s, i]));
  const held = symbols.map(() => 0);
  let cash = startingCash;
  let next = 0;
  const out: { t: number; netWorth: Cents }[] = [];
  for (const sample of samples) {
    while (next < fills.length && fills[next].t <= sample.t) {
      const f = fills[next++];
      const i = index.get(f.symbol);
      if (i === undefined) continue;
      const sign = f.side === "buy" ? 1 : -1;
      held[i] += sign * f.qty;
      cash -= sign * f.price * f.qty + f.fee;
    }
    let worth = cash;
    for (let i = 0; i < held.length; i++) if (held[i] !== 0) worth += held[i] * (sample.prices[i] ?? 0);
    out.push({ t: sample.t, netWorth: worth });
  }
  return out;
}

/**
 * Which of `ticks` tick rows (numbered 0..ticks) to read for a series of at most
 * `maxPoints` points: every step-th, and always the last, so the series ends at the close.
 */
export function sampleStep(ticks: number, maxPoints: number): number {
  return Math.max(1, Math.ceil((ticks + 1) / Math.max(2, maxPoints - 1)));
}
