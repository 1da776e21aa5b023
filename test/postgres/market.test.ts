// A real market writing its history to Postgres through its outbox: the same fills, the
// same values, exactly once; and the archive routes reading them back after close.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it, beforeAll } from "vitest";
import { withPg } from "../../worker/history/db";
import { writeOutboxRows } from "../../worker/history/pgWriter";
import type { MarketDurableObject } from "../../worker/market/MarketDurableObject";
import { ADMIN, api, createMarket, join, order, stubOf } from "../support/workerd";
import { noPostgres, pgEnv, requireMigrated, warnIfSkipped } from "./setup";

warnIfSkipped("market history");

async function pgFills(code: string) {
  return (
    (await withPg(pgEnv, async (db) => {
      const r = await db.execute<{ id: string; qty: string; price: string; fee: string; side: string; symbol: string }>(
        sql`select id, qty, price, fee, side, symbol from fills where market_code = ${code} order by id`,
      );
      return r.rows.map((f) => ({
        id: f.id,
        qty: Number(f.qty),
        price: Number(f.price),
        fee: Number(f.fee),
        side: f.side,
        symbol: f.symbol,
      }));
    })) ?? []
  );
}

describe.skipIf(noPostgres)("market history in Postgres", () => {
  beforeAll(requireMigrated);

  it("every fill the market made is in Postgres once, with the same values; a repeated write adds nothing", async () => {
    const code = await createMarket({ startingCash: 100_000, rules: { feeRate: 0.001 } });
    const players = [await join(code, "Hana"), await join(code, "Ivo"), await join(code, "Jun")];
    for (let round = 0; round < 4; round++) {
      for (const p of players) {
        await api("POST", `/api/markets/${code}/orders`, { token: p.token, body: order("ACME", "buy", 3 + round) });
        await api("POST", `/api/markets/${code}/orders`, {
          token: p.token,
          body: order("BOLT", "buy", 5, { type: "limit", limitPrice: 27 }),
        });
      }
      // Capture what this tick's drain will send, to write it a second time afterwards.
      const pending = await runInDurableObject(
        stubOf(code),
        (_i: MarketDurableObject, state) =>
          [...state.storage.sql.exec("SELECT id, kind, payload FROM outbox ORDER BY id")] as {
            id: number;
            kind: never;
            payload: string;
          }[],
      );
      await runDurableObjectAlarm(stubOf(code));
      const before = await pgFills(code);
      await withPg(pgEnv, (db) => writeOutboxRows(db, pending));
      expect(await pgFills(code)).toEqual(before);
    }

    const admin = await api("GET", `/api/markets/${code}/admin`, { token: ADMIN });
    expect(admin.json.history).toMatchObject({ enabled: true, outboxDepth: 0, failures: 0 });

    const csv = await api("GET", `/api/markets/${code}/export/fills.csv`, { token: ADMIN });
    const marketFills = csv.text
      .trim()
      .split("\r\n")
      .slice(1)
      .map((line) => line.split(","))
      .map(([id, , , symbol, side, qty, price, fee]) => ({
        id,
        qty: Number(qty),
        price: Math.round(Number(price) * 100),
        fee: Math.round(Number(fee) * 100),
        side,
        symbol,
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(marketFills.length).toBeGreaterThanOrEqual(12);
    expect(await pgFills(code)).toEqual(marketFills);
  });

  it("after close the archive lists the market and serves its fills and standings", async () => {
    const code = await createMarket();
    const p = await join(code, "Kai");
    await api("POST", `/api/markets/${code}/orders`, { token: p.token, body: order("ACME", "buy", 2) });
    await runDurableObjectAlarm(stubOf(code)); // a tick: the 2 shares traded are its volume
    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "close" } });
    await runDurableObjectAlarm(stubOf(code));

    const list = await api("GET", "/api/archive/markets", { token: ADMIN });
    expect(list.json.markets.find((m: any) => m.code === code)).toMatchObject({ players: 1, fills: 1 });
    const fills = await api("GET", `/api/archive/markets/${code}/fills.csv`, { token: ADMIN });
    expect(fills.text).toContain(",Kai,ACME,buy,2,");
    const candles = await api("GET", `/api/archive/markets/${code}/candles/ACME?interval=tick`, { token: ADMIN });
    expect(candles.status).toBe(200);
    expect(candles.json.candles.map((k: any) => k.v)).toEqual([2]);
    const standings = await api("GET", `/api/archive/markets/${code}/standings.csv`, { token: ADMIN });
    expect(standings.text.split("\r\n")[1]).toMatch(/^1,Kai,/);
    expect(
      (await api("GET", "/api/archive/markets", { token: (await join(await createMarket(), "Pl")).token })).status,
    ).toBe(403);
  });
});
