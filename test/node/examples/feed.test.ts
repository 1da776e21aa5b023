// The example bot's feed follower: applies messages in seq order, drops repeats, and asks
// for a resync on a gap, ignoring what comes until the snapshot.
import { describe, expect, it } from "vitest";
import { FeedFollower } from "../../../examples/ts/feed.ts";

const snapshot = (seq: number, price = 100) => ({
  type: "snapshot",
  seq,
  market: { code: "DEMO", status: "open" },
  symbols: [{ symbol: "ACME", price, halted: false }],
});
const tick = (seq: number, price: number) => ({ type: "tick", seq, prices: [{ symbol: "ACME", price }] });

describe("FeedFollower", () => {
  it("applies the next seq, drops repeats and resyncs on a gap until the snapshot comes", () => {
    const feed = new FeedFollower();
    expect(feed.receive(tick(1, 1))).toBe("waiting");
    expect(feed.receive(snapshot(5))).toBe("applied");
    expect(feed.receive(tick(6, 101))).toBe("applied");
    expect(feed.prices.get("ACME")).toBe(101);
    expect(feed.receive(tick(6, 999))).toBe("duplicate");
    expect(feed.receive({ type: "lobby", seq: 7 })).toBe("applied");
    expect(feed.receive(tick(9, 102))).toBe("resync");
    expect(feed.receive(tick(10, 103))).toBe("waiting");
    expect(feed.prices.get("ACME")).toBe(101);
    expect(feed.receive({ type: "fill", order: { id: "o", clientOrderId: "c", status: "filled" } })).toBe("private");
    expect(feed.receive(snapshot(10, 103))).toBe("applied");
    expect(feed.receive(tick(11, 104))).toBe("applied");
    expect([feed.seq, feed.resyncs, feed.prices.get("ACME")]).toEqual([11, 1, 104]);
  });

  it("follows halts and the market's status", () => {
    const feed = new FeedFollower();
    feed.receive(snapshot(1));
    expect(feed.receive({ type: "status", seq: 2, status: "paused", halted: ["ACME"] })).toBe("applied");
    expect([feed.status, [...feed.halted]]).toEqual(["paused", ["ACME"]]);
  });
});
