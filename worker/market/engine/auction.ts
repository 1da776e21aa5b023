/**
 * A uniform-price call auction over the order book (`book.ts`): during a tick orders are
 * only collected (`restOrder`, the book may be crossed meanwhile), then `runAuction`
 * matches everything once at a single clearing price. Every order that arrived within
 * the tick competes on price alone, so a faster connection buys no edge inside a tick.
 *
 * The clearing price, among all integer cent prices:
 *   1. maximises the traded volume, min(demand(p), supply(p)), where demand(p) is the
 *      quantity bid at p or above and supply(p) the quantity offered at p or below;
 *   2. then minimises the imbalance |demand(p) - supply(p)| (the least left unfilled at
 *      the price, as Xetra and Euronext do);
 *   3. then is closest to the reference price (the last trade), so a flat range of equal
 *      candidates does not make the price jump for nothing;
 *   4. then is the lower price. (A guard only: demand falls and supply rises with the
 *      price, so the prices left after rules 1 and 2 form one unbroken range of cents,
 *      and one of them is always strictly closest to the reference.)
 * Demand and supply only change at order prices, so between two neighbouring order prices
 * they are constant and the only extra candidate there is the reference price clamped
 * into the gap: the search looks at those candidates, not at every cent.
 *
 * A market order has no price to compete on here: the market collects it as a limit at
 * its bound (the worst price it accepts), so it can never move the clearing price past it.
 *
 * Allocation at that one price is by price-time priority on each side: better-priced
 * orders first, then older ones; the side with more volume is partly filled in that order.
 */
import { type Book, type Fill, fillFront, frontOrder, type Level } from "./book.ts";

export interface Clearing {
  price: number;
  volume: number;
  /** demand - supply at the price: what is left unfilled (positive: buyers left). */
  imbalance: number;
}

/**
 * The clearing price and volume for the book as it stands, or null when nothing crosses.
 * `referencePrice` is the last price (tie-break 3).
 */
export function clearingPrice(book: Book, referencePrice: number): Clearing | null {
  const bids = book.bids.levels; // ascending, best (highest) last
  const asks = book.asks.levels; // descending, best (lowest) last
  if (bids.length === 0 || asks.length === 0) return null;
  const bestBid = bids[bids.length - 1].price;
  const bestAsk = asks[asks.length - 1].price;
  if (bestBid < bestAsk) return null;

  // Only prices in [bestAsk, bestBid] can trade. Gather the levels there in ascending price.
  const askIn: Level[] = [];
  for (let i = asks.length - 1; i >= 0 && asks[i].price <= bestBid; i--) askIn.push(asks[i]);
  let bidLow = bids.length - 1;
  while (bidLow > 0 && bids[bidLow - 1].price >= bestAsk) bidLow--;
  // bids[bidLow..] ascending, all >= bestAsk.

  // Demand at the lowest candidate (bestAsk) is every bid in range; it falls as p passes bid prices.
  let demand = 0;
  for (let i = bidLow; i < bids.length; i++) demand += bids[i].qty;
  let supply = 0;

  let bestPrice = 0;
  let bestVolume = -1;
  let bestImbalance = 0;
  const consider = (p: number, d: number, s: number) => {
    const volume = d < s ? d : s;
    const imbalance = d - s;
    if (volume < bestVolume) return;
    if (volume === bestVolume) {
      const a = Math.abs(imbalance);
      const b = Math.abs(bestImbalance);
      if (a > b) return;
      if (a === b) {
        const da = Math.abs(p - referencePrice);
        const db = Math.abs(bestPrice - referencePrice);
        if (da > db || (da === db && p > bestPrice)) return;
      }
    }
    bestPrice = p;
    bestVolume = volume;
    bestImbalance = imbalance;
  };

  // Walk the order prices in ascending order: at each, supply includes asks at p, demand
  // includes bids at p (and drops the bids below p, passed already).
  let ai = 0;
  let bi = bidLow;
  let prev = -1;
  let prevDemandAfter = 0; // demand for prices just above prev
  let prevSupply = 0;
  while (ai < askIn.length || bi < bids.length) {
    const pa = ai < askIn.length ? askIn[ai].price : Number.POSITIVE_INFINITY;
    const pb = bi < bids.length ? bids[bi].price : Number.POSITIVE_INFINITY;
    const p = pa < pb ? pa : pb;
    if (prev >= 0 && p - prev > 1) {
      // Inside the gap (prev, p) demand and supply are those just above prev.
      const inGap = Math.min(p - 1, Math.max(prev + 1, referencePrice));
      consider(inGap, prevDemandAfter, prevSupply);
    }
    if (pa === p) supply += askIn[ai++].qty;
    consider(p, demand, supply);
    if (pb === p) demand -= bids[bi++].qty;
    prev = p;
    prevDemandAfter = demand;
    prevSupply = supply;
  }
  if (bestVolume <= 0) return null;
  return { price: bestPrice, volume: bestVolume, imbalance: bestImbalance };
}

/**
 * Run the tick's auction: find the clearing price, then pair the best-priority buy with
 * the best-priority sell at that price until the volume is traded. Fills (taker null)
 * are appended to `out`. What does not trade stays resting for the next tick, and the
 * book is no longer crossed.
 */
export function runAuction(book: Book, referencePrice: number, out: Fill[]): Clearing | null {
  const clearing = clearingPrice(book, referencePrice);
  if (clearing === null) return null;
  const price = clearing.price;
  let left = clearing.volume;
  while (left > 0) {
    // Both fronts exist and are eligible (bid >= price >= ask) until the volume is traded:
    // the volume is at most the eligible quantity on either side.
    const buy = frontOrder(book, "buy")!;
    const sell = frontOrder(book, "sell")!;
    let q = buy.qty < sell.qty ? buy.qty : sell.qty;
    if (left < q) q = left;
    out.push({
      price,
      qty: q,
      buyOrderId: buy.id,
      buyOwner: buy.owner,
      sellOrderId: sell.id,
      sellOwner: sell.owner,
      taker: null,
    });
    fillFront(book, "buy", q);
    fillFront(book, "sell", q);
    left -= q;
  }
  return clearing;
}
