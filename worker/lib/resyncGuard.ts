/**
 * Bounds what one socket can make the server send it on demand. A `resync` is 17 bytes and
 * its answer a whole snapshot (~58 KB for a 20-symbol market: 3,400x), so a client that
 * asks again and again without reading piles snapshots up in workerd's send queue: 20 such
 * sockets took workerd from 1.4 to 1.9 GB in two minutes.
 *
 * Two limits, per socket:
 * - Resyncs: a real client asks once per gap and waits for the snapshot (web/src/lib/feed.ts),
 *   so a small bucket (2 at once, then one per 10 s) never gets in its way. A resync beyond
 *   it gets a short RATE_LIMITED error and the socket stays open.
 * - On demand: what was sent to this socket alone (snapshots and errors, in characters,
 *   about bytes since the JSON is mostly ASCII) over the last minute; past the bound the
 *   socket is closed with `slowConsumer` and a reason, even if it reads everything: a client
 *   that needs a snapshot every ten seconds is not following the feed.
 * - Unsent: every send, broadcast or reply, goes through `sendOrShed` (lib/sockets.ts),
 *   which closes a socket whose runtime queue (`bufferedAmount`) passed its bound.
 *
 * State is in memory, keyed by the socket object: a hibernation starts every socket afresh,
 * which is harmless (a socket that keeps asking keeps the object awake).
 */
import { marketClock, type Clock } from "./clock";
import { CloseCode, type ServerMessage } from "../shared/protocol";
import { sendOrShed } from "./sockets";

export interface ResyncLimits {
  /** Resyncs answered at once after a quiet spell. */
  burst: number;
  /** One more resync is allowed per this many ms. */
  refillMs: number;
  /** Characters sent to one socket on demand within `windowMs` before it is closed. */
  maxOnDemandChars: number;
  windowMs: number;
}

export const DEFAULT_RESYNC_LIMITS: ResyncLimits = {
  burst: 2,
  refillMs: 10_000,
  maxOnDemandChars: 256 * 1024,
  windowMs: 60_000,
};

interface SocketAccount {
  /** Resync tokens left, and when they were last topped up. */
  tokens: number;
  refilledAt: number;
  /** Characters sent on demand in the current window, and when it started. */
  chars: number;
  windowStart: number;
  closed: boolean;
}

/** What to do with a resync: answer it, refuse it with an error, or nothing (socket closed). */
export type ResyncDecision = "answer" | "refuse" | "closed";

export class ResyncGuard {
  private readonly accounts = new WeakMap<object, SocketAccount>();

  constructor(
    private readonly limits: ResyncLimits = DEFAULT_RESYNC_LIMITS,
    private readonly clock: Clock = marketClock,
  ) {}

  /**
   * Whether to answer this resync now. When not, the socket has already been told why (a
   * RATE_LIMITED error) or was closed for its backlog; the caller just returns.
   */
  admit(ws: WebSocket): boolean {
    const decision = this.decide(ws);
    if (decision === "refuse") {
      const wait = Math.ceil(this.limits.refillMs / 1000);
      this.reply(
        ws,
        JSON.stringify({
          type: "error",
          code: "RATE_LIMITED",
          message: `Too many resyncs: one per ${wait} s. The feed goes on; ask again later.`,
        } satisfies ServerMessage),
      );
    }
    return decision === "answer";
  }

  /** Sends a message meant for this socket alone (a snapshot, an error) and counts it. */
  reply(ws: WebSocket, text: string): void {
    const account = this.account(ws);
    if (account.closed) return;
    this.rollWindow(account);
    account.chars += text.length;
    if (account.chars > this.limits.maxOnDemandChars) {
      account.closed = true;
      try {
        ws.close(CloseCode.slowConsumer, "Asked for more than the feed sends one socket in a minute; reconnect.");
      } catch {
        // Closing already.
      }
      return;
    }
    sendOrShed(ws, text);
  }

  /** The bucket's decision for one resync, taking a token when it is answered. */
  decide(ws: WebSocket): ResyncDecision {
    const account = this.account(ws);
    if (account.closed) return "closed";
    const now = this.clock.now();
    const earned = Math.floor((now - account.refilledAt) / this.limits.refillMs);
    account.tokens = Math.min(this.limits.burst, account.tokens + earned);
    account.refilledAt += earned * this.limits.refillMs;
    // A full bucket earns nothing: the next token is due one interval after it is first used.
    if (account.tokens === this.limits.burst) account.refilledAt = now;
    if (account.tokens === 0) return "refuse";
    account.tokens -= 1;
    return "answer";
  }

  private account(ws: WebSocket): SocketAccount {
    let account = this.accounts.get(ws);
    if (!account) {
      const now = this.clock.now();
      account = { tokens: this.limits.burst, refilledAt: now, chars: 0, windowStart: now, closed: false };
      this.accounts.set(ws, account);
    }
    return account;
  }

  private rollWindow(account: SocketAccount): void {
    const now = this.clock.now();
    if (now - account.windowStart >= this.limits.windowMs) {
      account.windowStart = now;
      account.chars = 0;
    }
  }
}
