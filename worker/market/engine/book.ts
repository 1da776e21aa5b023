/**
 * A continuous limit order book for one symbol: price-time priority, integer cents and
 * integer quantities, pure and deterministic (no clock, no randomness; time priority is
 * the order of arrival, counted by `nextSeq`).
 *
 * Layout, chosen for speed (see `npm run bench:engine`): each side keeps its price levels
 * in one array sorted worst..best, so the best level is the last element (matching pops
 * it in O(1), a new level near the top is a push), plus a Map from price to level. A
 * level is a FIFO queue: an array with a head index, so taking the front is O(1) and
 * allocates nothing. A cancelled order is not spliced out of its queue (O(n)); it is
 * marked dead (qty 0) and skipped, and the queue is compacted once dead entries
 * outnumber the live ones.
 *
 * The book knows nothing of cash or shares: the market reserves and settles around it.
 * Inputs are checked (a bad id, price or quantity throws), because the market validates
 * orders before they get here and a bad call is a bug, not a player's mistake.
 */

export type Side = "buy" | "sell";

/** A resting order. `qty` is what is left; 0 only for an order that has left the book. */
export interface BookOrder {
  readonly id: string;
  readonly owner: string;
  readonly side: Side;
  readonly price: number;
  qty: number;
  /** Arrival number within this book: the time in price-time priority. */
  readonly seq: number;
  /** The level it rests in; null once filled or cancelled. */
  level: Level | null;
}

export interface Level {
  readonly price: number;
  /** Sum of the live orders' qty. */
  qty: number;
  /** Live orders in the queue. */
  live: number;
  queue: BookOrder[];
  /** Index of the front of the queue; entries before it are gone. */
  head: number;
}

interface BookSide {
  readonly isBid: boolean;
  /** Sorted worst..best: bids ascending by price, asks descending. */
  levels: Level[];
  byPrice: Map<number, Level>;
}

export interface Book {
  readonly symbol: string;
  readonly bids: BookSide;
  readonly asks: BookSide;
  readonly orders: Map<string, BookOrder>;
  nextSeq: number;
}

/** One match between two orders, at one price. */
export interface Fill {
  price: number;
  qty: number;
  buyOrderId: string;
  buyOwner: string;
  sellOrderId: string;
  sellOwner: string;
  /** The side that arrived and took liquidity; null in a call auction, where neither did. */
  taker: Side | null;
}

export interface NewOrder {
  id: string;
  owner: string;
  side: Side;
  /** Cents. */
  price: number;
  qty: number;
}

export interface MarketOrderRequest {
  id: string;
  owner: string;
  side: Side;
  /** The most to trade (the market's order-size limit, or what the player can afford). */
  maxQty: number;
  /** Optional bound: a buy takes no level above it, a sell none below it. */
  worstPrice?: number;
}

export interface PriceQty {
  price: number;
  qty: number;
}

export interface Depth {
  bids: PriceQty[];
  asks: PriceQty[];
}

/** The API answers at most this many levels a side. */
export const MAX_DEPTH_LEVELS = 20;

/** Below this many entries a queue is never compacted: copying it would cost more than skipping. */
const COMPACT_MIN = 16;

export function createBook(symbol: string): Book {
  return {
    symbol,
    bids: { isBid: true, levels: [], byPrice: new Map() },
    asks: { isBid: false, levels: [], byPrice: new Map() },
    orders: new Map(),
    nextSeq: 1,
  };
}

function check(order: NewOrder): void {
  if (!Number.isSafeInteger(order.price) || order.price < 1) throw new RangeError(`bad price ${order.price}`);
  if (!Number.isSafeInteger(order.qty) || order.qty < 1) throw new RangeError(`bad qty ${order.qty}`);
  if (order.side !== "buy" && order.side !== "sell") throw new RangeError(`bad side ${order.side}`);
}

/**
 * Add a limit order: it first trades with the opposite side at each resting order's price
 * (best price first, then oldest first) while the prices cross, then the rest rests.
 * Fills are appended to `out` (passed in so a busy loop can reuse one array).
 * Returns the quantity left resting (0: filled at once, nothing rests).
 */
export function addLimit(book: Book, order: NewOrder, out: Fill[]): number {
  check(order);
  if (book.orders.has(order.id)) throw new RangeError(`duplicate order id ${order.id}`);
  const left = take(book, order.id, order.owner, order.side, order.price, order.qty, out);
  if (left > 0) rest(book, order.id, order.owner, order.side, order.price, left);
  return left;
}

/**
 * Rest an order without matching it: the collecting half of a call auction
 * (`auction.ts`), where the book may stay crossed until the tick's auction runs.
 */
export function restOrder(book: Book, order: NewOrder): void {
  check(order);
  if (book.orders.has(order.id)) throw new RangeError(`duplicate order id ${order.id}`);
  rest(book, order.id, order.owner, order.side, order.price, order.qty);
}

