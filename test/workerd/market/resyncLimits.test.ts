// A socket that asks for snapshot after snapshot (a 17-byte frame for a whole snapshot each)
// is held to what a real gap needs, and one that has been sent too much on demand is closed
// with a reason; the other sockets keep their feed. Limits: worker/lib/resyncGuard.ts.
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEFAULT_RESYNC_LIMITS } from "../../../worker/lib/resyncGuard";
import { CloseCode } from "../../../worker/shared/protocol";
import { testClock } from "../../support/clock";
import { ADMIN, api, connect, createMarket, stubOf } from "../../support/workerd";

const RESYNC = JSON.stringify({ type: "resync" });
const { burst, refillMs, maxOnDemandChars } = DEFAULT_RESYNC_LIMITS;

type Sock = Awaited<ReturnType<typeof connect>>;
const snapshots = (s: Sock) => s.messages.filter((m) => m.type === "snapshot");
const rateLimited = (s: Sock) => s.messages.filter((m) => m.type === "error" && m.code === "RATE_LIMITED");

describe("resyncs on one socket", () => {
  it("a socket spamming resync gets the burst of snapshots, a short RATE_LIMITED error for the rest, and stays open", async () => {
    const code = await createMarket();
    const spammer = await connect(code);
    const calm = await connect(code);
    await spammer.next((m) => m.type === "snapshot");
    await calm.next((m) => m.type === "snapshot");

    const asked = 10; // under the frame limit (20 per 5 s), so only the resync limit is at work
    for (let i = 0; i < asked; i++) spammer.ws.send(RESYNC);
    await spammer.next(() => rateLimited(spammer).length === asked - burst);
    expect(snapshots(spammer)).toHaveLength(1 + burst);
    expect(rateLimited(spammer)[0].message).toMatch(/resync/i);

    // Still healthy: the feed reaches it, and after the refill interval a resync is answered again.
    await runDurableObjectAlarm(stubOf(code));
    await spammer.next((m) => m.type === "tick");
    await calm.next((m) => m.type === "tick");
    testClock().advance(refillMs);
    spammer.ws.send(RESYNC);
    await spammer.next(() => snapshots(spammer).length === 2 + burst);
    expect(calm.messages.filter((m) => m.type === "error")).toEqual([]);
  });

  it("a socket sent more than the bound on demand within a minute is closed with 4013 and a reason; the others keep their feed", async () => {
    const code = await createMarket();
    // Twenty long news items: each snapshot carries them all, about 42 KB.
    for (let i = 0; i < 20; i++) {
      const res = await api("POST", `/api/markets/${code}/news`, {
        token: ADMIN,
        body: { headline: `Item ${i}`, body: "b".repeat(2000), impacts: [] },
      });
      expect(res.status, res.text).toBe(201);
    }
    const spammer = await connect(code);
    const calm = await connect(code);
    const first = await spammer.next((m) => m.type === "snapshot");
    await calm.next((m) => m.type === "snapshot");
    const size = JSON.stringify(first).length;
    expect(size).toBeGreaterThan(40_000);

    // Two resyncs every refill interval, so the bucket is always empty: a snapshot per
    // interval plus the burst, more than the bound within the minute.
    let closed: { code: number; reason: string } | null = null;
    for (let i = 0; i < 12 && !closed; i++) {
      const answers = spammer.messages.length;
      spammer.ws.send(RESYNC);
      spammer.ws.send(RESYNC);
      closed = await Promise.race([
        spammer.closed(),
        spammer.next(() => spammer.messages.length >= answers + 2).then(() => null),
      ]);
      testClock().advance(refillMs);
    }
    expect(closed?.code).toBe(CloseCode.slowConsumer);
    expect(closed?.reason).toMatch(/reconnect/i);
    const onDemand = snapshots(spammer).length - 1;
    expect(onDemand * size).toBeLessThanOrEqual(maxOnDemandChars);
    expect(onDemand).toBe(Math.floor(maxOnDemandChars / size));
    expect(rateLimited(spammer).length).toBeGreaterThan(0);

    await runDurableObjectAlarm(stubOf(code));
    await calm.next((m) => m.type === "tick");
    calm.ws.send(RESYNC);
    await calm.next(() => snapshots(calm).length === 2);
  });
});
