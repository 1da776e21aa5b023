// The socket helpers' pure parts, in Node with fake sockets and a stepped clock.
import { describe, expect, it } from "vitest";
import { DEFAULT_RESYNC_LIMITS, ResyncGuard } from "../../../worker/lib/resyncGuard";
import {
  closeBack,
  FrameLimiter,
  isSendableCloseCode,
  MAX_SOCKET_BACKLOG_BYTES,
  readClientFrame,
  reciprocalClose,
  sendAll,
  sendOrShed,
} from "../../../worker/lib/sockets";
import { CloseCode } from "../../../worker/shared/protocol";

/** What a workerd WebSocket does with close codes: it throws on the ones no endpoint may send. */
class FakeSocket {
  sent: string[] = [];
  closedWith: { code: number; reason: string } | null = null;
  /** What the peer has not read yet: everything, unless `drain()` is called. */
  bufferedAmount = 0;
  get readyState() {
    return this.closedWith ? 2 : 1;
  }
  send(text: string) {
    if (this.closedWith) throw new TypeError("Can't call WebSocket send() after close().");
    this.sent.push(text);
    this.bufferedAmount += text.length;
  }
  close(code: number, reason: string) {
    if (!isSendableCloseCode(code)) throw new TypeError(`Invalid WebSocket close code: ${code}.`);
    this.closedWith ??= { code, reason };
  }
  drain() {
    this.bufferedAmount = 0;
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
      ws.drain(); // it reads what it asked for
      clock.t += 30_000;
    }
    expect(ws.closedWith).toBeNull();
    expect(ws.sent).toHaveLength(120);
  });
});

describe("sockets whose peer stopped reading", () => {
  const tick = "t".repeat(3000);

  it("are closed with slowConsumer and a reason once their unsent backlog passes the bound, and sent nothing more", () => {
    const stuck = new FakeSocket();
    const reader = new FakeSocket();
    let broadcasts = 0;
    while (!stuck.closedWith && broadcasts < 1000) {
      sendAll([asWs(stuck), asWs(reader)], tick);
      reader.drain();
      broadcasts += 1;
    }
    expect(stuck.closedWith?.code).toBe(CloseCode.slowConsumer);
    expect(stuck.closedWith?.reason).toMatch(/reconnect/);
    // It held at most the bound plus the one message that took it past.
    expect(stuck.bufferedAmount).toBeLessThanOrEqual(MAX_SOCKET_BACKLOG_BYTES + tick.length);
    expect(stuck.sent).toHaveLength(Math.floor(MAX_SOCKET_BACKLOG_BYTES / tick.length) + 1);
    const held = stuck.sent.length;
    for (let i = 0; i < 10; i++) sendAll([asWs(stuck), asWs(reader)], tick);
    expect(stuck.sent).toHaveLength(held);
    // The reader, fed the same broadcasts, was never touched.
    expect(reader.closedWith).toBeNull();
    expect(reader.sent).toHaveLength(broadcasts + 10);
  });

  it("a socket that reads keeps everything, however much it is sent", () => {
    const ws = new FakeSocket();
    for (let i = 0; i < 10_000; i++) {
      expect(sendOrShed(asWs(ws), tick)).toBe(true);
      if (ws.bufferedAmount > MAX_SOCKET_BACKLOG_BYTES / 2) ws.drain();
    }
    expect(ws.closedWith).toBeNull();
  });

  it("a runtime that reports no backlog (an older workerd) sheds nothing", () => {
    const ws = {
      sent: 0,
      readyState: 1,
      send() {
        this.sent += 1;
      },
      close() {
        throw new Error("closed");
      },
    };
    for (let i = 0; i < 1000; i++) sendOrShed(ws as unknown as WebSocket, tick);
    expect(ws.sent).toBe(1000);
  });
});

describe("frames from a socket this side has closed", () => {
  it("are ignored: no answer, no second close, not counted", () => {
    const ws = new FakeSocket();
    const limiter = new FrameLimiter();
    ws.close(CloseCode.slowConsumer, "Fell behind");
    let close = 0;
    const watched = Object.assign(ws, {
      close: (code: number, reason: string) => {
        close += 1;
        FakeSocket.prototype.close.call(ws, code, reason);
      },
    });
    for (let i = 0; i < 100; i++) {
      expect(readClientFrame(asWs(watched), i % 2 ? '{"type":"resync"}' : "garbage", limiter, 0)).toBeNull();
    }
    expect(ws.sent).toEqual([]);
    expect(close).toBe(0);
  });

  it("while it is open, garbage gets a VALIDATION answer and a flood gets closed once", () => {
    const ws = new FakeSocket();
    const limiter = new FrameLimiter();
    expect(readClientFrame(asWs(ws), "garbage", limiter, 0)).toBeNull();
    expect(JSON.parse(ws.sent[0]).code).toBe("VALIDATION");
    expect(readClientFrame(asWs(ws), '{"type":"resync"}', limiter, 0)).toEqual({ type: "resync" });
    for (let i = 0; i < 30; i++) readClientFrame(asWs(ws), '{"type":"resync"}', limiter, 0);
    expect(ws.closedWith?.code).toBe(CloseCode.tooManyMessages);
  });
});
