/**
 * The continuous order book: readable examples, then random sequences of limit, market,
 * cancel and reduce checked against a naive reference book (a flat list scanned for the
 * best price, then the lowest arrival number) and against the ledger rules.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addLimit,
  bestAsk,
  bestBid,
  type Book,
  cancelOrder,
  createBook,
  depth,
  type Fill,
  marketOrder,
  reduceOrder,
  restingOrders,
  reviveBook,
  serializeBook,
  type Side,
} from "../../../../worker/market/engine/book";

function limit(book: Book, id: string, owner: string, side: Side, price: number, qty: number): Fill[] {
  const out: Fill[] = [];
  addLimit(book, { id, owner, side, price, qty }, out);
  return out;
}

describe("the order book, by example", () => {
  it("a crossing buy trades at the resting sell's price, best price first, and rests the rest", () => {
    const book = createBook("ACME");
    limit(book, "s1", "ann", "sell", 1_010, 5);
    limit(book, "s2", "bob", "sell", 1_005, 5);
    const fills = limit(book, "b1", "eve", "buy", 1_020, 12);

    expect(fills).toEqual([
      { price: 1_005, qty: 5, buyOrderId: "b1", buyOwner: "eve", sellOrderId: "s2", sellOwner: "bob", taker: "buy" },
      { price: 1_010, qty: 5, buyOrderId: "b1", buyOwner: "eve", sellOrderId: "s1", sellOwner: "ann", taker: "buy" },
    ]);
    expect(bestBid(book)).toEqual({ price: 1_020, qty: 2 });
    expect(bestAsk(book)).toBeNull();
  });

  it("at one price the older order fills first", () => {
    const book = createBook("ACME");
    limit(book, "old", "ann", "buy", 990, 3);
    limit(book, "new", "bob", "buy", 990, 3);
    const fills = limit(book, "s", "eve", "sell", 980, 4);

    expect(fills.map((f) => [f.buyOrderId, f.qty, f.price])).toEqual([
      ["old", 3, 990],
      ["new", 1, 990],
    ]);
    expect(depth(book)).toEqual({ bids: [{ price: 990, qty: 2 }], asks: [] });
  });

  it("a market order walks the levels up to its size and stops at its worst price", () => {
    const book = createBook("ACME");
    limit(book, "s1", "ann", "sell", 100, 10);
    limit(book, "s2", "ann", "sell", 101, 10);
    limit(book, "s3", "ann", "sell", 105, 10);
    const out: Fill[] = [];

    expect(marketOrder(book, { id: "m1", owner: "bob", side: "buy", maxQty: 15 }, out)).toBe(15);
    expect(marketOrder(book, { id: "m2", owner: "bob", side: "buy", maxQty: 100, worstPrice: 102 }, out)).toBe(5);
    expect(out.map((f) => [f.price, f.qty])).toEqual([
      [100, 10],
      [101, 5],
      [101, 5],
    ]);
    expect(depth(book)).toEqual({ bids: [], asks: [{ price: 105, qty: 10 }] });
  });

  it("a reduced order keeps its place; a cancelled one leaves the book", () => {
    const book = createBook("ACME");
    limit(book, "a", "ann", "sell", 100, 10);
    limit(book, "b", "bob", "sell", 100, 10);
    expect(reduceOrder(book, "a", 4)).toBe(true);
    expect(reduceOrder(book, "a", 4)).toBe(false); // not a reduction
    expect(cancelOrder(book, "b")).toBe(10);
    expect(cancelOrder(book, "b")).toBe(0);
    const fills = limit(book, "x", "eve", "buy", 100, 10);

    expect(fills.map((f) => [f.sellOrderId, f.qty])).toEqual([["a", 4]]);
    expect(depth(book)).toEqual({ bids: [{ price: 100, qty: 6 }], asks: [] });
  });

  it("depth is best first and at most 20 levels", () => {
    const book = createBook("ACME");
    for (let i = 0; i < 30; i++) limit(book, "b" + i, "ann", "buy", 1_000 - i, 1);
    const d = depth(book, 50);
    expect(d.bids).toHaveLength(20);
    expect(d.bids[0].price).toBe(1_000);
    expect(d.bids[19].price).toBe(981);
    expect(depth(book, 2).bids).toEqual([
      { price: 1_000, qty: 1 },
      { price: 999, qty: 1 },
    ]);
  });
});

// ---------------------------------------------------------------------------
// The naive reference: every resting order in one list, the best found by scanning.

interface RefOrder {
  id: string;
  owner: string;
  side: Side;
  price: number;
  qty: number;
  seq: number;
}

class ReferenceBook {
  orders: RefOrder[] = [];
  seq = 1;

  private bestOpposite(side: Side): RefOrder | undefined {
    let best: RefOrder | undefined;
    for (const o of this.orders) {
      if (o.side === side) continue;
      if (
        best === undefined ||
        (side === "buy" ? o.price < best.price : o.price > best.price) ||
        (o.price === best.price && o.seq < best.seq)
      )
        best = o;
    }
    return best;
  }

  take(id: string, owner: string, side: Side, limit: number, qty: number, out: Fill[]): number {
    let left = qty;
    while (left > 0) {
      const r = this.bestOpposite(side);
      if (r === undefined || (side === "buy" ? r.price > limit : r.price < limit)) break;
      const q = Math.min(left, r.qty);
      r.qty -= q;
      left -= q;
      out.push(
        side === "buy"
          ? {
              price: r.price,
              qty: q,
              buyOrderId: id,
              buyOwner: owner,
              sellOrderId: r.id,
              sellOwner: r.owner,
              taker: side,
            }
          : {
              price: r.price,
              qty: q,
              buyOrderId: r.id,
              buyOwner: r.owner,
              sellOrderId: id,
              sellOwner: owner,
              taker: side,
            },
      );
      if (r.qty === 0) this.orders.splice(this.orders.indexOf(r), 1);
    }
    return left;
  }

  limit(id: string, owner: string, side: Side, price: number, qty: number, out: Fill[]): number {
    const left = this.take(id, owner, side, price, qty, out);
    if (left > 0) this.orders.push({ id, owner, side, price, qty: left, seq: this.seq++ });
    return left;
  }

  cancel(id: string): number {
    const i = this.orders.findIndex((o) => o.id === id);
    if (i < 0) return 0;
    return this.orders.splice(i, 1)[0].qty;
  }

  reduce(id: string, qty: number): boolean {
    const o = this.orders.find((x) => x.id === id);
    if (o === undefined || qty < 1 || qty >= o.qty) return false;
    o.qty = qty;
    return true;
  }

  /** Same shape as `restingOrders`: best price first, then oldest. */
  resting(side: Side): [string, number, number][] {
    return this.orders
      .filter((o) => o.side === side)
      .sort((a, b) => (side === "buy" ? b.price - a.price : a.price - b.price) || a.seq - b.seq)
      .map((o) => [o.id, o.price, o.qty]);
  }
}