/**
 * A market order: walks the opposite side from the best level up to `maxQty` (and not
 * past `worstPrice`), and never rests. Returns the quantity filled.
 */
export function marketOrder(book: Book, order: MarketOrderRequest, out: Fill[]): number {
  if (!Number.isSafeInteger(order.maxQty) || order.maxQty < 1) throw new RangeError(`bad qty ${order.maxQty}`);
  const buy = order.side === "buy";
  const bound = order.worstPrice ?? (buy ? Number.MAX_SAFE_INTEGER : 0);
  return order.maxQty - take(book, order.id, order.owner, order.side, bound, order.maxQty, out);
}

/** Trade `qty` against the opposite side down to `limit`; returns what is left. */
function take(book: Book, id: string, owner: string, side: Side, limit: number, qty: number, out: Fill[]): number {
  const buy = side === "buy";
  const other = buy ? book.asks : book.bids;
  const levels = other.levels;
  let left = qty;
  while (left > 0 && levels.length > 0) {
    const level = levels[levels.length - 1];
    if (buy ? level.price > limit : level.price < limit) break;
    const queue = level.queue;
    while (left > 0 && level.head < queue.length) {
      const resting = queue[level.head];
      if (resting.qty === 0) {
        level.head++; // cancelled earlier, skipped now
        continue;
      }
      const q = resting.qty < left ? resting.qty : left;
      resting.qty -= q;
      level.qty -= q;
      left -= q;
      out.push(
        buy
          ? {
              price: level.price,
              qty: q,
              buyOrderId: id,
              buyOwner: owner,
              sellOrderId: resting.id,
              sellOwner: resting.owner,
              taker: side,
            }
          : {
              price: level.price,
              qty: q,
              buyOrderId: resting.id,
              buyOwner: resting.owner,
              sellOrderId: id,
              sellOwner: owner,
              taker: side,
            },
      );
      if (resting.qty === 0) {
        resting.level = null;
        level.live--;
        level.head++;
        book.orders.delete(resting.id);
      }
    }
    if (level.live === 0) {
      levels.pop();
      other.byPrice.delete(level.price);
    } else if (level.head > COMPACT_MIN && level.head * 2 > queue.length) {
      // A busy level that keeps refilling would otherwise grow its array for ever.
      level.queue = queue.slice(level.head);
      level.head = 0;
    }
  }
  return left;
}

function rest(book: Book, id: string, owner: string, side: Side, price: number, qty: number): void {
  const bookSide = side === "buy" ? book.bids : book.asks;
  let level = bookSide.byPrice.get(price);
  if (level === undefined) {
    level = { price, qty: 0, live: 0, queue: [], head: 0 };
    insertLevel(bookSide, level);
    bookSide.byPrice.set(price, level);
  }
  const order: BookOrder = { id, owner, side, price, qty, seq: book.nextSeq++, level };
  level.queue.push(order);
  level.qty += qty;
  level.live++;
  book.orders.set(id, order);
}

/** Insert a new level keeping worst..best order; a new best level (the common case) is a push. */
function insertLevel(side: BookSide, level: Level): void {
  const levels = side.levels;
  const p = level.price;
  const n = levels.length;
  // "better" is higher for bids, lower for asks.
  if (n === 0 || (side.isBid ? p > levels[n - 1].price : p < levels[n - 1].price)) {
    levels.push(level);
    return;
  }
  // First index whose level is better than p.
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (side.isBid ? levels[mid].price > p : levels[mid].price < p) hi = mid;
    else lo = mid + 1;
  }
  levels.splice(lo, 0, level);
}

function removeLevel(side: BookSide, level: Level): void {
  const levels = side.levels;
  const last = levels.length - 1;
  if (levels[last] === level) levels.pop();
  else levels.splice(levels.lastIndexOf(level), 1);
  side.byPrice.delete(level.price);
}

/** Cancel a resting order. Returns the quantity that was resting, or 0 if it was not in the book. */
export function cancelOrder(book: Book, id: string): number {
  const order = book.orders.get(id);
  if (order === undefined || order.level === null) return 0;
  const level = order.level;
  const qty = order.qty;
  order.qty = 0;
  order.level = null;
  book.orders.delete(id);
  level.qty -= qty;
  level.live--;
  const side = order.side === "buy" ? book.bids : book.asks;
  if (level.live === 0) removeLevel(side, level);
  else if (level.queue.length - level.head > COMPACT_MIN && level.queue.length - level.head > 2 * level.live) {
    level.queue = level.queue.slice(level.head).filter((o) => o.qty > 0);
    level.head = 0;
  }
  return qty;
}

/**
 * Lower a resting order's quantity to `newQty` (at least 1, less than now), keeping its
 * place in the queue: a smaller order takes nothing from those behind it, so exchanges
 * let it keep its time (raising it would, and is a cancel and a new order).
 * Returns false if the order is not resting or `newQty` is not a reduction.
 */
