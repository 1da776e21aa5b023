import { describe, expect, it } from "vitest";
import {
  BACKOFF_MAX_MS,
  backoffMs,
  drainOutbox,
  initialDrainState,
  type OutboxDeps,
  type OutboxRow,
} from "../../../worker/history/outboxDrain";

/** An in-memory outbox like the market's SQLite table, and a Postgres that can fail on cue. */
function fakes(
  count: number,
  opts: { failOn?: (attempt: number, rows: OutboxRow[]) => boolean; msPerWrite?: number } = {},
) {
  let clock = 1_000_000;
  let attempt = 0;
  const outbox: OutboxRow[] = Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    kind: "fill" as const,
    payload: JSON.stringify({ n: i + 1 }),
  }));
  const written: number[] = []; // every id ever written, in write order (repeats allowed)
  const acks: number[] = [];
  const deps: OutboxDeps = {
    readBatch: (limit) => outbox.slice(0, limit).map((r) => ({ ...r })),
    write: async (rows) => {
      attempt += 1;
      clock += opts.msPerWrite ?? 5;
      if (opts.failOn?.(attempt, rows)) throw new Error(`connection refused (attempt ${attempt})`);
      written.push(...rows.map((r) => r.id));
    },
    ack: (upToId) => {
      acks.push(upToId);
      while (outbox.length && outbox[0].id <= upToId) outbox.shift();
    },
    now: () => clock,
  };
  return {
    deps,
    outbox,
    written,
    acks,
    advance: (ms: number) => (clock += ms),
    get now() {
      return clock;
    },
  };
}

describe("draining the outbox", () => {
  it("copies every row in id order and empties the outbox", async () => {
    const f = fakes(250);
    const s = await drainOutbox(f.deps, initialDrainState(), { batchSize: 100 });
    expect(f.outbox).toHaveLength(0);
    expect(f.written).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    // Acked once per batch, after the batch's write, ascending.
    expect(f.acks).toEqual([100, 200, 250]);
    expect(s).toMatchObject({ drained: 250, failures: 0, nextAttemptAt: 0, lastError: null });
    expect(s.lastSuccessAt).toBe(f.now);
  });

  it("does nothing, quickly, when the outbox is empty", async () => {
    const f = fakes(0);
    const s = await drainOutbox(f.deps, initialDrainState());
    expect(f.acks).toEqual([]);
    expect(s).toEqual(initialDrainState());
  });

  it("keeps the rows of a failed batch and acks the batches before it (partial failure)", async () => {
    // The third write fails: batches 1 and 2 are in Postgres and acked, 3 onwards stays.
    const f = fakes(500, { failOn: (attempt) => attempt === 3 });
    const s = await drainOutbox(f.deps, initialDrainState(), { batchSize: 100 });
    expect(f.acks).toEqual([100, 200]);
    expect(f.outbox.map((r) => r.id)).toEqual(Array.from({ length: 300 }, (_, i) => i + 201));
    expect(s.failures).toBe(1);
    expect(s.drained).toBe(200);
    expect(s.lastError).toContain("connection refused (attempt 3)");
    expect(s.nextAttemptAt).toBe(f.now + 1000);

    // The next run after the backoff carries on from row 201: nothing lost, nothing twice.
    f.advance(1000);
    const s2 = await drainOutbox(f.deps, s, { batchSize: 100 });
    expect(f.outbox).toHaveLength(0);
    expect(f.written).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    expect(new Set(f.acks).size).toBe(f.acks.length);
    expect(s2).toMatchObject({ failures: 0, nextAttemptAt: 0, drained: 500 });
    // The last error stays visible for the organiser; failures = 0 says it is over.
    expect(s2.lastError).toContain("attempt 3");
  });

  it("backs off 1 s, 2 s, 4 s ... up to 60 s while Postgres is down, then recovers", async () => {
    let down = true;
    const f = fakes(30, { failOn: () => down });
    let s = initialDrainState();
    const delays: number[] = [];
    for (let i = 0; i < 9; i++) {
      s = await drainOutbox(f.deps, s, { batchSize: 10 });
      delays.push(s.nextAttemptAt - f.now);
      f.advance(s.nextAttemptAt - f.now);
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect(s.failures).toBe(9);
    expect(f.acks).toEqual([]);
    expect(f.outbox).toHaveLength(30);

    down = false;
    s = await drainOutbox(f.deps, s, { batchSize: 10 });
    expect(s).toMatchObject({ failures: 0, nextAttemptAt: 0, drained: 30 });
    expect(f.written).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
  });

  it("does not touch storage or Postgres while backing off", async () => {
    const f = fakes(10, { failOn: (attempt) => attempt === 1 });
    const s = await drainOutbox(f.deps, initialDrainState());
    let reads = 0;
    const read = f.deps.readBatch;
    f.deps.readBatch = (n) => (reads++, read(n));

    f.advance(999); // one millisecond short of the 1 s backoff
    const skipped = await drainOutbox(f.deps, s);
    expect(reads).toBe(0);
    expect(skipped).toEqual(s);

    f.advance(1);
    const done = await drainOutbox(f.deps, skipped);
    expect(reads).toBeGreaterThan(0);
    expect(done.drained).toBe(10);
  });

  it("stops after maxBatches and leaves the rest for the next alarm", async () => {
    const f = fakes(1000);
    const s = await drainOutbox(f.deps, initialDrainState(), { batchSize: 100, maxBatches: 3 });
    expect(s.drained).toBe(300);
    expect(f.outbox[0].id).toBe(301);
    const s2 = await drainOutbox(f.deps, s, { batchSize: 100, maxBatches: 3 });
    expect(s2.drained).toBe(600);
    expect(f.outbox[0].id).toBe(601);
  });

  it("stops when the time budget is spent, always finishing the batch in hand", async () => {
    // Each write takes 400 ms of fake time; a 1 s budget allows three batches to start.
    const f = fakes(1000, { msPerWrite: 400 });
    const s = await drainOutbox(f.deps, initialDrainState(), { batchSize: 100, maxBatches: 100, maxMs: 1000 });
    expect(s.drained).toBe(300);
    expect(f.acks).toEqual([100, 200, 300]);
  });

  it("never loses or repeats a row over many random failures", async () => {
    // A seeded pseudo-random Postgres that fails about a third of the writes.
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const f = fakes(2000, { failOn: () => rand() < 0.33 });
    let s = initialDrainState();
    for (let run = 0; run < 1000 && f.outbox.length; run++) {
      s = await drainOutbox(f.deps, s, { batchSize: 37, maxBatches: 5 });
      f.advance(BACKOFF_MAX_MS);
    }
    expect(f.outbox).toHaveLength(0);
    // A failed write here writes nothing (it throws before recording), so every id is
    // written exactly once, in order, and every ack moves forward.
    expect(f.written).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    expect(f.acks).toEqual([...f.acks].sort((a, b) => a - b));
    expect(new Set(f.acks).size).toBe(f.acks.length);
    expect(s.drained).toBe(2000);
  });

  it("acks only the rows it wrote even if storage returns them out of order", async () => {
    const f = fakes(5);
    f.deps.readBatch = (limit) => f.outbox.slice(0, limit).reverse();
    await drainOutbox(f.deps, initialDrainState(), { batchSize: 10 });
    expect(f.written).toEqual([1, 2, 3, 4, 5]);
    expect(f.acks).toEqual([5]);
  });

  it("computes a bounded, deterministic backoff", () => {
    expect([1, 2, 3, 6, 7, 100].map(backoffMs)).toEqual([1000, 2000, 4000, 32000, 60000, 60000]);
  });
});
