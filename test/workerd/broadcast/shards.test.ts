import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { testClock } from "../../support/clock";
import { describe, expect, it } from "vitest";
import { shardIndex, shardName } from "../../../worker/broadcast/shards";
import { ADMIN, api, connect, createMarket, join, order, stubOf } from "../../support/workerd";

const shardOf = (code: string, i: number) =>
  env.BROADCAST_SHARD.get(env.BROADCAST_SHARD.idFromName(shardName(code, i)));
const SHARDS = 4;

/** A market in the lobby with its feed on SHARDS shards, then opened. */
async function shardedMarket() {
  const code = await createMarket({ open: false });
  const set = await api("PUT", `/api/markets/${code}/feed`, { token: ADMIN, body: { broadcastShards: SHARDS } });
  expect(set.status, set.text).toBe(200);
  expect(set.json).toEqual({ broadcastShards: SHARDS });
  return code;
}

async function open(code: string) {
  const res = await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } });
  expect(res.status, res.text).toBe(200);
}

/** Players whose ids land on every shard (ids are p1, p2, ... in join order). */
async function playersOnEveryShard(code: string) {
  const players: { token: string; id: string }[] = [];
  const covered = new Set<number>();
  for (let i = 0; covered.size < SHARDS && i < 64; i++) {
    const p = await join(code, `Player ${i}`);
    players.push(p);
    covered.add(shardIndex(p.id, SHARDS));
  }
  expect(covered.size).toBe(SHARDS);
  return players;
}

