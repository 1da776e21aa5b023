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

  /** Copies a bounded slice of the outbox to Postgres over one connection; never throws. */
  async drain(): Promise<void> {
    // The drain awaits the network, so another alarm or request may arrive meanwhile.
    if (!this.enabled || this.draining) return;
    this.draining = true;
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
    } catch (err) {
      console.error("history drain failed", err);
    } finally {
      this.draining = false;
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
