/**
 * The outbox writer: the market's history for Postgres. Rows are written inside the
 * caller's transaction (only when DATABASE_URL is set, so a market without history writes
 * no extra rows), as versioned payloads (outboxPayloads.ts), and drained to Postgres from
 * the alarm after the tick is sent: never on the order path.
 */
import { historyEnabled } from "../history/db";
import type { Clock } from "../lib/clock";
import { drainOutboxToPg } from "../history/drainToPg";
import { initialDrainState, type DrainState } from "../history/outboxDrain";
import { encodeOutbox, type OutboxKind, type OutboxPayloads } from "../history/outboxTypes";
import type { FillState, MarketState, NewsRecord, OrderState, PlayerState } from "./engine";
import type { MarketStore } from "./MarketStore";
import {
  fillPayload,
  marketPayload,
  newsPayload,
  orderPayload,
  playerPayload,
  standingsPayload,
  tickPayload,
} from "./outboxPayloads";
import { errorFields, log } from "../lib/log";

export interface HistoryStatus {
  enabled: boolean;
  outboxDepth: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  failures: number;
  nextAttemptAt: number | null;
  drained: number;
}

export class OutboxWriter {
  private readonly enabled: boolean;
  private drainState: DrainState = initialDrainState();
  private draining = false;

  constructor(
    private readonly env: Env,
    private readonly store: MarketStore,
    private readonly clock: Clock,
  ) {
    this.enabled = historyEnabled(env);
  }

  restore(saved: unknown): void {
    this.drainState = saved ? { ...initialDrainState(), ...(saved as Partial<DrainState>) } : initialDrainState();
  }

  private enqueue<K extends OutboxKind>(kind: K, payload: OutboxPayloads[K]): void {
    if (!this.enabled) return;
    const row = encodeOutbox(kind, payload);
    this.store.enqueue(row.kind, row.payload);
  }

  // ------------------------------------------------------------------ writes (inside the caller's transaction)

  marketChanged(state: MarketState): void {
    this.enqueue("market", marketPayload(state));
  }

  playerJoined(state: MarketState, p: PlayerState): void {
    this.enqueue("player", playerPayload(state, p));
  }

  orderChanged(state: MarketState, o: OrderState): void {
    this.enqueue("order", orderPayload(state, o));
  }

  filled(state: MarketState, f: FillState): void {
    this.enqueue("fill", fillPayload(state, f));
  }

  newsChanged(state: MarketState, item: NewsRecord): void {
    this.enqueue("news", newsPayload(state, item));
  }

  ticked(state: MarketState, now: number): void {
    if (!this.enabled) return;
    this.enqueue("tick", tickPayload(state, now));
  }

  standings(state: MarketState, now: number): void {
    this.enqueue("standings", standingsPayload(state, now));
  }

  // ------------------------------------------------------------------ drain (from the alarm)

  /**
   * Copies a bounded slice of the outbox to Postgres over one connection; never throws.
   * A drain that moved rows or failed logs one line (`history_drain`, or
   * `history_drain_failed` with the backoff); the many that find nothing to do log nothing.
   */
  async drain(market?: string): Promise<void> {
    // The drain awaits the network, so another alarm or request may arrive meanwhile.
    if (!this.enabled || this.draining) return;
    this.draining = true;
    const before = this.drainState;
    const startedAt = this.clock.now();
    try {
      this.drainState = await drainOutboxToPg(
        this.env,
        {
          readBatch: (limit) => this.store.outboxBatch(limit),
          ack: (upToId) => this.store.ackOutbox(upToId),
          now: () => this.clock.now(),
          isEmpty: () => this.store.outboxDepth() === 0,
        },
        this.drainState,
      );
      this.store.saveDrain(this.drainState);
      this.logDrain(market, before, this.drainState, this.clock.now() - startedAt);
    } catch (err) {
      log.error("history_drain_failed", { market, ...errorFields(err) });
    } finally {
      this.draining = false;
    }
  }

  private logDrain(market: string | undefined, before: DrainState, after: DrainState, durationMs: number): void {
    const rows = after.drained - before.drained;
    if (after.failures > before.failures) {
      log.warn("history_drain_failed", {
        market,
        rows,
        failures: after.failures,
        error: after.lastError,
        nextAttemptAt: after.nextAttemptAt,
        outboxDepth: this.store.outboxDepth(),
        durationMs,
      });
    } else if (rows > 0) {
      log.info("history_drain", {
        market,
        rows,
        outboxDepth: this.store.outboxDepth(),
        durationMs,
        recoveredAfterFailures: before.failures > 0 ? before.failures : undefined,
      });
    }
  }

  /** When the alarm must come back for the history alone (a backlog, or a retry). */
  nextAttemptAt(): number | null {
    if (!this.enabled || this.store.outboxDepth() === 0) return null;
    return Math.max(this.drainState.nextAttemptAt, this.clock.now() + 1000);
  }

  status(): HistoryStatus {
    return {
      enabled: this.enabled,
      outboxDepth: this.enabled ? this.store.outboxDepth() : 0,
      lastSuccessAt: this.drainState.lastSuccessAt,
      lastError: this.drainState.lastError,
      failures: this.drainState.failures,
      nextAttemptAt: this.drainState.nextAttemptAt || null,
      drained: this.drainState.drained,
    };
  }
}