type Op =
  | { kind: "limit"; side: Side; price: number; qty: number; owner: number }
  | { kind: "market"; side: Side; qty: number; worst: number | null; owner: number }
  | { kind: "cancel"; pick: number }
  | { kind: "reduce"; pick: number; by: number };

const side = fc.constantFrom<Side>("buy", "sell");
// Prices in a narrow band so orders both rest and cross often.
const price = fc.integer({ min: 95, max: 105 });
const opAt = (price: fc.Arbitrary<number>): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        kind: fc.constant("limit" as const),
        side,
        price,
        qty: fc.integer({ min: 1, max: 30 }),
        owner: fc.integer({ min: 0, max: 3 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("market" as const),
        side,
        qty: fc.integer({ min: 1, max: 60 }),
        worst: fc.option(price),
        owner: fc.integer({ min: 0, max: 3 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("cancel" as const), pick: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("reduce" as const),
        pick: fc.nat(),
        by: fc.integer({ min: 0, max: 10 }),
      }),
    },
  );
const op = opAt(price);

/** Applies one op to the real book; ids are "o<index>" so both books name orders alike. */
function apply(book: Book, o: Op, i: number, out: Fill[]): unknown {
  const id = "o" + i;
  switch (o.kind) {
    case "limit":
      return addLimit(book, { id, owner: "p" + o.owner, side: o.side, price: o.price, qty: o.qty }, out);
    case "market":
      return marketOrder(
        book,
        { id, owner: "p" + o.owner, side: o.side, maxQty: o.qty, worstPrice: o.worst ?? undefined },
        out,
      );
    case "cancel":
      return cancelOrder(book, "o" + (o.pick % (i + 1)));
    case "reduce": {
      const target = "o" + (o.pick % (i + 1));
      const r = book.orders.get(target);
      return reduceOrder(book, target, r === undefined ? 1 : r.qty - o.by);
    }
    default:
      return o satisfies never;
  }
}

