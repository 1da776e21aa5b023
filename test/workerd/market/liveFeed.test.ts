import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testClock } from "../../support/clock";
import { ADMIN, api, connect, createMarket, join, order, marketSnapshot, stubOf } from "../../support/workerd";

describe("the live feed", () => {
  it("a new socket gets a snapshot; a player's snapshot carries their portfolio", async () => {
    const code = await createMarket();
    const ann = await join(code, "Ann");
    const pub = await connect(code);
    const mine = await connect(code, ann.token);
    const publicSnap = await pub.next((m) => m.type === "snapshot");
    expect(publicSnap).toMatchObject({ v: 1, market: { code, status: "open" } });
    expect(publicSnap.portfolio).toBeUndefined();
    expect(publicSnap.symbols.map((s: any) => s.symbol)).toEqual(["ACME", "BOLT"]);
    const playerSnap = await mine.next((m) => m.type === "snapshot");
    expect(playerSnap.portfolio).toMatchObject({ cash: 10000, reserved: 0 });
  });

  it("seq rises by exactly one per public message: ticks, news and status changes", async () => {
    const code = await createMarket();
    const sock = await connect(code);
    const snap = await sock.next((m) => m.type === "snapshot");
    const stub = stubOf(code);

    await runDurableObjectAlarm(stub);
    await api("POST", `/api/markets/${code}/news`, { token: ADMIN, body: { headline: "Quiet day", impacts: [] } });
    await runDurableObjectAlarm(stub);
    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "pause" } });
    await sock.next((m) => m.type === "status" && m.status === "paused");

    const publicMessages = sock.messages.filter((m) => m.type === "tick" || m.type === "news" || m.type === "status");
    expect(publicMessages.map((m) => m.type)).toEqual(["tick", "news", "tick", "status"]);
    expect(publicMessages.map((m) => m.seq)).toEqual([snap.seq + 1, snap.seq + 2, snap.seq + 3, snap.seq + 4]);
  });

  it("a socket that connects after news sees it in its snapshot, newest first, also news published on schedule", async () => {
    const code = await createMarket();
    const stub = stubOf(code);
    // Snapshots before any news (this also fills the market's copy of the latest news).
    expect((await (await connect(code)).next((m) => m.type === "snapshot")).news).toEqual([]);
    await api("POST", `/api/markets/${code}/news`, { token: ADMIN, body: { headline: "First", impacts: [] } });
    expect((await (await connect(code)).next((m) => m.type === "snapshot")).news.map((n: any) => n.headline)).toEqual([
      "First",
    ]);
    const soon = testClock().now() + 300;
    expect(
      (
        await api("POST", `/api/markets/${code}/news`, {
          token: ADMIN,
          body: { headline: "Later", impacts: [], publishAt: soon },
        })
      ).status,
    ).toBe(201);
    // Scheduled, not published: not in a snapshot yet.
    expect((await (await connect(code)).next((m) => m.type === "snapshot")).news.map((n: any) => n.headline)).toEqual([
      "First",
    ]);
    testClock().advance(350);
    await runDurableObjectAlarm(stub);
    expect((await (await connect(code)).next((m) => m.type === "snapshot")).news.map((n: any) => n.headline)).toEqual([
      "Later",
      "First",
    ]);
    // A restart keeps them (read back from SQLite).
    await evictDurableObject(stub);
    expect((await (await connect(code)).next((m) => m.type === "snapshot")).news.map((n: any) => n.headline)).toEqual([
      "Later",
      "First",
    ]);
  });

  it("one tick message carries every price and the leaders", async () => {
    const code = await createMarket();
    await join(code, "Ben");
    const sock = await connect(code);
    await runDurableObjectAlarm(stubOf(code));
    const tick = await sock.next((m) => m.type === "tick");
    expect(tick.prices.map((p: any) => p.symbol)).toEqual(["ACME", "BOLT"]);
    for (const p of tick.prices) expect(p.ask).toBeGreaterThan(p.bid);
    expect(tick.leaders[0]).toMatchObject({ rank: 1, name: "Ben", netWorth: 10000 });
  });

  it("a fill goes privately to the player's own sockets only", async () => {
    const code = await createMarket();
    const cat = await join(code, "Cat");
    const dov = await join(code, "Dov");
    const catSock = await connect(code, cat.token);
    const dovSock = await connect(code, dov.token);
    await catSock.next((m) => m.type === "snapshot");
    await dovSock.next((m) => m.type === "snapshot");
    await api("POST", `/api/markets/${code}/orders`, { token: cat.token, body: order("ACME", "buy", 3) });
    const fill = await catSock.next((m) => m.type === "fill");
    expect(fill.order).toMatchObject({ symbol: "ACME", qty: 3, status: "filled" });
    expect(fill.portfolio.positions[0]).toMatchObject({ symbol: "ACME", qty: 3 });
    await runDurableObjectAlarm(stubOf(code));
    await dovSock.next((m) => m.type === "tick");
    expect(dovSock.messages.some((m) => m.type === "fill")).toBe(false);
  });

  it("answers ping with pong, resync with a snapshot, and anything else with an error while staying open", async () => {
    const code = await createMarket();
    const sock = await connect(code);
    await sock.next((m) => m.type === "snapshot");
    sock.ws.send("ping");
    await sock.next((m) => m === "pong");
    sock.ws.send("{not json");
    const err = await sock.next((m) => m.type === "error");
    expect(err.code).toBe("VALIDATION");
    sock.ws.send(JSON.stringify({ type: "resync" }));
    await sock.next((m) => m.type === "snapshot" && sock.messages.indexOf(m) > 0);
    expect(sock.messages.filter((m) => m.type === "snapshot")).toHaveLength(2);
  });

  it("refuses a forged token with a 4001 close and a reason", async () => {
    const code = await createMarket();
    const sock = await connect(code, "not-a-real-token");
    const closed = await sock.closed();
    expect(closed.code).toBe(4001);
    expect(closed.reason).toMatch(/token/i);
  });

  it("closes with 4004 for a market that does not exist", async () => {
    const sock = await connect("NOPE404");
    expect((await sock.closed()).code).toBe(4004);
  });

  it("a socket survives the object being evicted, and the next tick still reaches it", async () => {
    const code = await createMarket();
    const sock = await connect(code);
    const snap = await sock.next((m) => m.type === "snapshot");
    const stub = stubOf(code);
    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);
    const tick = await sock.next((m) => m.type === "tick");
    expect(tick.seq).toBe(snap.seq + 1);
  });
});

