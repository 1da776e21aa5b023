#!/usr/bin/env node
// Drain throughput: a real SQLite outbox (node:sqlite, like the market object's) drained
// into Postgres through the WebSocket proxy with the Worker's own modules (Neon driver,
// pgWriter: INSERT ... SELECT FROM jsonb_to_recordset, one bound parameter and at most 500
// rows / ~1 MB per statement, one transaction per batch; drainOutbox).
//
//   npm run pg:proxy && DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run db:migrate
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test PG_WS_PROXY=127.0.0.1:5433 \
//     node bench/drain.mjs [backlog=100000] [batchSizes=100,500,2000]
//
// Runs in Node (type stripping loads the .ts modules), not workerd: the driver, SQL and
// proxy path are the same; the figures are for this machine's local Postgres.
import { DatabaseSync } from "node:sqlite";
import { drainOutboxToPg } from "../worker/history/drainToPg.ts";
import { initialDrainState } from "../worker/history/outboxDrain.ts";
import { withPg } from "../worker/history/db.ts";
import { encodeOutbox, OUTBOX_VERSION } from "../worker/history/outboxTypes.ts";

const env = { DATABASE_URL: process.env.DATABASE_URL ?? "", PG_WS_PROXY: process.env.PG_WS_PROXY ?? "" };
if (!env.DATABASE_URL) {
  console.error("bench/drain: set DATABASE_URL (and PG_WS_PROXY for a local Postgres behind websockify)");
  process.exit(1);
}
const backlog = Number(process.argv[2] ?? 100_000);
const batchSizes = (process.argv[3] ?? "100,500,2000").split(",").map(Number);
const T0 = Date.now();

function outboxWithFills(code, n) {
  const db = new DatabaseSync(":memory:");
  db.exec("CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload TEXT NOT NULL)");
  const ins = db.prepare("INSERT INTO outbox (kind, payload) VALUES (?, ?)");
  db.exec("BEGIN");
  for (let i = 1; i <= n; i++) {
    const row = encodeOutbox("fill", {
      v: OUTBOX_VERSION.fill,
      marketCode: code,
      id: `f${i}`,
      orderId: `o${i}`,
      playerId: `p${(i % 50) + 1}`,
      symbol: i % 2 ? "ACME" : "GLOBX",
      side: i % 3 ? "buy" : "sell",
      qty: (i % 50) + 1,
      price: 100_00 + (i % 997),
      fee: i % 13,
      t: T0 + i,
      tick: Math.floor(i / 10),
    });
    ins.run(row.kind, row.payload);
  }
  db.exec("COMMIT");
  const read = db.prepare("SELECT id, kind, payload FROM outbox ORDER BY id LIMIT ?");
  const del = db.prepare("DELETE FROM outbox WHERE id <= ?");
  const depth = db.prepare("SELECT count(*) AS n FROM outbox");
  return {
    readBatch: (limit) =>
      read.all(limit).map((r) => ({ id: Number(r.id), kind: /** @type {any} */ (r.kind), payload: String(r.payload) })),
    ack: (upTo) => void del.run(upTo),
    now: () => Date.now(),
    isEmpty: () => depth.get().n === 0,
    depth: () => Number(depth.get().n),
  };
}

async function run(batchSize, n, maxMs) {
  const code = `B${Date.now().toString(36).toUpperCase()}${batchSize}`.slice(0, 12);
  const box = outboxWithFills(code, n);
  let state = initialDrainState();
  let calls = 0;
  let busyMs = 0;
  const started = performance.now();
  while (!box.isEmpty()) {
    const t = performance.now();
    state = await drainOutboxToPg(env, box, state, { batchSize, maxBatches: 1_000_000, maxMs });
    busyMs += performance.now() - t;
    calls++;
    if (state.failures) throw new Error(`drain failed: ${state.lastError}`);
  }
  const wallMs = performance.now() - started;
  const landed = await withPg(env, async (/** @type {any} */ db) => {
    const r = await db.$client.query("select count(*)::int as n from fills where market_code = $1", [code]);
    return r.rows[0].n;
  });
  await withPg(env, (/** @type {any} */ db) => db.$client.query("delete from fills where market_code = $1", [code]));
  return { batchSize, rows: n, landed, calls, seconds: wallMs / 1000, rowsPerSec: Math.round(n / (busyMs / 1000)) };
}

console.log(
  `drain bench: ${backlog} fill rows, SQLite outbox -> Neon driver -> ${env.PG_WS_PROXY || "wss"} -> Postgres`,
);
for (const bs of batchSizes) {
  // One alarm's budget as the market runs it (1 s per call), called back to back.
  const r = await run(bs, backlog, 1000);
  console.log(
    `batchSize ${String(bs).padStart(5)}: ${r.rows} rows in ${r.seconds.toFixed(1)} s (${r.calls} drain calls of <= 1 s) ` +
      `= ${r.rowsPerSec} rows/s; landed ${r.landed}`,
  );
}
