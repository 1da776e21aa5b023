import { beforeAll, describe, expect, it } from "vitest";
import { archivedCandles, archivedFills, archivedMarket, archivedStandings, listArchivedMarkets } from "../../worker/history/archive";
import { withPg } from "../../worker/history/db";
import { writeOutboxRows } from "../../worker/history/pgWriter";
import { everyKind, fillBacklog, T0, uniqueCode } from "./fixtures";
import { noPostgres, pgEnv, requireMigrated, warnIfSkipped } from "./setup";

warnIfSkipped("history: archive reads");

describe.skipIf(noPostgres)("history: archive reads", () => {
  beforeAll(requireMigrated);

  it("lists a closed market with its counts, and its fills and standings in order", async () => {
    const code = uniqueCode("V");
    const open = uniqueCode("U");
    const got = await withPg(pgEnv, async (db) => {
      await writeOutboxRows(db, everyKind(code).rows);
      // A market still open is not in the archive list.
      await writeOutboxRows(db, everyKind(open).rows.slice(0, 4));
      return {
        list: await listArchivedMarkets(db, { limit: 1000 }),
        one: await archivedMarket(db, code),
        fills: await archivedFills(db, code),
        standings: await archivedStandings(db, code),
        candles: await archivedCandles(db, code, "ACME", 60_000),
      };
    });
    expect(got!.list.some((m) => m.code === code)).toBe(true);
    expect(got!.list.some((m) => m.code === open)).toBe(false);
    expect(got!.one).toMatchObject({ code, status: "closed", closedAt: T0 + 5000, players: 2, fills: 2 });
    expect(got!.fills.map((f) => [f.id, f.playerName, f.price])).toEqual([["f1", "Linus", 10_01], ["f2", "Ada", 119_99]]);
    expect(got!.standings.map((s) => [s.rank, s.name, s.netWorth])).toEqual([[1, "Ada", 10_000_00], [2, "Linus", 9_999_92]]);
    // Two ticks within one minute: one candle, open at tick 1, close at tick 2.
    const bucket = T0 + 2000 - ((T0 + 2000) % 60_000);
    expect(got!.candles).toEqual([{ t: bucket, o: 123_50, h: 123_50, l: 119_99, c: 119_99, v: 10 }]);
  });

  it("orders fills by time, then by their number (f9 before f10)", async () => {
    const code = uniqueCode("F");
    const rows = fillBacklog(code, 12).map((r) => {
      const p = JSON.parse(r.payload);
      return { ...r, payload: JSON.stringify({ ...p, t: T0 }) }; // all in the same millisecond
    });
    const list = await withPg(pgEnv, async (db) => {
      await writeOutboxRows(db, rows);
      return archivedFills(db, code);
    });
    expect(list!.map((f) => f.id)).toEqual(Array.from({ length: 12 }, (_, i) => `f${i + 1}`));
  });
});
