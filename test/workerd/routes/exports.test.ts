/**
 * The CSV exports of a busy market: written page by page, so their size is not bounded by
 * what one RPC may carry (32 MiB). The market's SQLite is seeded directly: placing 300,000
 * orders through the API would take far longer than the export under test.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { parse as parseCsv } from "csv-parse/browser/esm/sync";
import { describe, expect, it } from "vitest";
import { EXPORT_PAGE_MAX, STANDINGS_EXPORT_IDLE_MS } from "../../../worker/market/exports";
import type { MarketDurableObject } from "../../../worker/market/MarketDurableObject";
import { testClock } from "../../support/clock";
import { ADMIN, api, createMarket, join, order, stubOf } from "../../support/workerd";

/** Fill ids and times start here, so the rows are as long as a real market's. */
const T0 = Date.UTC(2026, 0, 1);
/**
 * A fill crossed the RPC boundary as one object of about 120 bytes (nine keys and their
 * values, structured-clone encoded), so 300,000 fills are over 34 MiB in one reply:
 * past the 32 MiB limit that failed the export of a real market.
 */
const FILLS = 300_000;

/** Inserts `count` fills by the market's players, numbered from 1, in one transaction. */
async function seedFills(code: string, playerIds: string[], count: number): Promise<void> {
  await runInDurableObject(stubOf(code), (_instance: MarketDurableObject, state) => {
    state.storage.transactionSync(() => {
      const insert =
        "INSERT INTO fills (no, id, order_id, player_id, symbol, side, qty, price, fee, t, tick) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
      for (let no = 1; no <= count; no++) {
        const player = playerIds[no % playerIds.length];
        state.storage.sql.exec(
          insert,
          no,
          `f${no}`,
          `o${no}`,
          player,
          no % 2 ? "ACME" : "BOLT",
          no % 3 ? "buy" : "sell",
          1 + (no % 500),
          10_000 + (no % 9_000),
          no % 7,
          T0 + no * 10,
          Math.floor(no / 100),
        );
      }
    });
  });
}

describe("the fills export of a busy market", () => {
  it(`streams ${FILLS.toLocaleString("en")} fills, more than one RPC may carry, in order and complete`, async () => {
    const code = await createMarket();
    const players = [await join(code, "Ana"), await join(code, "=Bob"), await join(code, "Cy, the third")];
    await seedFills(
      code,
      players.map((p) => p.id),
      FILLS,
    );

    const started = performance.now();
    const res = await api("GET", `/api/markets/${code}/export/fills.csv`, { token: ADMIN });
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `fills.csv export of ${FILLS} fills: ${seconds.toFixed(2)} s, ${(res.text.length / 2 ** 20).toFixed(1)} MiB`,
    );

    expect(res.status, res.text.slice(0, 300)).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/csv/);
    const lines = res.text.split("\r\n");
    expect(lines.pop()).toBe(""); // every line ends in CRLF, the last one too
    expect(lines).toHaveLength(FILLS + 1);
    expect(lines[0]).toBe("fill_id,order_id,player,symbol,side,qty,price,fee,time");
    // Fill 1: player index 1 (=Bob, guarded against formulas), ACME, buy, 2 shares at 100.01.
    expect(lines[1]).toBe(`f1,o1,'=Bob,ACME,buy,2,100.01,0.01,${new Date(T0 + 10).toISOString()}`);
    const n = FILLS;
    const last = [
      `f${n}`,
      `o${n}`,
      ["Ana", "=Bob", "Cy, the third"][n % 3],
      n % 2 ? "ACME" : "BOLT",
      n % 3 ? "buy" : "sell",
      String(1 + (n % 500)),
      String((10_000 + (n % 9_000)) / 100),
      String((n % 7) / 100),
      new Date(T0 + n * 10).toISOString(),
    ];
    expect(parseCsv(lines[n])[0]).toEqual(last.map((v) => (v === "=Bob" ? "'=Bob" : v)));
    // In fill order, none missing or repeated across page boundaries.
    for (let i = 1; i <= FILLS; i += 4_999) expect(lines[i].startsWith(`f${i},`), lines[i]).toBe(true);
  });
});

