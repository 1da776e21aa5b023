/**
 * The per-tick call auction: examples of the clearing rule, then random collections of
 * orders checked against a brute force over every cent in range, and the allocation
 * against a naive price-time allocation.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clearingPrice, runAuction } from "../../../../worker/market/engine/auction";
import {
  bestAsk,
  bestBid,
  type Book,
  createBook,
  type Fill,
  restingOrders,
  restOrder,
  reviveBook,
  serializeBook,
  type Side,
} from "../../../../worker/market/engine/book";

interface In {
  side: Side;
  price: number;
  qty: number;
}

function collect(orders: In[]): Book {
  const book = createBook("ACME");
  orders.forEach((o, i) => restOrder(book, { id: "o" + i, owner: "p" + (i % 5), ...o }));
  return book;
}

describe("the call auction, by example", () => {
  it("a crowd of buyers and sellers all trade at one price, the one that trades most", () => {
    const book = collect([
      { side: "buy", price: 105, qty: 10 },
      { side: "buy", price: 103, qty: 10 },
      { side: "buy", price: 101, qty: 10 },
      { side: "sell", price: 100, qty: 10 },
      { side: "sell", price: 102, qty: 10 },
      { side: "sell", price: 104, qty: 10 },
    ]);
    const out: Fill[] = [];
    // At 102 or 103: 20 bid at or above, 20 offered at or below. The reference 110 picks 103.
    expect(runAuction(book, 110, out)).toEqual({ price: 103, volume: 20, imbalance: 0 });
    expect(new Set(out.map((f) => f.price))).toEqual(new Set([103]));
    expect(out.reduce((s, f) => s + f.qty, 0)).toBe(20);
    expect(bestBid(book)).toEqual({ price: 101, qty: 10 });
    expect(bestAsk(book)).toEqual({ price: 104, qty: 10 });
  });

  it("a tie between prices goes to the reference price when it lies between them, else the closer end", () => {
    const orders: In[] = [
      { side: "buy", price: 110, qty: 5 },
      { side: "sell", price: 100, qty: 5 },
    ];
    expect(clearingPrice(collect(orders), 104)?.price).toBe(104);
    expect(clearingPrice(collect(orders), 150)?.price).toBe(110);
    expect(clearingPrice(collect(orders), 1)?.price).toBe(100);
  });

  it("at the price, the better-priced and then the older orders fill first", () => {
    const book = collect([
      { side: "sell", price: 100, qty: 6 },
      { side: "buy", price: 100, qty: 4 }, // o1: older at 100
      { side: "buy", price: 100, qty: 4 }, // o2: newer at 100
      { side: "buy", price: 101, qty: 1 }, // o3: better price
    ]);
    const out: Fill[] = [];
    runAuction(book, 100, out);
    expect(out.map((f) => [f.buyOrderId, f.qty, f.price, f.taker])).toEqual([
      ["o3", 1, 100, null],
      ["o1", 4, 100, null],
      ["o2", 1, 100, null],
    ]);
  });

  it("nothing trades when the book does not cross", () => {
    const book = collect([
      { side: "buy", price: 99, qty: 5 },
      { side: "sell", price: 100, qty: 5 },
    ]);
    expect(runAuction(book, 100, [])).toBeNull();
    expect(restingOrders(book, "buy")).toHaveLength(1);
  });
});

const order: fc.Arbitrary<In> = fc.record({
  side: fc.constantFrom<Side>("buy", "sell"),
  price: fc.integer({ min: 90, max: 110 }),
  qty: fc.integer({ min: 1, max: 40 }),
});
const reference = fc.integer({ min: 80, max: 120 });

/** Demand, supply, and the rule's key at every cent, by brute force. */
function bruteForce(orders: In[], ref: number) {
  let best: { price: number; volume: number; imbalance: number } | null = null;
  for (let p = 1; p <= 200; p++) {
    const d = orders.filter((o) => o.side === "buy" && o.price >= p).reduce((s, o) => s + o.qty, 0);
    const s = orders.filter((o) => o.side === "sell" && o.price <= p).reduce((t, o) => t + o.qty, 0);
    const c = { price: p, volume: Math.min(d, s), imbalance: d - s };
    const key = (x: typeof c) => [-x.volume, Math.abs(x.imbalance), Math.abs(x.price - ref), x.price];
    if (best === null) best = c;
    else {
      const [a, b] = [key(c), key(best)];
      const i = a.findIndex((v, k) => v !== b[k]);
      if (i >= 0 && a[i] < b[i]) best = c;
    }
  }
  return best !== null && best.volume > 0 ? best : null;
}

