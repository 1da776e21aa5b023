import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withPg } from "../../worker/history/db";
import { drainOutboxToPg } from "../../worker/history/drainToPg";
import { drainOutbox, initialDrainState, type OutboxRow } from "../../worker/history/outboxDrain";
import { writeOutboxRows } from "../../worker/history/pgWriter";
import { fills, markets } from "../../worker/history/schema";
import { everyKind, fillBacklog, uniqueCode } from "./fixtures";
import { noPostgres, pgEnv, requireMigrated, warnIfSkipped } from "./setup";

warnIfSkipped("history: draining the outbox into Postgres");

/** The market's outbox table as the drain sees it: ascending ids, delete-up-to acks. */
function sqliteLikeOutbox(rows: OutboxRow[]) {
  const table = [...rows];
  let now = Date.now();
  return {
    table,
    advance: (ms: number) => (now += ms),
    storage: {
      readBatch: (limit: number) => table.slice(0, limit).map((r) => ({ ...r })),
      ack: (upToId: number) => {
        while (table.length && table[0].id <= upToId) table.shift();
      },
      now: () => now,
      isEmpty: () => table.length === 0,
    },
  };
}

async function countFills(code: string): Promise<number> {
  const n = await withPg(pgEnv, async (db) => {
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(fills)
      .where(eq(fills.marketCode, code));
    return n;
  });
  return n ?? -1;
}

describe.skipIf(noPostgres)("history: draining the outbox into Postgres", () => {
  beforeAll(requireMigrated);

  it("drains a market's outbox to zero, every row once", async () => {
    const code = uniqueCode("D");
    const rows = [...everyKind(code).rows, ...fillBacklog(code, 600, 100).map((r) => r)];
    // everyKind already holds f1 and f2; the backlog's f1/f2 repeat them (a replay) and are kept once.
    const box = sqliteLikeOutbox(rows);

    let state = initialDrainState();
    for (let i = 0; i < 20 && box.table.length; i++)
      state = await drainOutboxToPg(pgEnv, box.storage, state, { batchSize: 100 });

    expect(box.table).toHaveLength(0);
    expect(state).toMatchObject({ failures: 0, drained: rows.length, lastError: null });
    expect(await countFills(code)).toBe(600);
  });

  it("keeps the rows through an outage and delivers them once when Postgres is back", async () => {
    const code = uniqueCode("X");
    const box = sqliteLikeOutbox(fillBacklog(code, 250));
    // Nothing listens on port 9: the proxy is "down".
    const down = { ...pgEnv, PG_WS_PROXY: "127.0.0.1:9" };

    let state = await drainOutboxToPg(down, box.storage, initialDrainState(), { batchSize: 100 });
    expect(state.failures).toBe(1);
    expect(state.lastError).toBeTruthy();
    expect(box.table).toHaveLength(250); // nothing acked
    expect(state.nextAttemptAt).toBe(box.storage.now() + 1000);

    // Within the backoff the drain does not even try.
    const same = await drainOutboxToPg(pgEnv, box.storage, state);
    expect(same).toBe(state);

    // Second failure doubles the wait.
    box.advance(1000);
    state = await drainOutboxToPg(down, box.storage, state, { batchSize: 100 });
    expect(state.failures).toBe(2);
    expect(state.nextAttemptAt).toBe(box.storage.now() + 2000);

    // Back up: everything lands, once.
    box.advance(2000);
    state = await drainOutboxToPg(pgEnv, box.storage, state, { batchSize: 100 });
    expect(state).toMatchObject({ failures: 0, nextAttemptAt: 0, drained: 250 });
    expect(box.table).toHaveLength(0);
    expect(await countFills(code)).toBe(250);
  });

  it("adds nothing when a batch is delivered again because its ack was lost", async () => {
    const code = uniqueCode("L");
    const rows = fillBacklog(code, 120);
    // The first drain writes but "crashes" before acking: the rows stay in the outbox.
    await withPg(pgEnv, (db) =>
      drainOutbox(
        {
          readBatch: (n) => rows.slice(0, n),
          write: async (r) => void (await writeOutboxRows(db, r)),
          ack: () => {},
          now: Date.now,
        },
        initialDrainState(),
        { batchSize: 200, maxBatches: 1 },
      ),
    );
    const box = sqliteLikeOutbox(rows);
    const state = await drainOutboxToPg(pgEnv, box.storage, initialDrainState());
    expect(state.drained).toBe(120);
    expect(await countFills(code)).toBe(120);
  });

  it("does nothing and opens no connection without DATABASE_URL", async () => {
    const box = sqliteLikeOutbox(fillBacklog(uniqueCode("N"), 3));
    const state = await drainOutboxToPg({ DATABASE_URL: "" }, box.storage, initialDrainState());
    expect(state).toEqual(initialDrainState());
    expect(box.table).toHaveLength(3);
    expect(await withPg({ DATABASE_URL: "" }, async () => 1)).toBeNull();
  });

  it("records the market's closing in the archive list", async () => {
    const code = uniqueCode("A");
    const box = sqliteLikeOutbox(everyKind(code).rows);
    await drainOutboxToPg(pgEnv, box.storage, initialDrainState());
    const m = await withPg(pgEnv, (db) => db.select().from(markets).where(eq(markets.code, code)));
    expect(m?.[0]?.closedAt).not.toBeNull();
  });
});
