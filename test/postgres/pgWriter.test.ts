import { asc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { withPg, type HistoryDb } from "../../worker/history/db";
import { writeOutboxRows } from "../../worker/history/pgWriter";
import { candles, fills, markets, news, orders, players, standings, symbols } from "../../worker/history/schema";
import { everyKind, fillBacklog, marketPayload, OutboxBuilder, RULES, T0, uniqueCode } from "./fixtures";
import { noPostgres, pgEnv, requireMigrated, warnIfSkipped } from "./setup";

warnIfSkipped("history: writing outbox rows to Postgres");

const pg = <T>(fn: (db: HistoryDb) => Promise<T>) => withPg(pgEnv, fn) as Promise<T>;

async function tablesOf(db: HistoryDb, code: string) {
  return {
    markets: await db.select().from(markets).where(eq(markets.code, code)),
    symbols: await db.select().from(symbols).where(eq(symbols.marketCode, code)).orderBy(asc(symbols.symbol)),
    players: await db.select().from(players).where(eq(players.marketCode, code)).orderBy(asc(players.id)),
    orders: await db.select().from(orders).where(eq(orders.marketCode, code)).orderBy(asc(orders.id)),
    fills: await db.select().from(fills).where(eq(fills.marketCode, code)).orderBy(asc(fills.id)),
    news: await db.select().from(news).where(eq(news.marketCode, code)),
    candles: await db
      .select()
      .from(candles)
      .where(eq(candles.marketCode, code))
      .orderBy(asc(candles.tick), asc(candles.symbol)),
    standings: await db.select().from(standings).where(eq(standings.marketCode, code)).orderBy(asc(standings.rank)),
  };
}

describe.skipIf(noPostgres)("history: writing outbox rows to Postgres", () => {
  beforeAll(requireMigrated);

  it("lands a batch of every kind exactly once, with exact values and the newest state", async () => {
    const code = uniqueCode("W");
    const batch = everyKind(code);
    const t = await pg(async (db) => {
      await writeOutboxRows(db, batch.rows);
      return tablesOf(db, code);
    });

    // The market row holds the last status written (closed), with its closing time.
    expect(t.markets).toEqual([
      {
        code,
        name: "Fest 2026",
        status: "closed",
        startingCash: 10_000_00,
        tickMs: 2000,
        seed: 4_000_000_000,
        createdAt: T0,
        rules: RULES,
        closedAt: T0 + 5000,
        outboxId: 14,
      },
    ]);
    expect(t.symbols).toEqual([
      {
        marketCode: code,
        symbol: "ACME",
        name: "Acme Corp",
        sector: "Industry",
        price: 123_45,
        volatility: 0.05,
        liquidity: 10_000,
      },
      {
        marketCode: code,
        symbol: "GLOBX",
        name: "Globex",
        sector: "Tech",
        price: 9_99,
        volatility: 0.08,
        liquidity: 2_500.5,
      },
    ]);
    expect(t.players).toEqual([
      { marketCode: code, id: "p1", name: "Ada", joinedAt: T0 + 1 },
      { marketCode: code, id: "p2", name: "Linus", joinedAt: T0 + 2 },
    ]);
    // o1 was written open, then filled: the filled state wins.
    expect(t.orders).toEqual([
      {
        marketCode: code,
        id: "o1",
        playerId: "p1",
        clientOrderId: "c-1",
        symbol: "ACME",
        side: "buy",
        type: "limit",
        qty: 10,
        limitPrice: 120_00,
        status: "filled",
        filledQty: 10,
        filledValue: 1_199_90,
        createdAt: T0 + 10,
        updatedAt: T0 + 3000,
      },
      {
        marketCode: code,
        id: "o2",
        playerId: "p2",
        clientOrderId: "c-2",
        symbol: "GLOBX",
        side: "buy",
        type: "market",
        qty: 5,
        limitPrice: null,
        status: "filled",
        filledQty: 5,
        filledValue: 50_05,
        createdAt: T0 + 11,
        updatedAt: T0 + 11,
      },
    ]);
    expect(t.fills).toEqual([
      {
        marketCode: code,
        id: "f1",
        orderId: "o2",
        playerId: "p2",
        symbol: "GLOBX",
        side: "buy",
        qty: 5,
        price: 10_01,
        fee: 5,
        t: T0 + 11,
        tick: 1,
      },
      {
        marketCode: code,
        id: "f2",
        orderId: "o1",
        playerId: "p1",
        symbol: "ACME",
        side: "buy",
        qty: 10,
        price: 119_99,
        fee: 120,
        t: T0 + 3000,
        tick: 2,
      },
    ]);
    expect(t.news).toEqual([
      {
        marketCode: code,
        id: "n1",
        headline: "Acme wins contract",
        body: "",
        impacts: [{ symbol: "ACME", move: 0.08, ticks: 3 }],
        publishAt: T0 + 20,
        status: "published",
        outboxId: 12,
      },
    ]);
    // One candle row per symbol per tick; a symbol missing from `volumes` traded 0.
    expect(t.candles).toEqual([
      { marketCode: code, symbol: "ACME", tick: 1, t: T0 + 2000, price: 123_50, volume: 0 },
      { marketCode: code, symbol: "GLOBX", tick: 1, t: T0 + 2000, price: 10_02, volume: 5 },
      { marketCode: code, symbol: "ACME", tick: 2, t: T0 + 4000, price: 119_99, volume: 10 },
      { marketCode: code, symbol: "GLOBX", tick: 2, t: T0 + 4000, price: 10_02, volume: 0 },
    ]);
    expect(t.standings).toEqual([
      {
        marketCode: code,
        playerId: "p1",
        name: "Ada",
        rank: 1,
        netWorth: 10_000_00,
        cash: 8_799_90,
        closedAt: T0 + 5000,
      },
      {
        marketCode: code,
        playerId: "p2",
        name: "Linus",
        rank: 2,
        netWorth: 9_999_92,
        cash: 9_949_90,
        closedAt: T0 + 5000,
      },
    ]);
  });

  it("adds nothing when the same batch is written again (a retried drain)", async () => {
    const code = uniqueCode("R");
    const batch = everyKind(code);
    const { first, again, before, after } = await pg(async (db) => {
      const first = await writeOutboxRows(db, batch.rows);
      const before = await tablesOf(db, code);
      const again = await writeOutboxRows(db, batch.rows);
      const after = await tablesOf(db, code);
      return { first, again, before, after };
    });
    expect(after).toEqual(before);
    expect(first.changed).toBeGreaterThan(0);
    // Appends (fills, players, candles, symbols) insert nothing the second time; the
    // upserts rewrite identical values, so every table is exactly as before.
    expect(again.statements).toBe(first.statements);
  });

  it("never rolls an order, a market or news back when an older row arrives later", async () => {
    const code = uniqueCode("O");
    const all = everyKind(code).rows;
    // The newest rows first, then the whole batch again, oldest rows included.
    const t = await pg(async (db) => {
      await writeOutboxRows(db, all.slice(8));
      await writeOutboxRows(db, all.slice(0, 8));
      return tablesOf(db, code);
    });
    expect(t.orders.find((o) => o.id === "o1")).toMatchObject({ status: "filled", updatedAt: T0 + 3000 });
    expect(t.markets[0]).toMatchObject({ status: "closed", outboxId: 14 });
    expect(t.news[0]).toMatchObject({ status: "published" });
  });

  it("splits a large batch into statements of at most 500 rows and lands all of it", async () => {
    const code = uniqueCode("C");
    const rows = fillBacklog(code, 1000);
    const { report, stored } = await pg(async (db) => {
      const report = await writeOutboxRows(db, rows);
      const stored = await db.select().from(fills).where(eq(fills.marketCode, code));
      return { report, stored };
    });
    // One JSON parameter per statement, at most 500 fills each: 2 statements.
    expect(report.statements).toBe(2);
    expect(report.changed).toBe(1000);
    expect(stored).toHaveLength(1000);
    const byId = new Map(stored.map((f) => [f.id, f]));
    for (const r of rows) {
      const { marketCode: _m, v: _v, ...want } = JSON.parse(r.payload);
      expect(byId.get(want.id)).toMatchObject(want);
    }
  });

  it("carries text, doubles and bigints through the JSON exactly", async () => {
    const code = uniqueCode("J");
    const name = `O'Brien "Bobby" \\ 日本語 🚀 ${"x".repeat(50)}`;
    const rows = new OutboxBuilder(code)
      .add("player", { id: "p1", name, joinedAt: Number.MAX_SAFE_INTEGER })
      .add("fill", {
        id: "f1",
        orderId: "o1",
        playerId: "p1",
        symbol: "ACME",
        side: "sell",
        qty: 2 ** 40,
        price: 9_007_199_254_740_000,
        fee: 0,
        t: T0,
        tick: 2 ** 31 - 1,
      })
      .add("market", {
        ...marketPayload("open"),
        symbols: [{ symbol: "ACME", name, sector: "", price: 1, volatility: 0.1 + 0.2, liquidity: 1e-7 }],
      }).rows;
    const t = await pg(async (db) => {
      await writeOutboxRows(db, rows);
      return tablesOf(db, code);
    });
    expect(t.players).toEqual([{ marketCode: code, id: "p1", name, joinedAt: Number.MAX_SAFE_INTEGER }]);
    expect(t.fills[0]).toMatchObject({ qty: 2 ** 40, price: 9_007_199_254_740_000, tick: 2 ** 31 - 1, side: "sell" });
    expect(t.symbols).toEqual([
      { marketCode: code, symbol: "ACME", name, sector: "", price: 1, volatility: 0.1 + 0.2, liquidity: 1e-7 },
    ]);
    expect(t.markets[0]).toMatchObject({ rules: RULES, seed: 4_000_000_000, closedAt: null });
  });

  it("lands nothing of a batch when one of its rows is refused by Postgres", async () => {
    const code = uniqueCode("B");
    const rows = fillBacklog(code, 600);
    // A fill without a price: NOT NULL fails the statement, and the transaction with it.
    const bad = JSON.parse(rows[550].payload);
    delete bad.price;
    rows[550] = { ...rows[550], payload: JSON.stringify(bad) };
    const { error, stored } = await pg(async (db) => {
      const error = await writeOutboxRows(db, rows).then(
        () => null,
        (e: Error) => e,
      );
      const stored = await db.select().from(fills).where(eq(fills.marketCode, code));
      return { error, stored };
    });
    // Named by the outbox rows of the refused statement (501..600: the second 500) and Postgres's reason.
    expect(error?.message).toMatch(
      /^outbox rows 501\.\.600 \(fill\): null value in column "price" of relation "fills" violates not-null constraint/,
    );
    expect(error?.message).toContain("f551");
    expect(error?.message.length).toBeLessThan(1000);
    expect(stored).toHaveLength(0);
  });
});