export function reduceOrder(book: Book, id: string, newQty: number): boolean {
  const order = book.orders.get(id);
  if (order === undefined || order.level === null) return false;
  if (!Number.isSafeInteger(newQty) || newQty < 1 || newQty >= order.qty) return false;
  order.level.qty -= order.qty - newQty;
  order.qty = newQty;
  return true;
}

/** A resting order by id (the book's own object: read it, do not change it). */
export function restingOrder(book: Book, id: string): Readonly<BookOrder> | undefined {
  return book.orders.get(id);
}

function best(side: BookSide): PriceQty | null {
  const n = side.levels.length;
  if (n === 0) return null;
  const level = side.levels[n - 1];
  return { price: level.price, qty: level.qty };
}

export function bestBid(book: Book): PriceQty | null {
  return best(book.bids);
}

export function bestAsk(book: Book): PriceQty | null {
  return best(book.asks);
}

function levelsOf(side: BookSide, n: number): PriceQty[] {
  const out: PriceQty[] = [];
  const levels = side.levels;
  for (let i = levels.length - 1; i >= 0 && out.length < n; i--)
    out.push({ price: levels[i].price, qty: levels[i].qty });
  return out;
}

/** The top `levels` price levels of each side, best first, at most MAX_DEPTH_LEVELS. */
export function depth(book: Book, levels: number = MAX_DEPTH_LEVELS): Depth {
  const n = Math.max(0, Math.min(MAX_DEPTH_LEVELS, Math.floor(levels)));
  return { bids: levelsOf(book.bids, n), asks: levelsOf(book.asks, n) };
}

/** Every resting order, best level first and oldest first within a level. */
export function restingOrders(book: Book, side: Side): BookOrder[] {
  const out: BookOrder[] = [];
  const levels = (side === "buy" ? book.bids : book.asks).levels;
  for (let i = levels.length - 1; i >= 0; i--) {
    const level = levels[i];
    for (let k = level.head; k < level.queue.length; k++) if (level.queue[k].qty > 0) out.push(level.queue[k]);
  }
  return out;
}

/** [id, owner, price, qty, seq]: tuples, so 10,000 resting orders stay a few hundred KB. */
export type RestingJson = [id: string, owner: string, price: number, qty: number, seq: number];

export interface BookJson {
  symbol: string;
  nextSeq: number;
  /** Best level first, oldest first within a level, as `restingOrders` lists them. */
  bids: RestingJson[];
  asks: RestingJson[];
}

export function serializeBook(book: Book): BookJson {
  const json = (o: BookOrder): RestingJson => [o.id, o.owner, o.price, o.qty, o.seq];
  return {
    symbol: book.symbol,
    nextSeq: book.nextSeq,
    bids: restingOrders(book, "buy").map(json),
    asks: restingOrders(book, "sell").map(json),
  };
}

/**
 * Rebuild a book from `serializeBook`'s JSON. Orders are re-queued in the listed order,
 * so every level's queue, and so every later match, is the same as in the original.
 */
export function reviveBook(json: BookJson): Book {
  const book = createBook(json.symbol);
  const put = (side: BookSide, s: Side, [id, owner, price, qty, seq]: RestingJson) => {
    let level = side.byPrice.get(price);
    if (level === undefined) {
      level = { price, qty: 0, live: 0, queue: [], head: 0 };
      insertLevel(side, level);
      side.byPrice.set(price, level);
    }
    const order: BookOrder = { id, owner, side: s, price, qty, seq, level };
    level.queue.push(order);
    level.qty += qty;
    level.live++;
    book.orders.set(id, order);
  };
  for (const o of json.bids) put(book.bids, "buy", o);
  for (const o of json.asks) put(book.asks, "sell", o);
  book.nextSeq = json.nextSeq;
  return book;
}

/**
 * The front of a side's queue (best price, oldest), for the auction's allocation.
 * Skips and drops cancelled entries on the way.
 */
export function frontOrder(book: Book, side: Side): BookOrder | undefined {
  const levels = (side === "buy" ? book.bids : book.asks).levels;
  if (levels.length === 0) return undefined;
  const level = levels[levels.length - 1];
  while (level.queue[level.head].qty === 0) level.head++;
  return level.queue[level.head];
}

/** Take `qty` (at most its size) from the front order of a side; removes it and its level when done. */
export function fillFront(book: Book, side: Side, qty: number): void {
  const bookSide = side === "buy" ? book.bids : book.asks;
  const order = frontOrder(book, side);
  if (order === undefined || qty > order.qty || qty < 1) throw new RangeError("fillFront beyond the front order");
  const level = order.level!;
  order.qty -= qty;
  level.qty -= qty;
  if (order.qty === 0) {
    order.level = null;
    level.live--;
    level.head++;
    book.orders.delete(order.id);
    if (level.live === 0) {
      bookSide.levels.pop();
      bookSide.byPrice.delete(level.price);
    }
  }
}
