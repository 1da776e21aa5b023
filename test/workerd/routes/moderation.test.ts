/**
 * The organiser's moderation through the real routes and the market's SQLite: rename,
 * remove (with open orders: the ledger still balances), blocked names and the word filter.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MarketDurableObject } from "../../../worker/market/MarketDurableObject";
import { testClock } from "../../support/clock";
import { ADMIN, api, connect, createMarket, join, order, stubOf } from "../../support/workerd";

/** Steps the market's clock past one tick and runs its alarm (the tick ranks newcomers). */
async function tick(code: string) {
  testClock().advance(60_000);
  await runDurableObjectAlarm(stubOf(code));
}

const tryJoin = (code: string, name: string) => api("POST", `/api/markets/${code}/join`, { body: { name } });

function expectError(res: { status: number; json: any; text: string }, status: number, code: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.json.error.code).toBe(code);
  expect(typeof res.json.error.message).toBe("string");
}

/**
 * Every player's books, removed players included, straight from SQLite: cash + reserved
 * is the starting cash less what their fills cost plus what they brought in; reserved cash
 * and shares are exactly what their open orders hold.
 */
async function ledgerProblems(code: string, startingCents: number): Promise<string[]> {
  return runInDurableObject(stubOf(code), (_obj: MarketDurableObject, state) => {
    const sql = state.storage.sql;
    const problems: string[] = [];
    const players = sql.exec("SELECT id, cash, reserved, positions, removed_at FROM players").toArray();
    for (const p of players) {
      const id = String(p.id);
      let flow = 0;
      const held: Record<string, number> = {};
      for (const f of sql.exec("SELECT side, qty, price, fee, symbol FROM fills WHERE player_id = ?", id)) {
        const value = Number(f.qty) * Number(f.price);
        flow += f.side === "buy" ? -value - Number(f.fee) : value - Number(f.fee);
        held[String(f.symbol)] = (held[String(f.symbol)] ?? 0) + (f.side === "buy" ? 1 : -1) * Number(f.qty);
      }
      if (Number(p.cash) + Number(p.reserved) !== startingCents + flow)
        problems.push(`${id}: cash does not match fills`);
      const open = sql
        .exec(
          "SELECT side, symbol, qty, filled_qty, reserved_cash FROM orders WHERE player_id = ? AND status IN ('open', 'partially_filled')",
          id,
        )
        .toArray();
      if (p.removed_at !== null && open.length > 0) problems.push(`${id}: removed with open orders`);
      const reservedCash = open.reduce((s, o) => s + Number(o.reserved_cash), 0);
      if (reservedCash !== Number(p.reserved)) problems.push(`${id}: reserved ${p.reserved} != orders ${reservedCash}`);
      const positions = JSON.parse(String(p.positions)) as Record<string, { qty: number; reservedQty: number }>;
      for (const [symbol, pos] of Object.entries(positions)) {
        if (pos.qty !== (held[symbol] ?? 0)) problems.push(`${id}: ${symbol} qty does not match fills`);
        const selling = open
          .filter((o) => o.side === "sell" && o.symbol === symbol)
          .reduce((s, o) => s + Number(o.qty) - Number(o.filled_qty), 0);
        if (pos.reservedQty !== selling) problems.push(`${id}: ${symbol} reservedQty ${pos.reservedQty} != ${selling}`);
      }
    }
    return problems;
  });
}

describe("renaming a player", () => {
  it("shows the new name to the organiser, the room and the player, and refuses taken or filtered names", async () => {
    const code = await createMarket();
    const ann = await join(code, "Ann");
    await join(code, "Bob");
    const sock = await connect(code, ann.token);
    await sock.next((m) => m.type === "snapshot");
    const renamed = await api("PATCH", `/api/markets/${code}/players/${ann.id}`, {
      token: ADMIN,
      body: { name: "  Ａnnie " },
    });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.player).toMatchObject({ id: ann.id, name: "Annie" });
    expect((await sock.next((m) => m.type === "renamed")).name).toBe("Annie");
    await tick(code);
    const board = await api("GET", `/api/markets/${code}/leaderboard`);
    expect(board.json.leaders.map((l: any) => l.name)).toContain("Annie");
    // The old name is free, the new one taken, look-alikes included, also after a restart.
    await evictDurableObject(stubOf(code));
    expectError(await tryJoin(code, "ANNIE"), 409, "NAME_TAKEN");
    expect((await tryJoin(code, "Ann")).status).toBe(201);
    const rename = (name: string) =>
      api("PATCH", `/api/markets/${code}/players/${ann.id}`, { token: ADMIN, body: { name } });
    expectError(await rename("B0B"), 409, "NAME_TAKEN");
    expectError(await rename("sh1t"), 422, "NAME_NOT_ALLOWED");
    expectError(await rename(""), 400, "VALIDATION");
    expectError(
      await api("PATCH", `/api/markets/${code}/players/p999`, { token: ADMIN, body: { name: "X" } }),
      404,
      "NOT_FOUND",
    );
    expectError(
      await api("PATCH", `/api/markets/${code}/players/${ann.id}`, { body: { name: "X" } }),
      401,
      "UNAUTHORIZED",
    );
    const players = await api("GET", `/api/markets/${code}/players`, { token: ADMIN });
    expect(players.json.players.map((p: any) => p.name).sort()).toEqual(["Ann", "Annie", "Bob"]);
  });
});