describe("the lobby", () => {
  it("announces joins before the bell: one lobby message for a burst of joins, with the next seq, spaced out", async () => {
    const code = await createMarket({ open: false, tickMs: 500 });
    const stub = stubOf(code);
    const screen = await connect(code);
    const snap = await screen.next((m) => m.type === "snapshot");
    expect(snap.market).toMatchObject({ status: "lobby", players: 0 });
    // Whatever else an alarm does (with Postgres history on, it drains), before anyone joins
    // there is nothing to announce: the first lobby message below takes the very next seq.
    await runDurableObjectAlarm(stub);

    await join(code, "Ann");
    await join(code, "Bo");
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const first = await screen.next((m) => m.type === "lobby");
    expect(first).toMatchObject({ seq: snap.seq + 1, players: 2 });
    expect(first.leaders.map((l: any) => [l.rank, l.name])).toEqual([
      [1, "Ann"],
      [2, "Bo"],
    ]);
    // Said once: an alarm with nobody new says nothing (the next message takes the next seq).
    await runDurableObjectAlarm(stub);

    // The next one waits for its interval (min(tick, 2 s) = 500 ms here) after the last.
    await join(code, "Cy");
    const alarmAt = await runInDurableObject(stub, (_: unknown, ctx: DurableObjectState) => ctx.storage.getAlarm());
    expect(alarmAt).not.toBeNull();
    expect(alarmAt! - testClock().now()).toBeGreaterThan(200);
    await runDurableObjectAlarm(stub); // too early: nothing yet
    testClock().advance(550);
    await runDurableObjectAlarm(stub);
    const second = await screen.next((m) => m.type === "lobby" && m.players === 3);
    expect(second.seq).toBe(first.seq + 1);
    expect(screen.messages.filter((m) => m.type === "lobby")).toHaveLength(2);
    // A socket that connects now sees the same roster and seq in its snapshot.
    const late = await connect(code);
    expect(await late.next((m) => m.type === "snapshot")).toMatchObject({ seq: second.seq, market: { players: 3 } });

    // The bell: the status message takes the next seq, and ticks (not lobby messages) follow.
    const opened = await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } });
    expect(opened.status, opened.text).toBe(200);
    expect((await screen.next((m) => m.type === "status")).seq).toBe(second.seq + 1);
    await join(code, "Di");
    await runDurableObjectAlarm(stub);
    expect((await screen.next((m) => m.type === "tick")).seq).toBe(second.seq + 2);
    expect(screen.messages.filter((m) => m.type === "lobby")).toHaveLength(2);
  });

  it("a join is still announced when the object restarts before its alarm", async () => {
    const code = await createMarket({ open: false });
    const stub = stubOf(code);
    const screen = await connect(code);
    const snap = await screen.next((m) => m.type === "snapshot");
    await join(code, "Ann");
    await evictDurableObject(stub);
    await runDurableObjectAlarm(stub);
    expect(await screen.next((m) => m.type === "lobby")).toMatchObject({ seq: snap.seq + 1, players: 1 });
  });
});

