import { beforeAll, describe, expect, it } from "vitest";
import {
  archivedCandles,
  archivedFillPages,
  archivedFills,
  archivedMarket,
  archivedStandingPages,
  archivedStandings,
  listArchivedMarkets,
} from "../../worker/history/archive";
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
    expect(got!.fills.map((f) => [f.id, f.playerName, f.price])).toEqual([
      ["f1", "Linus", 10_01],
      ["f2", "Ada", 119_99],
    ]);
    expect(got!.standings.map((s) => [s.rank, s.name, s.netWorth])).toEqual([
      [1, "Ada", 10_000_00],
      [2, "Linus", 9_999_92],
    ]);
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

  it("pages fills by keyset in the same order as one read, none lost or repeated where a page ends inside one millisecond", async () => {
    const code = uniqueCode("K");
    const rows = fillBacklog(code, 23).map((r, i) => {
      const p = JSON.parse(r.payload);
      // f1-f15 share one millisecond (pages of 4 end inside it); f16-f23 run backwards in time.
      return { ...r, payload: JSON.stringify({ ...p, t: i < 15 ? T0 : T0 + 100 - i }) };
    });
    const got = await withPg(pgEnv, async (db) => {
      await writeOutboxRows(db, rows);
      const pages: string[][] = [];
      for await (const page of archivedFillPages(db, code, 4)) pages.push(page.map((f) => f.id));
      return { pages, all: (await archivedFills(db, code)).map((f) => f.id) };
    });
    expect(got!.pages.map((p) => p.length)).toEqual([4, 4, 4, 4, 4, 3]);
    expect(got!.pages.flat()).toEqual(got!.all);
    expect(got!.all).toEqual([
      ...Array.from({ length: 15 }, (_, i) => `f${i + 1}`),
      "f23",
      "f22",
      "f21",
      "f20",
      "f19",
      "f18",
      "f17",
      "f16",
    ]);
  });

  it("pages standings by keyset (rank, then player) in the same order as one read", async () => {
    const code = uniqueCode("S");
    const got = await withPg(pgEnv, async (db) => {
      await writeOutboxRows(db, everyKind(code).rows);
      const pages: string[][] = [];
      for await (const page of archivedStandingPages(db, code, 1)) pages.push(page.map((s) => s.playerId));
      return { pages, all: (await archivedStandings(db, code)).map((s) => s.playerId) };
    });
    expect(got!.pages.flat()).toEqual(got!.all);
    expect(got!.pages.filter((p) => p.length > 0)).toHaveLength(got!.all.length);
  });
});
