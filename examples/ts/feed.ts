/**
 * Follows a market's live feed by `seq`: every public message carries the next number, so
 * a message that skips one means something was missed, and the bot asks for a fresh
 * snapshot (`{"type":"resync"}`) and ignores the rest until it arrives. Pure logic, no
 * socket: `FeedFollower.receive` says what to do with each message (test/node/examples/feed.test.ts).
 */

/** What the server sends (worker/shared/messages.ts has the full types). */
export type FeedMessage =
  | {
      type: "snapshot";
      seq: number;
      market: { code: string; status: string };
      symbols: { symbol: string; price: number; halted: boolean }[];
    }
  | { type: "tick"; seq: number; prices: { symbol: string; price: number }[] }
  | { type: "status"; seq: number; status: string; halted: string[] }
  | { type: "fill"; order: { id: string; clientOrderId: string; status: string }; portfolio: { cash: number } }
  | { type: "error"; code: string; message: string }
  | { type: string; seq?: number };

export type Verdict = "applied" | "duplicate" | "resync" | "waiting" | "private";

export class FeedFollower {
  /** The last public `seq` applied; null before the first snapshot. */
  seq: number | null = null;
  status = "unknown";
  readonly prices = new Map<string, number>();
  readonly halted = new Set<string>();
  resyncs = 0;
  private awaitingSnapshot = true;

  /** Applies one message and says what happened; "resync" means: send {"type":"resync"} now. */
  receive(msg: FeedMessage): Verdict {
    if (msg.type === "snapshot" && "market" in msg) {
      this.seq = msg.seq;
      this.status = msg.market.status;
      this.prices.clear();
      this.halted.clear();
      for (const s of msg.symbols) {
        this.prices.set(s.symbol, s.price);
        if (s.halted) this.halted.add(s.symbol);
      }
      this.awaitingSnapshot = false;
      return "applied";
    }
    const seq = (msg as { seq?: unknown }).seq;
    if (typeof seq !== "number") return "private"; // fill, error: not numbered
    if (this.awaitingSnapshot || this.seq === null) return "waiting";
    if (seq <= this.seq) return "duplicate";
    if (seq > this.seq + 1) {
      this.awaitingSnapshot = true;
      this.resyncs += 1;
      return "resync";
    }
    this.seq = seq;
    // A type this bot does not know (lobby, news) still moves seq.
    if (msg.type === "tick" && "prices" in msg) for (const p of msg.prices) this.prices.set(p.symbol, p.price);
    if (msg.type === "status" && "halted" in msg) {
      this.status = msg.status;
      this.halted.clear();
      for (const s of msg.halted) this.halted.add(s);
    }
    return "applied";
  }
}
