// SQLite rows written are billed per row, so the market keeps them few: this measures
// them (the cursor's rowsWritten, indexes included) for a market order and for a tick,
// and fails if a change makes either grow past its budget.
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { expect, it } from "vitest";
import type { MarketDurableObject } from "../../../worker/market/MarketDurableObject";
import { createMarket, join } from "../../support/workerd";

/** Runs `fn` inside the object and sums rowsWritten over every statement it executed. */
async function countRows<T>(code: string, fn: (instance: MarketDurableObject) => T | Promise<T>) {
  const stub = env.MARKET.get(env.MARKET.idFromName(code));
  return runInDurableObject(stub, async (instance: MarketDurableObject, state) => {
    const sql = state.storage.sql;
    const original = sql.exec.bind(sql);
    const cursors: SqlStorageCursor<Record<string, SqlStorageValue>>[] = [];
    sql.exec = ((query: string, ...bindings: unknown[]) => {
      const cursor = original(query, ...(bindings as SqlStorageValue[]));
      cursors.push(cursor);
      return cursor;
    }) as typeof sql.exec;
    try {
      const result = await fn(instance);
      return { result, rows: cursors.reduce((n, c) => n + c.rowsWritten, 0) };
    } finally {
      sql.exec = original;
    }
  });
}

it("a market order writes a handful of rows and a tick two, whatever the number of symbols", async () => {
  const code = await createMarket();
  const players = [await join(code, "Row"), await join(code, "Col")];
  // Warm up: the first order of a player creates its position.
  await countRows(code, (m) =>
    m.placeOrder(players[0].id, {
      clientOrderId: "warm",
      symbol: "ACME",
      side: "buy",
      type: "market",
      qty: 1,
      limitPrice: null,
    }),
  );

  const order = await countRows(code, (m) =>
    m.placeOrder(players[0].id, {
      clientOrderId: "measured",
      symbol: "ACME",
      side: "buy",
      type: "market",
      qty: 5,
      limitPrice: null,
    }),
  );
  expect(order.result.ok).toBe(true);
  await countRows(code, (m) => m.alarm()); // with history on, this drains the order's outbox rows
  const tick = await countRows(code, (m) => m.alarm());

  // With Postgres history on, each change also writes an outbox row (plus its AUTOINCREMENT
  // counter, which keeps outbox ids rising for the drain's ordering), and the drain later
  // deletes each row it copied and saves its bookkeeping.
  const history = Boolean((env as unknown as { DATABASE_URL?: string }).DATABASE_URL);
  console.log(`rows written: market order ${order.rows}, tick ${tick.rows} (history ${history ? "on" : "off"})`);
  // order row + its 2 index entries, fill row + 1 index entry, player row, market row.
  expect(order.rows).toBeLessThanOrEqual(history ? 12 : 8);
  // market row + one ticks row (every symbol's price in it); with history, the tick's
  // outbox row, its counter, and the drain's delete of it and its bookkeeping.
  expect(tick.rows).toBeLessThanOrEqual(history ? 6 : 2);
});