describe("the live feed through broadcast shards", () => {
  it("a tick reaches every socket on every shard exactly once, with the next seq", async () => {
    const code = await shardedMarket();
    const players = await playersOnEveryShard(code);
    await open(code);
    // Players on every shard, plus viewers spread at random.
    const socks = [
      ...(await Promise.all(players.map((p) => connect(code, p.token)))),
      ...(await Promise.all(Array.from({ length: 8 }, () => connect(code)))),
    ];
    const snaps = await Promise.all(socks.map((s) => s.next((m) => m.type === "snapshot")));
    const seq = snaps[0].seq;
    for (const s of snaps) expect(s.seq).toBe(seq);
    // The market holds group 0 itself; shards 1..K-1 hold the rest, and shard 0 is never used.
    const counts = await Promise.all(Array.from({ length: SHARDS }, (_, i) => shardOf(code, i).socketCount()));
    const onMarket = players.filter((p) => shardIndex(p.id, SHARDS) === 0);
    const marketSockets = await runInDurableObject(
      stubOf(code),
      (_: unknown, ctx: DurableObjectState) => ctx.getWebSockets().length,
    );
    expect(counts[0]).toBe(0);
    for (let i = 1; i < SHARDS; i++) expect(counts[i]).toBeGreaterThan(0);
    // Every socket is in exactly one place, and each group-0 player is on the market itself.
    expect(marketSockets + counts.reduce((a, b) => a + b, 0)).toBe(socks.length);
    for (const p of onMarket)
      expect(
        await runInDurableObject(
          stubOf(code),
          (_: unknown, ctx: DurableObjectState) => ctx.getWebSockets(`p:${p.id}`).length,
        ),
      ).toBe(1);

    await runDurableObjectAlarm(stubOf(code));
    await Promise.all(socks.map((s) => s.next((m) => m.type === "tick")));
    await runDurableObjectAlarm(stubOf(code));
    await Promise.all(socks.map((s) => s.next((m) => m.type === "tick" && m.seq === seq + 2)));
    for (const s of socks) {
      const ticks = s.messages.filter((m) => m.type === "tick");
      expect(ticks.map((t) => t.seq)).toEqual([seq + 1, seq + 2]);
    }
  });

  it("a player's fill reaches only that player's socket, on that player's shard", async () => {
    const code = await shardedMarket();
    const players = await playersOnEveryShard(code);
    await open(code);
    const socks = await Promise.all(players.map((p) => connect(code, p.token)));
    await Promise.all(socks.map((s) => s.next((m) => m.type === "snapshot")));
    const viewer = await connect(code);
    await viewer.next((m) => m.type === "snapshot");

    const buyer = players[players.length - 1];
    const res = await api("POST", `/api/markets/${code}/orders`, { token: buyer.token, body: order("ACME", "buy", 2) });
    expect(res.status, res.text).toBe(201);
    const fill = await socks[socks.length - 1].next((m) => m.type === "fill");
    expect(fill.order).toMatchObject({ symbol: "ACME", qty: 2, status: "filled" });
    expect(fill.portfolio.positions[0]).toMatchObject({ symbol: "ACME", qty: 2 });

    // A player in group 0 is held by the market object itself, and gets fills from it.
    const home = players.findIndex((p) => shardIndex(p.id, SHARDS) === 0);
    expect(home).toBeGreaterThanOrEqual(0);
    expect(home).not.toBe(players.length - 1);
    const res0 = await api("POST", `/api/markets/${code}/orders`, {
      token: players[home].token,
      body: order("ACME", "buy", 1),
    });
    expect(res0.status, res0.text).toBe(201);
    expect((await socks[home].next((m) => m.type === "fill")).order).toMatchObject({ qty: 1, status: "filled" });

    // A tick after the fills has reached everyone, so nothing private can still be on its way.
    await runDurableObjectAlarm(stubOf(code));
    await Promise.all([...socks, viewer].map((s) => s.next((m) => m.type === "tick")));
    const buyers = new Set([home, socks.length - 1]);
    for (const s of [...socks.filter((_, i) => !buyers.has(i)), viewer])
      expect(s.messages.some((m) => m.type === "fill")).toBe(false);
    for (const i of buyers) expect(socks[i].messages.filter((m) => m.type === "fill")).toHaveLength(1);
  });

  it("resync through a shard answers with a fresh snapshot, and ping with pong without the market", async () => {
    const code = await shardedMarket();
    const ann = await join(code, "Ann");
    await open(code);
    const sock = await connect(code, ann.token);
    const first = await sock.next((m) => m.type === "snapshot");
    expect(first.portfolio).toMatchObject({ cash: 10000 });
    await runDurableObjectAlarm(stubOf(code));
    await sock.next((m) => m.type === "tick");

    sock.ws.send("ping");
    await sock.next((m) => m === "pong");
    sock.ws.send(JSON.stringify({ type: "resync" }));
    const again = await sock.next((m) => m.type === "snapshot" && sock.messages.indexOf(m) > 0);
    expect(again.seq).toBe(first.seq + 1);
    expect(again.portfolio).toMatchObject({ cash: 10000 });
    sock.ws.send("{not json");
    expect((await sock.next((m) => m.type === "error")).code).toBe("VALIDATION");

    // The feed goes on after the resync with the seq that follows the snapshot.
    await runDurableObjectAlarm(stubOf(code));
    const tick = await sock.next((m) => m.type === "tick" && m.seq === again.seq + 1);
    expect(tick.seq).toBe(again.seq + 1);
  });

  it("in the lobby, the roster reaches every group; regrouping asks connected sockets to reconnect", async () => {
    const code = await shardedMarket();
    const players = await playersOnEveryShard(code);
    const socks = await Promise.all(players.map((p) => connect(code, p.token)));
    const snaps = await Promise.all(socks.map((s) => s.next((m) => m.type === "snapshot")));
    await runDurableObjectAlarm(stubOf(code));
    const lobby = await Promise.all(socks.map((s) => s.next((m) => m.type === "lobby")));
    for (const m of lobby) expect(m).toMatchObject({ seq: snaps[0].seq + 1, players: players.length });

    // The organiser changes the split while sockets are connected: each is closed with
    // 1012 and a reason (the client reconnects into its new group), none is left deaf.
    const set = await api("PUT", `/api/markets/${code}/feed`, { token: ADMIN, body: { broadcastShards: 2 } });
    expect(set.status, set.text).toBe(200);
    const closes = await Promise.all(socks.map((s) => s.closed()));
    for (const c of closes) expect(c).toMatchObject({ code: 1012, reason: expect.stringContaining("reconnect") });
    const again = await connect(code, players[0].token);
    expect((await again.next((m) => m.type === "snapshot")).seq).toBe(snaps[0].seq + 1);
    // Setting the same split again closes nothing.
    expect((await api("PUT", `/api/markets/${code}/feed`, { token: ADMIN, body: { broadcastShards: 2 } })).status).toBe(
      200,
    );
    // The next roster waits its 2 s after the last one.
    await join(code, "Late");
    testClock().advance(2000);
    await runDurableObjectAlarm(stubOf(code));
    expect((await again.next((m) => m.type === "lobby" && m.players === players.length + 1)).seq).toBe(
      snaps[0].seq + 2,
    );
  });

  it("the shard count is the organiser's, set in the lobby only, and checked like any input", async () => {
    const code = await createMarket();
    // Open already: too late to move sockets around.
    const late = await api("PUT", `/api/markets/${code}/feed`, { token: ADMIN, body: { broadcastShards: 4 } });
    expect(late.status).toBe(409);
    expect(late.json.error.code).toBe("MARKET_NOT_OPEN");
    const lobby = await createMarket({ open: false });
    expect(
      (await api("PUT", `/api/markets/${lobby}/feed`, { token: ADMIN, body: { broadcastShards: 65 } })).status,
    ).toBe(400);
    const ann = await join(lobby, "Ann");
    expect(
      (await api("PUT", `/api/markets/${lobby}/feed`, { token: ann.token, body: { broadcastShards: 2 } })).status,
    ).toBe(403);
    // Unknown market and bad tokens are still refused with close codes through the shard route.
    const set = await api("PUT", `/api/markets/${lobby}/feed`, { token: ADMIN, body: { broadcastShards: 2 } });
    expect(set.status).toBe(200);
    const bad = await connect(lobby, "not-a-token");
    expect((await bad.closed()).code).toBe(4001);
    const none = await connect("NOSUCHMKT");
    expect((await none.closed()).code).toBe(4004);
  });
});