/** Price-time allocation done naively: sort the eligible orders, fill greedily. */
function naiveAllocation(orders: In[], price: number, volume: number): Map<string, number> {
  const filled = new Map<string, number>();
  for (const side of ["buy", "sell"] as const) {
    const eligible = orders
      .map((o, i) => ({ ...o, id: "o" + i, seq: i }))
      .filter((o) => o.side === side && (side === "buy" ? o.price >= price : o.price <= price))
      .sort((a, b) => (side === "buy" ? b.price - a.price : a.price - b.price) || a.seq - b.seq);
    let left = volume;
    for (const o of eligible) {
      const q = Math.min(left, o.qty);
      if (q > 0) filled.set(o.id, q);
      left -= q;
    }
  }
  return filled;
}

describe("the call auction, properties", () => {
  it("clears at the price that maximises volume, with the documented tie-break, against every cent", () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 60 }), reference, (orders, ref) => {
        expect(clearingPrice(collect(orders), ref)).toEqual(bruteForce(orders, ref));
      }),
      { numRuns: 1_000 },
    );
  });

  it("trades all volume at that one price, conserves quantity, allocates by price-time and leaves the book uncrossed", () => {
    fc.assert(
      fc.property(fc.array(order, { maxLength: 60 }), reference, (orders, ref) => {
        const book = collect(orders);
        const out: Fill[] = [];
        const clearing = runAuction(book, ref, out);
        const filled = new Map<string, number>();
        for (const f of out) {
          expect(f.price).toBe(clearing?.price);
          for (const id of [f.buyOrderId, f.sellOrderId]) filled.set(id, (filled.get(id) ?? 0) + f.qty);
        }
        const traded = out.reduce((s, f) => s + f.qty, 0);
        expect(traded).toBe(clearing?.volume ?? 0);
        if (clearing !== null) expect(filled).toEqual(naiveAllocation(orders, clearing.price, clearing.volume));
        orders.forEach((o, i) => {
          const id = "o" + i;
          expect((filled.get(id) ?? 0) + (book.orders.get(id)?.qty ?? 0)).toBe(o.qty);
        });
        const bid = bestBid(book);
        const ask = bestAsk(book);
        if (bid && ask) expect(bid.price).toBeLessThan(ask.price);
      }),
      { numRuns: 1_000 },
    );
  });

  it("a book revived mid-tick clears exactly like the original", () => {
    fc.assert(
      fc.property(
        fc.array(order, { maxLength: 60 }),
        fc.array(order, { maxLength: 30 }),
        reference,
        (first, later, ref) => {
          const book = collect(first);
          const revived = reviveBook(JSON.parse(JSON.stringify(serializeBook(book))));
          later.forEach((o, k) => {
            for (const b of [book, revived]) restOrder(b, { id: "x" + k, owner: "late", ...o });
          });
          const a: Fill[] = [];
          const b: Fill[] = [];
          expect(runAuction(revived, ref, b)).toEqual(runAuction(book, ref, a));
          expect(b).toEqual(a);
          expect(serializeBook(revived)).toEqual(serializeBook(book));
        },
      ),
      { numRuns: 300 },
    );
  });
});
