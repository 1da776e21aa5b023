/**
 * The drain as the market object runs it: the pure `drainOutbox` with its `write` bound
 * to Postgres through ONE pool for the whole run (not one connection per batch).
 */
import { withPg, type HistoryEnv } from "./db.ts";
import { drainOutbox, type DrainOptions, type DrainState, type OutboxDeps } from "./outboxDrain.ts";
import { writeOutboxRows } from "./pgWriter.ts";

/** The market's side of the drain: its SQLite outbox and its clock. */
export type OutboxStorage = Omit<OutboxDeps, "write">;

/**
 * Drains a bounded slice of the outbox into Postgres and returns the new state to persist.
 * Returns `state` unchanged, without opening a connection, when DATABASE_URL is empty,
 * while backing off, or when the outbox is empty (`isEmpty`, if given, answers that).
 */
export async function drainOutboxToPg(
  env: HistoryEnv,
  storage: OutboxStorage & { isEmpty?: () => boolean },
  state: DrainState,
  opts?: DrainOptions,
): Promise<DrainState> {
  if (storage.now() < state.nextAttemptAt) return state;
  if (storage.isEmpty?.()) return state;
  const next = await withPg(env, (db) =>
    drainOutbox(
      {
        readBatch: (limit) => storage.readBatch(limit),
        ack: (upToId) => storage.ack(upToId),
        now: () => storage.now(),
        write: async (rows) => {
          await writeOutboxRows(db, rows);
        },
      },
      state,
      opts,
    ),
  );
  return next ?? state;
}
