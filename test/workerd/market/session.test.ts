/**
 * Timed sessions through the API and the alarm: the market opens and closes by itself on
 * time, also when the object restarts between scheduling and the bell.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { MarketDurableObject } from "../../../worker/market/MarketDurableObject";
import type { Wakeups } from "../../../worker/market/wakeups";
import { testClock } from "../../support/clock";
import { ADMIN, api, connect, createMarket, join, stubOf, SYMBOLS, uniqueCode } from "../../support/workerd";

/**
 * When the session needs the object next, and whether the stored alarm will wake it by
 * then. The alarm itself may be earlier: other reasons share it (the Postgres outbox's
 * retry, when history is configured, the roster), and an early wake-up changes nothing.
 */
/** The object's wake-up reasons (private to it: the test reads them as the object does). */
const wakeupsOf = (instance: MarketDurableObject) => (instance as unknown as { wakeups: Wakeups }).wakeups;

async function sessionWakeOf(code: string): Promise<number | null> {
  let due: number | null = null;
  let alarm: number | null = null;
  await runInDurableObject(stubOf(code), async (instance: MarketDurableObject, state) => {
    due = wakeupsOf(instance).dueAt("session");
    alarm = await state.storage.getAlarm();
  });
  if (due !== null) {
    expect(alarm, "the stored alarm wakes the object by the session's time").not.toBeNull();
    expect(alarm).toBeLessThanOrEqual(due);
  }
  return due;
}
const statusOf = async (code: string) => (await api("GET", `/api/markets/${code}`)).json.market.status as string;
const listed = async (code: string) =>
  (await api("GET", "/api/markets", { token: ADMIN })).json.markets.find((m: any) => m.code === code);

async function createTimed(session: unknown) {
  const code = uniqueCode("S");
  const res = await api("POST", "/api/markets", {
    token: ADMIN,
    body: { code, name: `Timed ${code}`, startingCash: 10000, tickMs: 60_000, symbols: SYMBOLS, session },
  });
  return { code, res };
}

