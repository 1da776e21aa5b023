// The socket helpers' pure parts, in Node with fake sockets and a stepped clock.
import { describe, expect, it } from "vitest";
import { DEFAULT_RESYNC_LIMITS, ResyncGuard } from "../../../worker/lib/resyncGuard";
import { closeBack, isSendableCloseCode, reciprocalClose } from "../../../worker/lib/sockets";
import { CloseCode } from "../../../worker/shared/protocol";

/** What a workerd WebSocket does with close codes: it throws on the ones no endpoint may send. */
class FakeSocket {
  sent: string[] = [];
  closedWith: { code: number; reason: string } | null = null;
  send(text: string) {
    if (this.closedWith) throw new TypeError("Can't call WebSocket send() after close().");
    this.sent.push(text);
  }
  close(code: number, reason: string) {
    if (!isSendableCloseCode(code)) throw new TypeError(`Invalid WebSocket close code: ${code}.`);
    this.closedWith ??= { code, reason };
  }
}
const asWs = (s: FakeSocket) => s as unknown as WebSocket;

class SteppedClock {
  t = 1_000_000;
  now() {
    return this.t;
  }
}

describe("answering a client's close", () => {
  it("reciprocates a code that may be sent, with its reason", () => {
    expect(reciprocalClose(1000, "bye")).toEqual({ code: 1000, reason: "bye" });
    expect(reciprocalClose(1001, "going away")).toEqual({ code: 1001, reason: "going away" });
    expect(reciprocalClose(4321, "app")).toEqual({ code: 4321, reason: "app" });
  });

  it("answers 1005, 1006 and 1015 (and other unsendable codes) with a plain 1000", () => {
    for (const code of [1004, 1005, 1006, 1015, 999, 5000, 0])
      expect(reciprocalClose(code, "WebSocket disconnected without sending Close frame.")).toEqual({
        code: 1000,
        reason: "",
      });
  });

  it("really closes a socket whose client vanished (1006), instead of throwing and leaving it open", () => {
    const ws = new FakeSocket();
    closeBack(asWs(ws), 1006, "WebSocket disconnected without sending Close frame.");
    expect(ws.closedWith).toEqual({ code: 1000, reason: "" });
  });
});

describe("resyncs on one socket", () => {
  const snapshot = "x".repeat(58_000);

  it("are answered up to the burst, then refused with a short RATE_LIMITED error, the socket staying open", () => {
    const clock = new SteppedClock();
    const guard = new ResyncGuard(DEFAULT_RESYNC_LIMITS, clock);
    const ws = new FakeSocket();
    const answered = [1, 2, 3, 4, 5].filter(() => guard.admit(asWs(ws)) && (guard.reply(asWs(ws), "snap"), true));
    expect(answered.length).toBe(DEFAULT_RESYNC_LIMITS.burst);
    const errors = ws.sent.filter((m) => m !== "snap").map((m) => JSON.parse(m));
    expect(errors).toHaveLength(5 - DEFAULT_RESYNC_LIMITS.burst);
    for (const e of errors) {
      expect(e).toMatchObject({ type: "error", code: "RATE_LIMITED" });
      expect(JSON.stringify(e).length).toBeLessThan(200);
    }
    expect(ws.closedWith).toBeNull();
  });

  it("earn one more answer per refill interval, never more than the burst after a quiet spell", () => {
    const clock = new SteppedClock();
    const guard = new ResyncGuard(DEFAULT_RESYNC_LIMITS, clock);
    const ws = asWs(new FakeSocket());
    expect(guard.decide(ws)).toBe("answer");
    expect(guard.decide(ws)).toBe("answer");
    expect(guard.decide(ws)).toBe("refuse");
    clock.t += DEFAULT_RESYNC_LIMITS.refillMs - 1;
    expect(guard.decide(ws)).toBe("refuse");
    clock.t += 1;
    expect(guard.decide(ws)).toBe("answer");
    expect(guard.decide(ws)).toBe("refuse");
    clock.t += 100 * DEFAULT_RESYNC_LIMITS.refillMs;
    expect([guard.decide(ws), guard.decide(ws), guard.decide(ws)]).toEqual(["answer", "answer", "refuse"]);
  });

  it("are counted per socket: one socket's spam does not use up another's", () => {
    const guard = new ResyncGuard(DEFAULT_RESYNC_LIMITS, new SteppedClock());
    const spammer = asWs(new FakeSocket());
    const calm = asWs(new FakeSocket());
    for (let i = 0; i < 10; i++) guard.decide(spammer);
    expect(guard.decide(calm)).toBe("answer");
  });

  it("a socket sent more than the bound within a minute is closed with slowConsumer and a reason, and sent nothing more", () => {
    const clock = new SteppedClock();
    const guard = new ResyncGuard(DEFAULT_RESYNC_LIMITS, clock);
    const ws = new FakeSocket();
    // A client that asks as often as the bucket allows, and never reads.
    for (let i = 0; i < 30 && !ws.closedWith; i++) {
      if (guard.admit(asWs(ws))) guard.reply(asWs(ws), snapshot);
      clock.t += DEFAULT_RESYNC_LIMITS.refillMs;
    }
    expect(ws.closedWith?.code).toBe(CloseCode.slowConsumer);
    expect(ws.closedWith?.reason).toMatch(/reconnect/);
    const sentChars = ws.sent.reduce((n, m) => n + m.length, 0);
    expect(sentChars).toBeLessThanOrEqual(DEFAULT_RESYNC_LIMITS.maxOnDemandChars);
    const before = ws.sent.length;
    expect(guard.admit(asWs(ws))).toBe(false);
    expect(ws.sent.length).toBe(before);
  });

  it("a client resyncing now and then for a long time is never closed", () => {
    const clock = new SteppedClock();
    const guard = new ResyncGuard(DEFAULT_RESYNC_LIMITS, clock);
    const ws = new FakeSocket();
    // Two real gaps a minute, for an hour.
    for (let i = 0; i < 120; i++) {
      expect(guard.admit(asWs(ws))).toBe(true);
      guard.reply(asWs(ws), snapshot);
      clock.t += 30_000;
    }
    expect(ws.closedWith).toBeNull();
    expect(ws.sent).toHaveLength(120);
  });
});
