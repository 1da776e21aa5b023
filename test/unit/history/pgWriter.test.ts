import { drizzle } from "drizzle-orm/node-postgres";
import { describe, expect, it } from "vitest";
import { MAX_PARAMS_PER_STATEMENT, planOutboxWrites } from "../../../worker/history/pgWriter";
import { everyKind, fillBacklog, OutboxBuilder } from "../../history/fixtures";

const db = drizzle.mock();

describe("planning the Postgres writes", () => {
  it("keeps every statement at or under 100 bound parameters", () => {
    const rows = [...everyKind("AAAA").rows, ...fillBacklog("AAAA", 1000, 100)];
    const plan = planOutboxWrites(db, rows);
    expect(Math.max(...plan.map((s) => s.params))).toBeLessThanOrEqual(MAX_PARAMS_PER_STATEMENT);
    // 1002 fills at 11 parameters each: 9 per statement.
    expect(plan.filter((s) => s.kind === "fill")).toHaveLength(Math.ceil(1002 / 9));
  });

  it("writes one statement per key for upserts, keeping the newest state", () => {
    const plan = planOutboxWrites(db, everyKind("AAAA").rows);
    const orders = plan.filter((s) => s.kind === "order");
    expect(orders).toHaveLength(1);
    // o1 twice in the batch (open, then filled): only the newest is sent, once.
    expect(orders[0].params).toBe(2 * 14);
    expect(orders[0].sql).toContain('on conflict ("market_code","id") do update');
    expect(orders[0].sql).toContain('where "orders"."updated_at" <= excluded.updated_at');
  });

  it("inserts fills, players and candles with ON CONFLICT DO NOTHING", () => {
    const plan = planOutboxWrites(db, everyKind("AAAA").rows);
    for (const kind of ["fill", "player", "tick"] as const)
      for (const s of plan.filter((p) => p.kind === kind)) expect(s.sql).toMatch(/on conflict do nothing$/);
  });

  it("refuses a row it cannot read, naming it", () => {
    const rows = new OutboxBuilder("AAAA").add("player", { id: "p1", name: "A", joinedAt: 1 }).rows;
    rows.push({ id: 99, kind: "fill", payload: "{not json" });
    expect(() => planOutboxWrites(db, rows)).toThrow(/outbox row 99 \(fill\)/);
    expect(() => planOutboxWrites(db, [{ id: 5, kind: "bogus" as never, payload: "{}" }])).toThrow(/outbox row 5: unknown kind/);
  });
});
