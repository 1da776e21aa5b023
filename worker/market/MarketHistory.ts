/**
 * The market object's side channels: the outbox that feeds Postgres history, and the
 * public snapshot pushed to the Redis cache. Both are optional accelerators of the
 * market, never on the order path: outbox rows are written inside the caller's
 * transaction (only when DATABASE_URL is set, so a market without history writes no
 * extra rows), and the drain runs from the alarm after the tick is sent.
 */
import { historyEnabled } from "../history/db";
import type { Clock } from "../lib/clock";
import { drainOutboxToPg } from "../history/drainToPg";
import { initialDrainState, type DrainState } from "../history/outboxDrain";
import { encodeOutbox, type OutboxKind, type OutboxPayloads } from "../history/outboxTypes";
import type { FillState, MarketState, NewsRecord, OrderState, PlayerState } from "./engine";
import { standings } from "./engine";
import type { MarketStore } from "./MarketStore";

export interface HistoryStatus {
  enabled: boolean;
  outboxDepth: number;
  lastSuccessAt: number | null;
  lastError: string | null;
  failures: number;
  nextAttemptAt: number | null;
  drained: number;
}

export class MarketHistory {
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
    this.enqueue("market", {
      marketCode: state.code,
      name: state.name,
      status: state.status,
      startingCash: state.startingCash,
      tickMs: state.tickMs,
      seed: state.seed,
      createdAt: state.createdAt,
      rules: state.rules,
      symbols: state.symbols.map((s) => ({
        symbol: s.symbol,
        name: s.name,
        sector: s.sector,
        price: s.price,
        volatility: s.volatility,
        liquidity: s.liquidity,
      })),
    });
  }

  playerJoined(state: MarketState, p: PlayerState): void {
    this.enqueue("player", { marketCode: state.code, id: p.id, name: p.name, joinedAt: p.joinedAt });
  }

  orderChanged(state: MarketState, o: OrderState): void {
    // Postgres keeps what the order is, not what it holds back: the reservation stays here.
    const { reservedCash: _reserved, ...order } = o;
    this.enqueue("order", { marketCode: state.code, ...order });
  }

  filled(state: MarketState, f: FillState): void {
    this.enqueue("fill", { marketCode: state.code, ...f });
  }

  newsChanged(state: MarketState, item: NewsRecord): void {
    this.enqueue("news", {
      marketCode: state.code,
      id: item.id,
      headline: item.headline,
      body: item.body,
      impacts: item.impacts,
      publishAt: item.publishAt,
      status: item.status,
    });
  }

  ticked(state: MarketState, now: number): void {
    if (!this.enabled) return;
    const prices: Record<string, number> = {};
    const volumes: Record<string, number> = {};
    for (const s of state.symbols) {
      prices[s.symbol] = s.last;
      // What traded since the previous tick; the engine keeps it, so it survives a restart.
      volumes[s.symbol] = s.lastTickVolume;
    }
    this.enqueue("tick", { marketCode: state.code, tick: state.tick, t: now, prices, volumes });
  }

  standings(state: MarketState, now: number): void {
    this.enqueue("standings", {
      marketCode: state.code,
      closedAt: now,
      standings: standings(state).map((l) => ({
        playerId: l.playerId,
        name: l.name,
        rank: l.rank,
        netWorth: l.netWorth,
        cash: state.players.get(l.playerId)!.cash,
      })),
    });
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
