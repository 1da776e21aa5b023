// A socket whose peer stopped reading is closed once the runtime holds more than its bound
// unsent for it, with a reason it can read when it reads again; sockets that read keep the
// whole feed. The client end of the stuck socket is never accepted, so nothing drains it,
// as with a frozen tab (there is no kernel buffer between the two ends in workerd's tests).
// The bound: MAX_SOCKET_BACKLOG_BYTES in worker/lib/sockets.ts.
import { runInDurableObject } from "cloudflare:test";
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BACKLOG_CLOSE_REASON, MAX_SOCKET_BACKLOG_BYTES } from "../../../worker/lib/sockets";
import { CloseCode } from "../../../worker/shared/protocol";
import { ADMIN, api, connect, createMarket, stubOf } from "../../support/workerd";

const STUCK_ADDRESS = "10.99.0.1";

/** The server side of the stuck socket, as the market object sees it. */
async function stuckSide(code: string): Promise<{ readyState: number; backlog: number }> {
  return runInDurableObject(stubOf(code), (_instance, state) => {
    const [ws] = state.getWebSockets(`a:${STUCK_ADDRESS}`);
    return { readyState: ws.readyState, backlog: ws.bufferedAmount };
  });
}

const publish = async (code: string, i: number) => {
  const res = await api("POST", `/api/markets/${code}/news`, {
    token: ADMIN,
    body: { headline: `Bulletin ${i}`, body: "n".repeat(2000), impacts: [] },
  });
  expect(res.status, res.text).toBe(201);
};

describe("a socket that stopped reading", () => {
  it("is closed with 4013 and a reason once over the bound unsent, and holds no more; a reader keeps every message", async () => {
    const code = await createMarket();
    const res = await exports.default.fetch(
      new Request(`http://marketflow.test/api/markets/${code}/ws`, {
        headers: { Upgrade: "websocket", "CF-Connecting-IP": STUCK_ADDRESS },
      }),
    );
    const stuck = res.webSocket;
    if (!stuck) throw new Error(`no websocket: ${res.status}`);
    const reader = await connect(code);
    await reader.next((m) => m.type === "snapshot");

    // Each bulletin is about 2.1 KB on the wire: the bound is passed after ~125 of them.
    const most = Math.ceil(MAX_SOCKET_BACKLOG_BYTES / 2000) + 10;
    let published = 0;
    let side = await stuckSide(code);
    let peak = side.backlog;
    while (side.readyState === WebSocket.READY_STATE_OPEN && published < most) {
      await publish(code, published++);
      side = await stuckSide(code);
      peak = Math.max(peak, side.backlog);
    }
    expect(side.readyState).toBeGreaterThanOrEqual(WebSocket.READY_STATE_CLOSING);
    expect(published).toBeGreaterThan(MAX_SOCKET_BACKLOG_BYTES / 2200);
    // At most the bound, the message that took it past, and the close frame.
    expect(peak).toBeLessThan(MAX_SOCKET_BACKLOG_BYTES + 2400);

    // More news: the stuck socket's queue does not grow; the reader gets all of it.
    const held = side.backlog;
    for (let i = 0; i < 20; i++) await publish(code, published++);
    expect((await stuckSide(code)).backlog).toBe(held);
    await reader.next(() => reader.messages.filter((m) => m.type === "news").length === published);

    // When it reads again, it finds the reason after what it had been sent.
    const close = new Promise<{ code: number; reason: string }>((resolve) =>
      stuck.addEventListener("close", (e) => resolve({ code: e.code, reason: e.reason })),
    );
    stuck.accept();
    expect(await close).toEqual({ code: CloseCode.slowConsumer, reason: BACKLOG_CLOSE_REASON });
  });
});