describe("the tick", () => {
  it("scheduled news is published at its time, not before", async () => {
    const code = await createMarket();
    const sock = await connect(code);
    await sock.next((m) => m.type === "snapshot");
    const publishAt = testClock().now() + 300;
    const res = await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "Earnings at noon", impacts: [{ symbol: "ACME", move: 0.05 }], publishAt },
    });
    expect(res.status).toBe(201);
    expect(res.json.news.status).toBe("scheduled");
    expect(sock.messages.some((m) => m.type === "news")).toBe(false);

    testClock().advance(400);
    await runDurableObjectAlarm(stubOf(code));
    const news = await sock.next((m) => m.type === "news");
    expect(news.news).toMatchObject({ headline: "Earnings at noon", status: "published" });
    expect(news.news.t).toBeGreaterThanOrEqual(publishAt);
  });

  it("a cancelled scheduled item never publishes", async () => {
    const code = await createMarket();
    const res = await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "Rumour", impacts: [], publishAt: testClock().now() + 200 },
    });
    const del = await api("DELETE", `/api/markets/${code}/news/${res.json.news.id}`, { token: ADMIN });
    expect(del.status).toBe(200);
    testClock().advance(300);
    await runDurableObjectAlarm(stubOf(code));
    const snap = await api("GET", `/api/markets/${code}`);
    expect(snap.json.news.find((n: any) => n.headline === "Rumour")).toBeUndefined();
    // Cancelling it again: it is no longer a scheduled item.
    expect((await api("DELETE", `/api/markets/${code}/news/${res.json.news.id}`, { token: ADMIN })).status).toBe(404);
  });

  it("a big news move trips the circuit breaker, which resumes by itself", async () => {
    const code = await createMarket({ rules: { haltBand: 0.15, haltTicks: 2 } });
    const sock = await connect(code);
    await sock.next((m) => m.type === "snapshot");
    const stub = stubOf(code);
    await api("POST", `/api/markets/${code}/news`, {
      token: ADMIN,
      body: { headline: "ACME doubles", impacts: [{ symbol: "ACME", move: 1 }] },
    });

    await runDurableObjectAlarm(stub);
    const halted = await sock.next((m) => m.type === "status" && m.halted.includes("ACME"));
    expect(halted.haltedUntil.ACME).toBeGreaterThan(testClock().now());
    expect((await marketSnapshot(code)).symbols[0].halted).toBe(true);

    await runDurableObjectAlarm(stub);
    await runDurableObjectAlarm(stub);
    await sock.next((m) => m.type === "status" && !m.halted.includes("ACME"));
    expect((await marketSnapshot(code)).symbols[0].halted).toBe(false);
  });

  it("state and the price sequence survive a restart: a restarted market matches one that never stopped", async () => {
    const steady = await createMarket();
    const restarted = await createMarket();
    for (const code of [steady, restarted]) {
      const p = await join(code, "Pat");
      await api("POST", `/api/markets/${code}/orders`, {
        token: p.token,
        body: order("ACME", "buy", 7, { clientOrderId: "same-1" }),
      });
    }
    for (let i = 0; i < 3; i++) {
      await runDurableObjectAlarm(stubOf(steady));
      await runDurableObjectAlarm(stubOf(restarted));
    }
    await evictDurableObject(stubOf(restarted));
    for (let i = 0; i < 3; i++) {
      await runDurableObjectAlarm(stubOf(steady));
      await runDurableObjectAlarm(stubOf(restarted));
    }
    const a = await marketSnapshot(steady);
    const b = await marketSnapshot(restarted);
    expect(b.seq).toBe(a.seq);
    expect(b.symbols.map((s: any) => [s.price, s.volume])).toEqual(a.symbols.map((s: any) => [s.price, s.volume]));
    expect(b.leaders).toEqual(a.leaders);
  });

  it("candles are built from the ticks", async () => {
    const code = await createMarket();
    // One tick per tick length, as the alarm would run them (createMarket's tick is 60 s).
    for (let i = 0; i < 4; i++) {
      testClock().advance(60_000);
      await runDurableObjectAlarm(stubOf(code));
    }
    const res = await api("GET", `/api/markets/${code}/candles/ACME?interval=tick`);
    expect(res.status).toBe(200);
    expect(res.json.candles.length).toBeGreaterThanOrEqual(4);
    for (const c of res.json.candles) {
      expect(c.h).toBeGreaterThanOrEqual(Math.max(c.o, c.c));
      expect(c.l).toBeLessThanOrEqual(Math.min(c.o, c.c));
    }
  });
});

describe("abuse of the feed", () => {
  it("a socket flooding frames is closed with 4008 and a reason; others keep their feed", async () => {
    const code = await createMarket();
    const flooder = await connect(code);
    const calm = await connect(code);
    await flooder.next((m) => m.type === "snapshot");
    await calm.next((m) => m.type === "snapshot");
    // ping is answered by the runtime without waking the market, so it is free; JSON frames are not.
    for (let i = 0; i < 40; i++) flooder.ws.send(JSON.stringify({ type: "resync" }));
    const closed = await flooder.closed();
    expect(closed.code).toBe(4008);
    expect(closed.reason).toMatch(/too many/i);
    await runDurableObjectAlarm(stubOf(code));
    await calm.next((m) => m.type === "tick");
  });
});