describe("removing a player", () => {
  it("cancels their open orders, frees what those held, drops them from the standings and closes their socket", async () => {
    const code = await createMarket({ startingCash: 10_000 });
    const ann = await join(code, "Ann");
    const bob = await join(code, "Bob");
    const first = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: order("ACME", "buy", 10),
    });
    expect(first.status, first.text).toBe(201);
    const resting = [
      order("ACME", "buy", 5, { type: "limit", limitPrice: 60 }),
      order("ACME", "sell", 4, { type: "limit", limitPrice: 140 }),
      order("BOLT", "buy", 3, { type: "limit", limitPrice: 20 }),
    ];
    for (const body of resting) {
      const res = await api("POST", `/api/markets/${code}/orders`, { token: ann.token, body });
      expect(res.status, res.text).toBe(201);
      expect(res.json.order.status).toBe("open");
    }
    await api("POST", `/api/markets/${code}/orders`, { token: bob.token, body: order("BOLT", "buy", 2) });
    expect(await ledgerProblems(code, 1_000_000)).toEqual([]);

    const sock = await connect(code, ann.token);
    await sock.next((m) => m.type === "snapshot");
    const removed = await api("DELETE", `/api/markets/${code}/players/${ann.id}`, { token: ADMIN });
    expect(removed.status, removed.text).toBe(200);
    expect(removed.json).toEqual({ removed: { id: ann.id, name: "Ann" }, cancelledOrders: 3, blocked: false });
    expect((await sock.next((m) => m.type === "error")).code).toBe("REMOVED");
    expect((await sock.closed()).code).toBe(4010);

    expect(await ledgerProblems(code, 1_000_000)).toEqual([]);
    const players = await api("GET", `/api/markets/${code}/players`, { token: ADMIN });
    expect(players.json.players.map((p: any) => [p.name, p.rank])).toEqual([["Bob", 1]]);
    const board = await api("GET", `/api/markets/${code}/leaderboard`);
    expect(board.json.leaders.map((l: any) => l.name)).toEqual(["Bob"]);
    // Their token no longer works, their socket is refused, and the fills export keeps their trade.
    expectError(await api("GET", `/api/markets/${code}/portfolio`, { token: ann.token }), 401, "UNAUTHORIZED");
    expect((await (await connect(code, ann.token)).closed()).code).toBe(4001);
    const fills = await api("GET", `/api/markets/${code}/export/fills.csv`, { token: ADMIN });
    expect(fills.text).toContain("Ann");
    expectError(await api("DELETE", `/api/markets/${code}/players/${ann.id}`, { token: ADMIN }), 404, "NOT_FOUND");

    // After a restart the player stays out, and the name is free again (it was not blocked).
    await evictDurableObject(stubOf(code));
    expect((await api("GET", `/api/markets/${code}/players`, { token: ADMIN })).json.players).toHaveLength(1);
    expect(await ledgerProblems(code, 1_000_000)).toEqual([]);
    expect((await tryJoin(code, "Ann")).status).toBe(201);
  });
});

describe("blocking a name", () => {
  it("removes the player and refuses the name and its look-alikes from then on, also after a restart", async () => {
    const code = await createMarket();
    const bob = await join(code, "Bob");
    const res = await api("DELETE", `/api/markets/${code}/players/${bob.id}?block=1`, { token: ADMIN });
    expect(res.status, res.text).toBe(200);
    expect(res.json.blocked).toBe(true);
    await evictDurableObject(stubOf(code));
    for (const name of ["Bob", "BOB", "B0b", "B\u043eb", "Ｂｏｂ"])
      expectError(await tryJoin(code, name), 409, "NAME_BLOCKED");
    expect((await tryJoin(code, "Bobby")).status).toBe(201);
    const mod = await api("GET", `/api/markets/${code}/moderation`, { token: ADMIN });
    expect(mod.json.moderation.blockedNames).toEqual(["Bob"]);
  });
});

describe("the word filter", () => {
  it("starts with the default list, can be replaced per market, and refuses bad input without a change", async () => {
    const code = await createMarket();
    const mod = await api("GET", `/api/markets/${code}/moderation`, { token: ADMIN });
    expect(mod.status).toBe(200);
    expect(mod.json.moderation.bannedWords).toEqual(mod.json.defaultBannedWords);
    expect(mod.json.defaultBannedWords.length).toBeGreaterThan(10);
    expectError(await tryJoin(code, "5h1t"), 422, "NAME_NOT_ALLOWED");
    expect((await tryJoin(code, "Harshit")).status).toBe(201);

    const put = await api("PUT", `/api/markets/${code}/moderation`, {
      token: ADMIN,
      body: { bannedWords: ["*Broccoli*"], blockedNames: ["Zed"] },
    });
    expect(put.status, put.text).toBe(200);
    expect(put.json.moderation).toEqual({ blockedNames: ["Zed"], bannedWords: ["*broccoli*"] });
    expectError(await tryJoin(code, "I love br0cc0li"), 422, "NAME_NOT_ALLOWED");
    expectError(await tryJoin(code, "ZED"), 409, "NAME_BLOCKED");
    expect((await tryJoin(code, "5h1t")).status).toBe(201);

    const bad = await api("PUT", `/api/markets/${code}/moderation`, { token: ADMIN, body: { bannedWords: "shit" } });
    expectError(bad, 400, "VALIDATION");
    const tooLong = await api("PUT", `/api/markets/${code}/moderation`, {
      token: ADMIN,
      body: { bannedWords: ["x".repeat(33)] },
    });
    expectError(tooLong, 400, "VALIDATION");
    expectError(
      await api("PUT", `/api/markets/${code}/moderation`, { body: { bannedWords: [] } }),
      401,
      "UNAUTHORIZED",
    );
    await evictDurableObject(stubOf(code));
    const after = await api("GET", `/api/markets/${code}/moderation`, { token: ADMIN });
    expect(after.json.moderation).toEqual({ blockedNames: ["Zed"], bannedWords: ["*broccoli*"] });
  });
});
