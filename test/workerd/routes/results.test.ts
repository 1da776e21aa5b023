/** The end of the game through the API: the room's results, a player's own, their CSV. */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testClock } from "../../support/clock";
import { ADMIN, api, createMarket, join, order, stubOf } from "../../support/workerd";

async function trade(code: string, token: string, symbol: string, side: "buy" | "sell", qty: number) {
  const res = await api("POST", `/api/markets/${code}/orders`, { token, body: order(symbol, side, qty) });
  expect(res.status, res.text).toBe(201);
  return res.json.order;
}

describe("results", () => {
  it("the room's results and each player's own, final at close", async () => {
    const code = await createMarket();
    const ann = await join(code, "Ann");
    const bob = await join(code, "=Bob"); // a name a spreadsheet would run
    await join(code, "Cy");
    await trade(code, ann.token, "ACME", "buy", 20);
    for (let i = 0; i < 3; i++) {
      testClock().advance(60_000);
      await runDurableObjectAlarm(stubOf(code));
    }
    await trade(code, bob.token, "BOLT", "buy", 300); // 300 x ~25.5 = the biggest trade
    await trade(code, ann.token, "ACME", "sell", 5);
    testClock().advance(60_000);
    await runDurableObjectAlarm(stubOf(code));
    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "close" } });

    const room = await api("GET", `/api/markets/${code}/results`);
    expect(room.status, room.text).toBe(200);
    expect(room.json).toMatchObject({ status: "closed", players: 3 });
    expect(room.json.leaders.map((l: any) => l.rank)).toEqual([1, 2, 3]);
    expect(room.json.biggestTrade).toMatchObject({ player: "=Bob", symbol: "BOLT", side: "buy", qty: 300 });
    const snap = (await api("GET", `/api/markets/${code}`)).json;
    const changes = snap.symbols.map((s: any) => (s.price - s.open) / s.open);
    const best = snap.symbols[changes.indexOf(Math.max(...changes))];
    expect(room.json.bestStock).toMatchObject({ symbol: best.symbol, last: best.price, open: best.open });

    const mine = await api("GET", `/api/markets/${code}/me/result`, { token: ann.token });
    expect(mine.status, mine.text).toBe(200);
    const pf = (await api("GET", `/api/markets/${code}/portfolio`, { token: ann.token })).json;
    expect(mine.json).toMatchObject({ name: "Ann", rank: pf.rank, players: 3, netWorth: pf.netWorth, trades: 2 });
    expect(mine.json.bestTrade.gain).toBeGreaterThanOrEqual(mine.json.worstTrade.gain);
    const series = mine.json.netWorthSeries;
    expect(series.length).toBeGreaterThanOrEqual(5); // the open, four ticks, now
    expect(Math.abs(series[0].netWorth - 10000)).toBeLessThan(100); // the first buy's spread, at the same instant
    expect(series.at(-1).netWorth).toBe(pf.netWorth);
    expect(series.map((p: any) => p.t)).toEqual([...series.map((p: any) => p.t)].sort((a, b) => a - b));
  });

  it("a player downloads their own trades as CSV, and only theirs", async () => {
    const code = await createMarket();
    const ann = await join(code, "Ann");
    const bob = await join(code, "Bob");
    await trade(code, ann.token, "ACME", "buy", 4);
    await trade(code, ann.token, "ACME", "sell", 1);
    await trade(code, bob.token, "BOLT", "buy", 7);
    const csv = await api("GET", `/api/markets/${code}/me/fills.csv`, { token: ann.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${code}-my-trades.csv"`);
    const lines = csv.text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("fill_id,order_id,symbol,side,qty,price,value,fee,time");
    expect(lines.slice(1).map((l) => l.split(",").slice(2, 5).join(","))).toEqual(["ACME,buy,4", "ACME,sell,1"]);
    expect((await api("GET", `/api/markets/${code}/me/fills.csv`)).status).toBe(401);
    expect((await api("GET", `/api/markets/${code}/me/fills.csv`, { token: ADMIN })).status).toBe(403);
    const other = await createMarket();
    expect((await api("GET", `/api/markets/${other}/me/result`, { token: ann.token })).status).toBe(403);
  });
});
