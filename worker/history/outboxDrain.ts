/**
 * Copies the market's outbox into Postgres: pure logic, all I/O injected.
 *
 * The market Durable Object writes an outbox row in the same SQLite transaction as each
 * change; its alarm calls `drainOutbox` with deps over its own storage and a Postgres
 * writer. Guarantees, given `write` is idempotent on the rows' keys (pgWriter.ts is):
 *
 * - nothing is lost: a row is acked (deleted) only after a write that contained it
 *   succeeded; a failed write keeps every row of its batch for the next attempt;
 * - order is kept: batches are read, written and acked in ascending id order, and a
 *   failure stops the run, so a later row never lands before an earlier one is written;
 * - nothing is acked twice: each ack covers only ids above the previous ack of the run;
 * - a run is bounded by `maxBatches` and `maxMs`, so one alarm never runs long and the
 *   tick it shares the alarm with stays on time;
 * - while Postgres fails, attempts back off exponentially (1 s doubling to 60 s) and a
 *   call before `nextAttemptAt` returns at once without touching storage or network.
 *
 * A write may still be repeated (the network drops the reply of a commit that landed):
 * that is why the writer must be idempotent, not something this module can prevent.
 */
import type { OutboxKind } from "./outboxTypes.ts";

export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  payload: string;
}

export interface OutboxDeps {
  /** Up to `limit` rows with the smallest ids, ascending. */
  readBatch(limit: number): OutboxRow[];
  /** Writes the rows to Postgres; resolves only when they are durable there. */
  write(rows: OutboxRow[]): Promise<void>;
  /** Deletes every row with id <= upToId. */
  ack(upToId: number): void;
  now(): number;
}

export interface DrainState {
  /** Consecutive failed attempts; 0 = healthy. */
  failures: number;
  /** No attempt before this time (epoch ms); 0 = any time. */
  nextAttemptAt: number;
  lastSuccessAt: number | null;
  /**
   * Message of the most recent failure. Kept after recovery so the organiser can see
   * what happened; it is current only while `failures > 0`.
   */
  lastError: string | null;
  /** Rows written and acked, in total. */
  drained: number;
}

export interface DrainOptions {
  batchSize?: number;
  maxBatches?: number;
  maxMs?: number;
}

/** Rows per write: large enough to amortise the transaction, small enough to retry cheaply. */
export const DEFAULT_BATCH_SIZE = 500;
/** Batches per call; with maxMs this caps the work one alarm does. */
export const DEFAULT_MAX_BATCHES = 20;
/** Wall-clock budget per call; the tick alarm runs every ~2 s and must stay on time. */
export const DEFAULT_MAX_MS = 1000;
/** First retry delay after a failure; doubles per consecutive failure. */
export const BACKOFF_BASE_MS = 1000;
/** Longest wait between attempts while Postgres stays down. */
export const BACKOFF_MAX_MS = 60_000;

export function initialDrainState(): DrainState {
  return { failures: 0, nextAttemptAt: 0, lastSuccessAt: null, lastError: null, drained: 0 };
}

/** Delay before the next attempt after `failures` consecutive failures (>= 1). */
export function backoffMs(failures: number): number {
  // Deterministic (no jitter): each market is its own object with its own alarm, so
  // markets do not retry in lockstep; and tests can state exact times.
  const exp = Math.min(Math.max(failures, 1) - 1, 30);
  return Math.min(BACKOFF_BASE_MS * 2 ** exp, BACKOFF_MAX_MS);
}

export async function drainOutbox(deps: OutboxDeps, state: DrainState, opts: DrainOptions = {}): Promise<DrainState> {
  const batchSize = Math.max(1, opts.batchSize ?? DEFAULT_BATCH_SIZE);
  const maxBatches = Math.max(1, opts.maxBatches ?? DEFAULT_MAX_BATCHES);
  const maxMs = opts.maxMs ?? DEFAULT_MAX_MS;

  const next: DrainState = { ...state };
  const startedAt = deps.now();
  if (startedAt < next.nextAttemptAt) return next; // still backing off

  let ackedUpTo = -Infinity;
  for (let batch = 0; batch < maxBatches; batch++) {
    if (batch > 0 && deps.now() - startedAt >= maxMs) break;

    const rows = deps.readBatch(batchSize).filter((r) => r.id > ackedUpTo);
    if (rows.length === 0) break;
    // Storage returns ascending ids; sorting a copy costs nothing and keeps the promise
    // "acked up to the last id written" true even if a caller forgets ORDER BY.
    rows.sort((a, b) => a.id - b.id);
    const lastId = rows[rows.length - 1].id;

    try {
      await deps.write(rows);
    } catch (err) {
      next.failures += 1;
      next.lastError = describe(err);
      next.nextAttemptAt = deps.now() + backoffMs(next.failures);
      return next;
    }

    deps.ack(lastId);
    ackedUpTo = lastId;
    next.drained += rows.length;
    next.failures = 0;
    next.nextAttemptAt = 0;
    next.lastSuccessAt = deps.now();
    if (rows.length < batchSize) break; // the outbox is empty now
  }
  return next;
}

function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  // Bounded: the state is persisted and shown to the organiser, not a log sink.
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}
