/**
 * The house market makers' quotes in book and auction markets: a few levels on each side
 * around the fundamental value, so a room with two players still has someone to trade
 * with. Pure: the market places these as ordinary resting orders each tick (replacing the
 * last tick's), inside the same ledger rules as every player.
 */

export interface MakerParams {
  /** Full spread between the best bid and best ask, in basis points of the fundamental. */
  spreadBps: number;
  /** Levels a side (0 quotes nothing). */
  levels: number;
  /** Shares per level. */
  size: number;
  /** Distance between neighbouring levels, in basis points of the fundamental. */
  stepBps: number;
}

export interface MakerQuote {
  price: number;
  qty: number;
}

export interface MakerQuotes {
  /** Best (highest) first. */
  bids: MakerQuote[];
  /** Best (lowest) first. */
  asks: MakerQuote[];
}

/**
 * Quotes around `fundamental` (cents, may be fractional: it comes from the price model's
 * exp). Bids are rounded down and asks up, so rounding never narrows the spread and every
 * bid is at or below the fundamental and every ask at or above it. Each level is at least
 * a cent beyond the one before, the best ask is at least a cent above the best bid (never
 * crossed, never locked), and a bid that would fall below 1 cent is dropped.
 */
export function makerQuotes(fundamental: number, params: MakerParams): MakerQuotes {
  const bids: MakerQuote[] = [];
  const asks: MakerQuote[] = [];
  const levels = Math.max(0, Math.floor(params.levels));
  const size = Math.floor(params.size);
  if (!(fundamental > 0) || size < 1) return { bids, asks };
  const half = Math.max(0, params.spreadBps) / 2 / 10_000;
  const step = Math.max(0, params.stepBps) / 10_000;
  let lastBid = Number.POSITIVE_INFINITY;
  let lastAsk = 0;
  for (let k = 0; k < levels; k++) {
    const offset = fundamental * (half + k * step);
    const bid = Math.min(Math.floor(fundamental - offset), lastBid - 1);
    let ask = Math.max(Math.ceil(fundamental + offset), lastAsk + 1);
    // With a zero spread on a whole-cent fundamental both round to the same cent.
    if (k === 0 && ask <= bid) ask = bid + 1;
    if (bid >= 1) {
      bids.push({ price: bid, qty: size });
      lastBid = bid;
    } else lastBid = 0; // deeper bids would be lower still
    asks.push({ price: ask, qty: size });
    lastAsk = ask;
  }
  return { bids, asks };
}