function applyRef(ref: ReferenceBook, o: Op, i: number, out: Fill[]): unknown {
  const id = "o" + i;
  switch (o.kind) {
    case "limit":
      return ref.limit(id, "p" + o.owner, o.side, o.price, o.qty, out);
    case "market": {
      const worst = o.worst ?? (o.side === "buy" ? Number.MAX_SAFE_INTEGER : 0);
      return o.qty - ref.take(id, "p" + o.owner, o.side, worst, o.qty, out);
    }
    case "cancel":
      return ref.cancel("o" + (o.pick % (i + 1)));
    case "reduce": {
      const target = "o" + (o.pick % (i + 1));
      const r = ref.orders.find((x) => x.id === target);
      return ref.reduce(target, r === undefined ? 1 : r.qty - o.by);
    }
    default:
      return o satisfies never;
  }
}

const snapshot = (book: Book) =>
  (["buy", "sell"] as const).map((s) => restingOrders(book, s).map((o) => [o.id, o.price, o.qty]));

describe("the order book, properties", () => {
  it("matches exactly like the naive price-time reference, fill for fill", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 150 }), (ops) => {
        const book = createBook("ACME");
        const ref = new ReferenceBook();
        ops.forEach((o, i) => {
          const a: Fill[] = [];
          const b: Fill[] = [];
          expect(apply(book, o, i, a)).toEqual(applyRef(ref, o, i, b));
          expect(a).toEqual(b);
          expect(snapshot(book)).toEqual([ref.resting("buy"), ref.resting("sell")]);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("keeps time priority in long queues with many cancels (queues compacted on the way)", () => {
    fc.assert(
      fc.property(fc.array(opAt(fc.integer({ min: 99, max: 101 })), { minLength: 200, maxLength: 600 }), (ops) => {
        const book = createBook("ACME");
        const ref = new ReferenceBook();
        ops.forEach((o, i) => {
          const a: Fill[] = [];
          const b: Fill[] = [];
          expect(apply(book, o, i, a)).toEqual(applyRef(ref, o, i, b));
          expect(a).toEqual(b);
        });
        expect(snapshot(book)).toEqual([ref.resting("buy"), ref.resting("sell")]);
      }),
      { numRuns: 60 },
    );
  });

  it("is never crossed after matching, and each level's size is the sum of its orders", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const book = createBook("ACME");
        ops.forEach((o, i) => {
          apply(book, o, i, []);
          const bid = bestBid(book);
          const ask = bestAsk(book);
          if (bid && ask) expect(bid.price).toBeLessThan(ask.price);
          const d = depth(book, 20);
          for (const s of ["buy", "sell"] as const) {
            const sums = new Map<number, number>();
            for (const r of restingOrders(book, s)) sums.set(r.price, (sums.get(r.price) ?? 0) + r.qty);
            const levels = s === "buy" ? d.bids : d.asks;
            expect(levels).toEqual([...sums].slice(0, 20).map(([price, qty]) => ({ price, qty })));
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it("conserves quantity: buys filled equal sells filled, and each order's filled + resting + removed is what it sent", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const book = createBook("ACME");
        const sent = new Map<string, number>();
        const filled = new Map<string, number>();
        const removed = new Map<string, number>(); // cancelled, reduced, or a market order's unfilled part
        const add = (m: Map<string, number>, id: string, q: number) => m.set(id, (m.get(id) ?? 0) + q);
        ops.forEach((o, i) => {
          const out: Fill[] = [];
          const id = "o" + i;
          if (o.kind === "cancel" || o.kind === "reduce") {
            const target = "o" + (o.pick % (i + 1));
            const before = book.orders.get(target)?.qty ?? 0;
            apply(book, o, i, out);
            add(removed, target, before - (book.orders.get(target)?.qty ?? 0));
          } else {
            sent.set(id, o.qty);
            const r = apply(book, o, i, out) as number;
            if (o.kind === "market") add(removed, id, o.qty - r);
          }
          let buys = 0;
          let sells = 0;
          for (const f of out) {
            add(filled, f.buyOrderId, f.qty);
            add(filled, f.sellOrderId, f.qty);
            buys += f.qty;
            sells += f.qty;
            expect(f.qty).toBeGreaterThan(0);
          }
          expect(buys).toBe(sells);
        });
        for (const [id, q] of sent)
          expect((filled.get(id) ?? 0) + (book.orders.get(id)?.qty ?? 0) + (removed.get(id) ?? 0)).toBe(q);
      }),
      { numRuns: 200 },
    );
  });

  it("a book revived from JSON behaves exactly like the original from then on", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.array(op, { maxLength: 120 }), (before, after) => {
        const book = createBook("ACME");
        before.forEach((o, i) => apply(book, o, i, []));
        const revived = reviveBook(JSON.parse(JSON.stringify(serializeBook(book))));
        expect(serializeBook(revived)).toEqual(serializeBook(book));
        after.forEach((o, k) => {
          const i = before.length + k;
          const a: Fill[] = [];
          const b: Fill[] = [];
          expect(apply(revived, o, i, b)).toEqual(apply(book, o, i, a));
          expect(b).toEqual(a);
        });
        expect(serializeBook(revived)).toEqual(serializeBook(book));
      }),
      { numRuns: 200 },
    );
  });

  it("cancel returns what rested and frees it; reduce lowers the size and the level", () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 100 }), fc.nat(), fc.integer({ min: 1, max: 30 }), (ops, pick, newQty) => {
        const book = createBook("ACME");
        ops.forEach((o, i) => apply(book, o, i, []));
        const resting = [...restingOrders(book, "buy"), ...restingOrders(book, "sell")];
        if (resting.length === 0) return;
        const target = resting[pick % resting.length];
        const { id, price, side: s, qty } = target;
        const levelQty = () =>
          (s === "buy" ? depth(book).bids : depth(book).asks).find((l) => l.price === price)?.qty ?? 0;
        const level = levelQty();
        const place = restingOrders(book, s).findIndex((o) => o.id === id);
        const ok = reduceOrder(book, id, newQty);
        expect(ok).toBe(newQty < qty);
        if (ok) {
          expect(levelQty()).toBe(level - (qty - newQty));
          expect(restingOrders(book, s).findIndex((o) => o.id === id)).toBe(place);
        }
        const left = book.orders.get(id)!.qty;
        expect(cancelOrder(book, id)).toBe(left);
        expect(book.orders.has(id)).toBe(false);
        expect(levelQty()).toBe(level - qty);
        expect(restingOrders(book, s).some((o) => o.id === id)).toBe(false);
      }),
      { numRuns: 200 },
    );
  });
});
