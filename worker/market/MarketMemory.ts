/**
 * The market in memory and its durable copy in SQLite. The engine changes `state` in
 * place; `commit` writes what changed in one SQLite transaction, and if that write fails,
 * memory is rebuilt from disk so the two never disagree.
 */
import type { MarketState } from "./engine";
import type { OutboxWriter } from "./OutboxWriter";
import type { MarketStore, ShellCounters } from "./MarketStore";

export class MarketMemory {
  state: MarketState | null = null;
  /** When the last tick ran (the next is due tickMs after it). */
  lastTickAt = 0;
  counters: ShellCounters = { nextNewsNo: 1 };

  constructor(
    private readonly storage: DurableObjectStorage,
    readonly store: MarketStore,
    readonly history: OutboxWriter,
    /** Told whenever memory was rebuilt, so caches derived from it are dropped. */
    private readonly onReload: () => void,
  ) {}

  /** Replaces the in-memory state with what SQLite holds (on wake, and after a failed write). */
  reload(): void {
    const loaded = this.store.load();
    this.state = loaded?.state ?? null;
    this.lastTickAt = loaded?.lastTickAt ?? 0;
    this.counters = loaded?.counters ?? { nextNewsNo: 1 };
    this.history.restore(loaded?.drain ?? null);
    this.onReload();
  }

  /** Runs `write` in one SQLite transaction; on failure memory is rebuilt and the error thrown. */
  commit(write: () => void): void {
    try {
      this.storage.transactionSync(write);
    } catch (err) {
      this.reload();
      throw err;
    }
  }

  /** The market row: status, tick, seq, generator, every symbol, counters. */
  saveMarketRow(state: MarketState): void {
    this.store.saveMarket(state, this.lastTickAt, this.counters);
  }
}