describe("a timed session", () => {
  it("opens and closes by itself on time, across restarts, and the public state says when", async () => {
    const t0 = testClock().now();
    const { code, res } = await createTimed({ opensAt: t0 + 60_000, closesAt: t0 + 360_000 });
    expect(res.status, res.text).toBe(201);
    expect(res.json.market.session).toEqual({ opensAt: t0 + 60_000, closesAt: t0 + 360_000, durationMs: null });
    const snap = await api("GET", `/api/markets/${code}`);
    expect(snap.json.market).toMatchObject({
      status: "lobby",
      session: { opensAt: t0 + 60_000, closesAt: t0 + 360_000 },
    });
    expect(await sessionWakeOf(code)).toBe(t0 + 60_000);
    const ann = await join(code, "Ann");

    // Restart before the bell: the alarm and the schedule are both durable.
    await evictDurableObject(stubOf(code));
    testClock().advance(30_000);
    await runDurableObjectAlarm(stubOf(code)); // early (a roster alarm, say): nothing opens
    expect(await statusOf(code)).toBe("lobby");
    const screen = await connect(code);
    await screen.next((m) => m.type === "snapshot");
    testClock().advance(30_000);
    await runDurableObjectAlarm(stubOf(code));
    const opened = await screen.next((m) => m.type === "status" && m.status === "open");
    expect(opened.session).toEqual({ opensAt: t0 + 60_000, closesAt: t0 + 360_000, durationMs: null });
    expect(opened.t).toBe(t0 + 60_000);
    expect(await statusOf(code)).toBe("open");
    expect((await listed(code)).status).toBe("open");

    // Players trade; a restart mid-session keeps the close.
    const buy = await api("POST", `/api/markets/${code}/orders`, {
      token: ann.token,
      body: { clientOrderId: "b1", symbol: "ACME", side: "buy", type: "market", qty: 3 },
    });
    expect(buy.status, buy.text).toBe(201);
    await evictDurableObject(stubOf(code));
    testClock().advance(299_000);
    await runDurableObjectAlarm(stubOf(code));
    expect(await statusOf(code)).toBe("open");
    testClock().advance(1_000);
    await runDurableObjectAlarm(stubOf(code));
    expect(await statusOf(code)).toBe("closed");
    expect((await listed(code)).status).toBe("closed");
    expect(await sessionWakeOf(code)).toBeNull();
    let tickDue: number | null = 0;
    await runInDurableObject(stubOf(code), (instance: MarketDurableObject) => {
      tickDue = wakeupsOf(instance).dueAt("tick");
    });
    expect(tickDue).toBeNull();
  });

  it("a duration counts from the organiser's open", async () => {
    const { code, res } = await createTimed({ durationMs: 120_000 });
    expect(res.status, res.text).toBe(201);
    expect(await sessionWakeOf(code)).toBeNull(); // nothing to wake for until the open
    testClock().advance(5_000);
    const t1 = testClock().now();
    const open = await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } });
    expect(open.json.market.session).toEqual({ opensAt: t1, closesAt: t1 + 120_000, durationMs: 120_000 });
    testClock().advance(120_000);
    await evictDurableObject(stubOf(code));
    await runDurableObjectAlarm(stubOf(code));
    expect(await statusOf(code)).toBe("closed");
  });

  it("is set, moved and cleared in the lobby by the organiser only, and tells the sockets", async () => {
    const code = await createMarket({ open: false });
    const screen = await connect(code);
    const snap = await screen.next((m) => m.type === "snapshot");
    expect(snap.market.session).toEqual({ opensAt: null, closesAt: null, durationMs: null });
    const t0 = testClock().now();
    const body = { opensAt: t0 + 10_000, durationMs: 600_000 };
    expect((await api("PATCH", `/api/markets/${code}/session`, { body })).status).toBe(401);
    const set = await api("PATCH", `/api/markets/${code}/session`, { token: ADMIN, body });
    expect(set.status, set.text).toBe(200);
    expect(set.json.market.session).toEqual({ opensAt: t0 + 10_000, closesAt: null, durationMs: 600_000 });
    const told = await screen.next((m) => m.type === "status");
    expect(told).toMatchObject({ seq: snap.seq + 1, status: "lobby", session: set.json.market.session });
    expect(await sessionWakeOf(code)).toBe(t0 + 10_000);

    const cleared = await api("PATCH", `/api/markets/${code}/session`, { token: ADMIN, body: { opensAt: null } });
    expect(cleared.json.market.session.opensAt).toBeNull();
    testClock().advance(20_000);
    await runDurableObjectAlarm(stubOf(code));
    expect(await statusOf(code)).toBe("lobby");
  });

  it.each([
    [{ opensAt: -5 }, "opensAt"],
    [{ closesAt: 1, durationMs: 60_000 }, "durationMs"],
    [{ durationMs: 5 }, "durationMs"],
    [{ opensAt: "tomorrow" }, "opensAt"],
    [{ later: true }, "later"],
  ])("bad input %j is a 400 naming the field, and nothing changes", async (body, field) => {
    const code = await createMarket({ open: false });
    const res = await api("PATCH", `/api/markets/${code}/session`, { token: ADMIN, body });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe("VALIDATION");
    expect(res.text).toContain(field);
    expect((await api("GET", `/api/markets/${code}`)).json.market.session.opensAt).toBeNull();
  });

  it("times in the past or a close before the open are refused at creation, and no market is made", async () => {
    const t0 = testClock().now();
    for (const session of [{ opensAt: t0 - 1000 }, { opensAt: t0 + 60_000, closesAt: t0 + 30_000 }]) {
      const { code, res } = await createTimed(session);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe("VALIDATION");
      expect((await api("GET", `/api/markets/${code}`)).status).toBe(404);
    }
  });

  it("a closed market's session cannot change", async () => {
    const code = await createMarket();
    await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "close" } });
    const res = await api("PATCH", `/api/markets/${code}/session`, {
      token: ADMIN,
      body: { closesAt: testClock().now() + 60_000 },
    });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("MARKET_NOT_OPEN");
  });
});