describe("export pages", () => {
  it("a fills page carries at most EXPORT_PAGE_MAX rows however many are asked for, and the cursor continues after it", async () => {
    const code = await createMarket();
    const ana = await join(code, "Ana");
    await seedFills(code, [ana.id], EXPORT_PAGE_MAX + 5);
    const stub = stubOf(code);

    const first = await stub.exportFillsPage(0, 1_000_000_000);
    if (!first.ok) throw new Error(first.message);
    expect(first.rows).toHaveLength(EXPORT_PAGE_MAX);
    // What one RPC carries stays small: about 1 MiB as JSON, under 1/20 of the 32 MiB limit.
    expect(JSON.stringify(first).length).toBeLessThan(1.5 * 2 ** 20);
    expect(first.next).toBe(EXPORT_PAGE_MAX);
    const rest = await stub.exportFillsPage(first.next!, 1_000_000_000);
    if (!rest.ok) throw new Error(rest.message);
    expect(rest.rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5].map((i) => `f${EXPORT_PAGE_MAX + i}`));
    expect(rest.next).toBeNull();
  });

  it("a standings export keeps the standings of its start across its pages, while the market moves on", async () => {
    const code = await createMarket({ tickMs: 1000 });
    const players = [];
    for (const name of ["Ana", "Ben", "Cy", "Di", "Ed"]) players.push(await join(code, name));
    const stub = stubOf(code);
    const first = await stub.exportStandingsPage(null, 2);
    if (!first.ok) throw new Error(first.message);
    expect(first.rows.map((r) => r.name)).toEqual(["Ana", "Ben"]);

    // Between pages: a newcomer, a trade and a tick that re-ranks everyone.
    await join(code, "Late");
    await api("POST", `/api/markets/${code}/orders`, { token: players[4].token, body: order("ACME", "buy", 40) });
    testClock().advance(1000);
    await runDurableObjectAlarm(stub);

    const names = first.rows.map((r) => r.name);
    let cursor = first.next;
    while (cursor) {
      const page = await stub.exportStandingsPage(cursor, 2);
      if (!page.ok) throw new Error(page.message);
      names.push(...page.rows.map((r) => r.name));
      cursor = page.next;
    }
    expect(names).toEqual(["Ana", "Ben", "Cy", "Di", "Ed"]);
  });

  it("a standings export left unread for a minute is dropped: its next page is NOT_FOUND", async () => {
    const code = await createMarket();
    for (const name of ["Ana", "Ben", "Cy"]) await join(code, name);
    const stub = stubOf(code);
    const first = await stub.exportStandingsPage(null, 1);
    if (!first.ok) throw new Error(first.message);
    const second = await stub.exportStandingsPage(first.next, 1);
    expect(second.ok).toBe(true);
    testClock().advance(STANDINGS_EXPORT_IDLE_MS + 1);
    const late = await stub.exportStandingsPage(second.ok ? second.next : null, 1);
    expect(late).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("standings.csv of 12,000 players is streamed over several pages, in the organiser's standings order", async () => {
    const code = await createMarket();
    await join(code, "=First");
    // Players written straight into SQLite, then the market reloaded from it.
    await runInDurableObject(stubOf(code), (_instance: MarketDurableObject, state) => {
      state.storage.transactionSync(() => {
        for (let i = 2; i <= 12_000; i++)
          state.storage.sql.exec(
            "INSERT INTO players (id, name, name_key, cash, reserved, positions, open_orders, joined_at) VALUES (?, ?, ?, ?, 0, '{}', 0, ?)",
            `p${i}`,
            `Player ${i}`,
            `player ${i}`,
            1_000_000 + ((i * 7919) % 10_000),
            T0 + i,
          );
      });
    });
    await evictDurableObject(stubOf(code));

    const res = await api("GET", `/api/markets/${code}/export/standings.csv`, { token: ADMIN });
    const players = (await api("GET", `/api/markets/${code}/players`, { token: ADMIN })).json.players;

    expect(res.status, res.text.slice(0, 300)).toBe(200);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual(["rank", "player", "cash", "net_worth", "return_pct"]);
    expect(rows).toHaveLength(12_001);
    expect(players).toHaveLength(12_000);
    expect(rows.slice(1)).toEqual(
      players.map((p: any) => [
        String(p.rank),
        p.name.startsWith("=") ? `'${p.name}` : p.name,
        String(p.cash),
        String(p.netWorth),
        String(p.returnPct),
      ]),
    );
  });
});
