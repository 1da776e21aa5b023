/**
 * Price maths shared by order execution, limit matching and the web app's "estimated
 * cost" preview. Imports nothing but types and the shared bounds, so the client can
 * bundle it as is.
 *
 * Prices live in log-cents (logP = ln(price in cents)). A fill of `qty` moves logP at
 * once by lambda * sign * sqrt(qty / liquidity) (square-root impact) and executes at the
 * midpoint, in log space, between the price before and after its own impact, plus the
 * half-spread on the side that pays it: a buyer pays above, a seller gets below.
 */
import type { Cents } from "./types.ts";
import { MAX_PRICE_CENTS } from "../../shared/bounds.ts";

type Side = "buy" | "sell";

/** Lowest log price: 1 cent. Prices never go below it and the log never sinks past it, so a price at the floor moves again as soon as anything pushes it up. */
export const MIN_LOG = 0;
/**
 * Highest log price: MAX_PRICE_CENTS ($1,000,000). Every move (fills, ticks, news however
 * many and however large) goes through clampLog, so no price passes it; shared/bounds.ts
 * shows why that keeps every sum of cents exact.
 */
export const MAX_LOG = Math.log(MAX_PRICE_CENTS);

export function clampLog(logP: number): number {
  return logP < MIN_LOG ? MIN_LOG : logP > MAX_LOG ? MAX_LOG : logP;
}

/** The signed log move of one fill: up for a buy, down for a sell. */
export function impactLog(side: Side, qty: number, liquidity: number, impact: number): number {
  const d = impact * Math.sqrt(qty / liquidity);
  return side === "buy" ? d : -d;
}

/** Whole cents of a log price, at least 1. */
export function centsOf(logP: number): Cents {
  const c = Math.round(Math.exp(logP));
  return c < 1 ? 1 : c;
}

/**
 * The quote around price `p` (cents, unrounded): last rounded, bid below by the
 * half-spread rounded down, ask above rounded up, all whole cents, bid >= 1, ask > bid.
 * Takes the price rather than its log so the caller pays for one exp, not three: this
 * runs after every fill.
 */
export function quoteAround(p: number, halfSpread: number): { last: Cents; bid: Cents; ask: Cents } {
  const last = Math.round(p);
  const bid = Math.floor(p * (1 - halfSpread));
  const b = bid < 1 ? 1 : bid;
  const ask = Math.ceil(p * (1 + halfSpread));
  return { last: last < 1 ? 1 : last, bid: b, ask: ask > b ? ask : b + 1 };
}

/** Execution price of a fill whose log price moves from `pre` to `post`. */
export function fillPrice(pre: number, post: number, side: Side, halfSpread: number): Cents {
  const mid = Math.exp((pre + post) / 2);
  if (side === "buy") {
    const p = Math.ceil(mid * (1 + halfSpread));
    return p < 1 ? 1 : p;
  }
  const p = Math.floor(mid * (1 - halfSpread));
  return p < 1 ? 1 : p;
}

/** The price `qty` would fill at right now from log price `logP`. */
export function priceFor(
  logP: number,
  side: Side,
  qty: number,
  liquidity: number,
  impact: number,
  halfSpread: number,
): Cents {
  return fillPrice(logP, clampLog(logP + impactLog(side, qty, liquidity, impact)), side, halfSpread);
}

/**
 * The price a market order of `qty` would fill at and where the price goes after it.
 * Pure and state-free for the preview. The engine runs the same functions from its
 * unrounded log price, so the preview can differ from the real fill only by the
 * rounding of `lastCents` (a fraction of a cent on the base price).
 */
export function estimateExecution(
  lastCents: Cents,
  side: Side,
  qty: number,
  liquidity: number,
  rules: { impact: number; halfSpread: number },
): { price: Cents; newLast: Cents } {
  const pre = Math.log(lastCents < 1 ? 1 : lastCents);
  const post = clampLog(pre + impactLog(side, qty, liquidity, rules.impact));
  return { price: fillPrice(pre, post, side, rules.halfSpread), newLast: centsOf(post) };
}

/**
 * The largest quantity in [0, maxQty] that fills within `limit` (a buy at or below it,
 * a sell at or above it), each share counted with the order's own impact.
 *
 * The execution price is monotone in qty, so the answer is a threshold. A closed-form
 * guess (ignoring rounding and clamps) is almost always exact, which costs two price
 * evaluations; when rounding puts it off, a binary search settles it in O(log maxQty).
 */
export function maxFillQty(
  logP: number,
  side: Side,
  limit: Cents,
  maxQty: number,
  liquidity: number,
  impact: number,
  halfSpread: number,
): number {
  if (maxQty <= 0) return 0;
  const ok = (q: number) => {
    const p = priceFor(logP, side, q, liquidity, impact, halfSpread);
    return side === "buy" ? p <= limit : p >= limit;
  };
  if (!ok(1)) return 0;
  if (ok(maxQty)) return maxQty;
  // Here ok(1) and !ok(maxQty): the threshold lies in [1, maxQty).
  let lo = 1;
  let hi = maxQty;
  if (impact > 0) {
    const room = side === "buy" ? Math.log(limit / (1 + halfSpread)) - logP : logP - Math.log(limit / (1 - halfSpread));
    const r = (2 * room) / impact;
    const guess = Math.floor(liquidity * r * r);
    if (guess >= 1 && guess < maxQty) {
      if (ok(guess)) {
        if (!ok(guess + 1)) return guess;
        lo = guess + 1;
      } else {
        hi = guess;
      }
    }
  }
  // Invariant: ok(lo), !ok(hi).
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}
