/**
 * What an order will probably cost, shown on the ticket before the player commits.
 *
 * The fill price comes from the engine's own pure `estimateExecution` (square-root
 * impact, fill at the log-midpoint, half-spread on the paying side, whole cents), so the
 * preview and the real fill share one formula. It is an estimate: the next tick can move
 * the price before the order arrives. Imported from the engine's public entry point: its
 * index would pull the whole engine into the player's bundle.
 */
import type { MarketRules, OrderSide } from "../../../worker/shared/messages";
import { DEFAULT_RULES, estimateExecution } from "../../../worker/market/engine/public";

export type EstimateRules = Pick<MarketRules, "impact" | "halfSpread" | "feeRate">;

export interface Estimate {
  /** Expected average fill price, cents. */
  priceCents: number;
  /** price * qty, cents. */
  valueCents: number;
  feeCents: number;
  /** What leaves (buy) or arrives (sell) in cash, cents. */
  totalCents: number;
  /** Expected fill price against the last price, as a fraction (the cost of impact and spread). */
  slippage: number;
}

export function rulesOrDefault(rules: Partial<MarketRules> | undefined): EstimateRules {
  return {
    impact: rules?.impact ?? DEFAULT_RULES.impact,
    halfSpread: rules?.halfSpread ?? DEFAULT_RULES.halfSpread,
    feeRate: rules?.feeRate ?? DEFAULT_RULES.feeRate,
  };
}

export function estimateOrder(
  lastCents: number,
  side: OrderSide,
  qty: number,
  liquidity: number,
  rules: EstimateRules,
): Estimate {
  const priceCents = estimateExecution(lastCents, side, Math.max(0, qty), Math.max(1, liquidity), rules).price;
  const valueCents = priceCents * qty;
  const feeCents = Math.round(valueCents * rules.feeRate);
  return {
    priceCents,
    valueCents,
    feeCents,
    totalCents: side === "buy" ? valueCents + feeCents : valueCents - feeCents,
    slippage: lastCents > 0 ? priceCents / lastCents - 1 : 0,
  };
}

/** The largest quantity whose estimated cost fits in `cashCents` (binary search: cost grows with qty). */
export function maxAffordable(
  lastCents: number,
  liquidity: number,
  rules: EstimateRules,
  cashCents: number,
  cap: number,
): number {
  let lo = 0;
  let hi = Math.max(0, Math.min(cap, Math.floor(cashCents / Math.max(1, lastCents))));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (estimateOrder(lastCents, "buy", mid, liquidity, rules).totalCents <= cashCents) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
