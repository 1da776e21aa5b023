/**
 * How big prices, quantities and cash may get, so that every amount the engine adds up
 * stays an exact integer number of cents: a double holds integers exactly only up to
 * Number.MAX_SAFE_INTEGER = 2^53 - 1 ~ 9.007e15. The schemas refuse settings past these
 * (400 VALIDATION), the engine refuses orders that would pass them (422 ORDER_LIMIT) and
 * clamps prices at MAX_PRICE_CENTS however many ticks of news push them.
 *
 * Worst cases, with P = MAX_PRICE_CENTS, Q = MAX_ORDER_QTY, S = MAX_POSITION,
 * N = MAX_SYMBOLS, C = MAX_CASH_CENTS and the rules' own caps (halfSpread, feeRate <= 0.1,
 * limitPriceBand <= 10):
 *
 * - a quote or fill price is at most ceil(P * (1 + 0.1)) = 110,000,001 cents (the ask
 *   and a buyer's fill sit a half-spread above the clamped price);
 * - a limit price passes the band only within 10 * last of last: at most 11P = 1.1e9;
 *   a resting buy reserves limit + ceil(limit * feeRate) <= 1.21e9 cents per share;
 * - one order: value q * p <= Q * 1.1e8 = 1.1e14, its fee <= 1.1e13, and the buy check
 *   value + fee + rest * unit <= 1.21e14 + Q * 1.21e9 = 1.331e15;
 * - cash + reserved starts at most at 1e12 (Money caps startingCash at $1e10) and only
 *   sales raise it, by at most 1.1e14 each; a sale that would take it past C is refused,
 *   so a check never sums more than C + 1.1e14 = 1.11e15;
 * - a position holds |qty| <= S shares whose cost is at most S * 1.1e8 = 1.1e14
 *   (reducing it removes a rounded share of that cost, never more than the whole);
 * - net worth = cash + reserved + sum over N symbols of qty * last, so its size and
 *   every partial sum of it (the ranking adds it up) is at most
 *   C + N * S * P = 1e15 + 50 * 1e6 * 1e8 = 6e15 < 2^53 - 1.
 *
 * 6e15 cents is also below 2^46 dollars ~ 7.04e13 dollars, where a double's spacing is
 * still under a cent, so the API's two-decimal amounts stay exact on the wire.
 *
 * Share counters (a symbol's volume, a candle's volume) grow by at most Q per fill; they
 * would need ~9e9 fills of the largest size to reach 2^53, so they are not capped.
 */

/** Highest price in cents ($1,000,000): the engine's prices never go above it. */
export const MAX_PRICE_CENTS = 100_000_000;
/** Largest quantity in one order, whatever a market's own `maxOrderQty` says. */
export const MAX_ORDER_QTY = 1_000_000;
/** Most shares one player may hold long, or owe short, in one symbol. */
export const MAX_POSITION = 1_000_000;
/** Most cash (spendable plus reserved) one player may hold, in cents ($10 trillion). */
export const MAX_CASH_CENTS = 1_000_000_000_000_000;
/** Most symbols in one market. */
export const MAX_SYMBOLS = 50;
/** Caps of the rules the arithmetic above depends on. */
export const MAX_HALF_SPREAD = 0.1;
export const MAX_FEE_RATE = 0.1;
export const MAX_LIMIT_PRICE_BAND = 10;
/**
 * Fewest shares a symbol's liquidity may be: the impact is impact * sqrt(qty / liquidity),
 * and a liquidity near zero turns that into Infinity (and 0 * Infinity into NaN).
 */
export const MIN_LIQUIDITY = 1;
