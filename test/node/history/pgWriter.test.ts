import { describe, expect, it } from "vitest";
import {
  MAX_JSON_BYTES_PER_STATEMENT,
  MAX_PARAMS_PER_STATEMENT,
  MAX_ROWS_PER_STATEMENT,
  planOutboxWrites,
} from "../../../worker/history/pgWriter";
import { everyKind, fillBacklog, OutboxBuilder, T0 } from "../../postgres/fixtures";

describe("planning the Postgres writes", () => {
  it("keeps every statement at or under 100 bound parameters: one JSON parameter each", () => {
    const rows = [...everyKind("AAAA").rows, ...fillBacklog("AAAA", 1000, 100)];
    const plan = planOutboxWrites(rows);
    expect(MAX_PARAMS_PER_STATEMENT).toBe(100);
    for (const s of plan) expect(s.params).toBe(1);
    expect(Math.max(...plan.map((s) => s.params))).toBeLessThanOrEqual(MAX_PARAMS_PER_STATEMENT);
    // 1002 fills, at most 500 per statement: 500 + 500 + 2.
    expect(plan.filter((s) => s.kind === "fill").map((s) => s.rows)).toEqual([500, 500, 2]);
  });

  it("plans one statement per kind and table for a batch of every kind, markets first", () => {
    const plan = planOutboxWrites(everyKind("AAAA").rows);
    expect(plan.map((s) => [s.kind, s.sql.match(/^(?:insert into|update) "(\w+)"/)?.[1], s.rows])).toEqual([
      ["market", "markets", 1], // three status changes of one market: the newest only
      ["market", "symbols", 2],
      ["player", "players", 2],
      ["order", "orders", 2], // o1 twice (open, then filled): the newest only
      ["fill", "fills", 2],
      ["news", "news", 1],
      ["tick", "candles", 4], // 2 ticks x 2 symbols
      ["standings", "standings", 2],
      ["standings", "markets", 1], // closed_at
    ]);
  });

  it("inserts from jsonb_to_recordset with the schema's columns and types", () => {
    const [fill] = planOutboxWrites(fillBacklog("AAAA", 1));
    expect(fill.sql).toBe(
      'insert into "fills" ("market_code", "id", "order_id", "player_id", "symbol", "side", "qty", "price", "fee", "t", "tick") ' +
        'select r."marketCode", r."id", r."orderId", r."playerId", r."symbol", r."side", r."qty", r."price", r."fee", r."t", r."tick" ' +
        'from jsonb_to_recordset($1::jsonb) as r("marketCode" text, "id" text, "orderId" text, "playerId" text, "symbol" text, ' +
        '"side" text, "qty" bigint, "price" bigint, "fee" bigint, "t" bigint, "tick" integer) on conflict do nothing',
    );
  });

  it("upserts orders, markets, news and standings only over an older or equal stored row", () => {
    const plan = planOutboxWrites(everyKind("AAAA").rows);
    const sqlOf = (kind: string, table: string) =>
      plan.find((s) => s.kind === kind && s.sql.includes(`"${table}" (`))!.sql;
    expect(sqlOf("order", "orders")).toMatch(
      /on conflict \("market_code", "id"\) do update set "status" = excluded."status", "filled_qty" = excluded."filled_qty", "filled_value" = excluded."filled_value", "limit_price" = excluded."limit_price", "updated_at" = excluded."updated_at" where "orders"."updated_at" <= excluded."updated_at"$/,
    );
    const market = sqlOf("market", "markets");
    // closed_at is set by standings only, never by a market row.
    expect(market).not.toContain("closed_at");
    expect(market).toMatch(
      /on conflict \("code"\) do update set "name" = excluded."name", "status" = excluded."status", "starting_cash" = excluded."starting_cash", "tick_ms" = excluded."tick_ms", "seed" = excluded."seed", "created_at" = excluded."created_at", "rules" = excluded."rules", "outbox_id" = excluded."outbox_id" where "markets"."outbox_id" <= excluded."outbox_id"$/,
    );
    expect(sqlOf("news", "news")).toMatch(
      /on conflict \("market_code", "id"\) do update set "headline" = excluded."headline", "body" = excluded."body", "impacts" = excluded."impacts", "publish_at" = excluded."publish_at", "status" = excluded."status", "outbox_id" = excluded."outbox_id" where "news"."outbox_id" <= excluded."outbox_id"$/,
    );
    expect(sqlOf("standings", "standings")).toMatch(
      /on conflict \("market_code", "player_id"\) do update set "name" = excluded."name", "rank" = excluded."rank", "net_worth" = excluded."net_worth", "cash" = excluded."cash", "closed_at" = excluded."closed_at" where "standings"."closed_at" <= excluded."closed_at"$/,
    );
    const close = plan.find((s) => s.sql.startsWith('update "markets"'))!.sql;
    expect(close).toContain('set "closed_at" = r."closedAt"');
    expect(close).toContain('("markets"."closed_at" is null or "markets"."closed_at" <= r."closedAt")');
  });

  it("inserts fills, players, symbols and candles with ON CONFLICT DO NOTHING", () => {
    const plan = planOutboxWrites(everyKind("AAAA").rows);
    for (const s of plan.filter((p) => ["fill", "player", "tick"].includes(p.kind) || p.sql.includes('"symbols"')))
      expect(s.sql).toMatch(/on conflict do nothing$/);
  });

  it("caps a statement's JSON at about 1 MB, counting UTF-8 bytes", () => {
    // 12 players with 300,000-byte names ("é" is 2 bytes): 3 fit under 1 MB, a 4th would not.
    const b = new OutboxBuilder("AAAA");
    for (let i = 1; i <= 12; i++) b.add("player", { id: `p${i}`, name: "é".repeat(150_000), joinedAt: T0 + i });
    const plan = planOutboxWrites(b.rows);
    expect(plan.map((s) => s.rows)).toEqual([3, 3, 3, 3]);
    for (const s of plan) expect(s.jsonBytes).toBeLessThanOrEqual(MAX_JSON_BYTES_PER_STATEMENT);

    // A single row over the cap still goes, alone.
    const big = new OutboxBuilder("AAAA").add("player", {
      id: "p1",
      name: "x".repeat(MAX_JSON_BYTES_PER_STATEMENT),
      joinedAt: T0,
    });
    expect(planOutboxWrites([...big.rows, ...fillBacklog("AAAA", 1, 2)]).map((s) => s.rows)).toEqual([1, 1]);
  });

  it(`stops at ${MAX_ROWS_PER_STATEMENT} rows per statement`, () => {
    const plan = planOutboxWrites(fillBacklog("AAAA", 2 * MAX_ROWS_PER_STATEMENT + 1));
    expect(plan.map((s) => s.rows)).toEqual([MAX_ROWS_PER_STATEMENT, MAX_ROWS_PER_STATEMENT, 1]);
  });

  it("refuses a row it cannot read, naming it", () => {
    const rows = new OutboxBuilder("AAAA").add("player", { id: "p1", name: "A", joinedAt: 1 }).rows;
    rows.push({ id: 99, kind: "fill", payload: "{not json" });
    expect(() => planOutboxWrites(rows)).toThrow(/outbox row 99 \(fill\)/);
    expect(() => planOutboxWrites([{ id: 5, kind: "bogus" as never, payload: "{}" }])).toThrow(
      /outbox row 5: unknown kind/,
    );
    expect(() => planOutboxWrites([{ id: 6, kind: "fill", payload: "{}" }])).toThrow(
      /outbox row 6 \(fill\): payload has no marketCode/,
    );
  });
});
