/**
 * Hostile input at the WebSocket: random text, binary, huge and wrongly shaped frames get an
 * error or a snapshot, nothing crashes, the market ticks on; a frame flood closes only that socket.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ADMIN, api, connect, createMarket, join, stubOf } from "../../support/workerd";
import { ANSWER_TIMEOUT_MS, bookOf } from "../../support/fuzz/world";
import { mutated } from "../../support/fuzz/generators";

describe("fuzzing the WebSocket", () => {
  // Frames a socket sends before the flood guard (20 per 5 s) would close it.
  const FRAMES_PER_SOCKET = 18;

  const frame = fc.oneof(
    { weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 200 }).map((s) => ({ text: s })) },
    { weight: 3, arbitrary: fc.json({ maxDepth: 3 }).map((s) => ({ text: s })) },
    {
      weight: 2,
      arbitrary: mutated(fc.constant({ type: "resync" }), ["type"]).map((o) => ({ text: JSON.stringify(o) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          "ping",
          "PING",
          "ping ",
          "pong",
          '{"type":"resync"}',
          '{"type":"resync","x":1}',
          '{"type":"order"}',
          "null",
          "[]",
          '"resync"',
          "{".repeat(500),
        )
        .map((s) => ({ text: s })),
    },
    { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ binary: b })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(1025, 64 * 1024, 512 * 1024)
        .map((n) => ({ text: `{"type":"resync","pad":"${"x".repeat(n)}"}` })),
    },
    { weight: 1, arbitrary: fc.constantFrom(2048, 256 * 1024).map((n) => ({ binary: new Uint8Array(n).fill(0x7b) })) },
  );

  for (const shards of [0, 4]) {
    it(`random text, binary, huge and wrongly shaped frames get an error or a snapshot; nothing crashes; the market ticks on (${shards ? `${shards} broadcast shards` : "sockets on the market"})`, async () => {
      const code = await createMarket({ open: shards === 0 });
      if (shards > 0) {
        const set = await api("PUT", `/api/markets/${code}/feed`, { token: ADMIN, body: { broadcastShards: shards } });
        expect(set.status, set.text).toBe(200);
        expect(
          (await api("POST", `/api/markets/${code}/control`, { token: ADMIN, body: { action: "open" } })).status,
        ).toBe(200);
      }
      const p = await join(code, "Frame Fuzzer");
      const watcher = await connect(code);
      const snap = await watcher.next((m) => m.type === "snapshot");
      const bookBefore = await bookOf(code, p.token);
      let frames = 0;
      const problems: string[] = [];
      const closes: Record<string, number> = {};
      const started = Date.now();
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(frame, { minLength: 1, maxLength: FRAMES_PER_SOCKET }), { minLength: 4, maxLength: 4 }),
          fc.boolean(),
          async (perSocket, asPlayer) => {
            const settled = await Promise.allSettled(
              perSocket.map(async (list) => {
                const sock = await connect(code, asPlayer ? p.token : undefined);
                await sock.next((m) => m.type === "snapshot");
                for (const f of list) sock.ws.send("text" in f ? f.text : f.binary);
                frames += list.length;
                // Every frame is answered (pong, snapshot or error) unless the socket is closed
                // with a reason; pings are answered by the runtime.
                const deadline = Date.now() + ANSWER_TIMEOUT_MS;
                while (sock.messages.length < list.length + 1) {
                  const closed = await Promise.race([
                    sock.closed(),
                    new Promise((r) => setTimeout(r, 20)).then(() => null),
                  ]);
                  if (closed) {
                    closes[closed.code] = (closes[closed.code] ?? 0) + 1;
                    if (closed.code !== 1009 && (closed.code < 4000 || closed.code > 4999))
                      throw new Error(`closed with ${closed.code} ${closed.reason}`);
                    break;
                  }
                  if (Date.now() > deadline)
                    throw new Error(`only ${sock.messages.length - 1} answers to ${list.length} frames`);
                }
                for (const m of sock.messages) {
                  if (m === "pong") continue;
                  if (!["snapshot", "error"].includes(m.type)) continue;
                  // VALIDATION for a bad frame, RATE_LIMITED for a resync past the socket's share.
                  if (
                    m.type === "error" &&
                    (!["VALIDATION", "RATE_LIMITED"].includes(m.code) || typeof m.message !== "string")
                  )
                    throw new Error(`bad error frame ${JSON.stringify(m)}`);
                }
                sock.ws.close(1000, "done");
              }),
            );
            for (const r of settled) if (r.status === "rejected") problems.push(String(r.reason));
            return problems.length === 0;
          },
        ),
        { numRuns: 30, endOnFailure: true, reporter: () => undefined },
      );
      expect(problems.slice(0, 10)).toEqual([]);
      console.log(`ws fuzz: ${frames} frames in ${Date.now() - started} ms; closes ${JSON.stringify(closes)}`);
      expect(frames).toBeGreaterThan(500);

      // Nothing a frame said touched the books, and the feed goes on in order.
      expect(await bookOf(code, p.token)).toEqual(bookBefore);
      await runDurableObjectAlarm(stubOf(code));
      const tick = await watcher.next((m) => m.type === "tick");
      expect(tick.seq).toBe(snap.seq + 1);
    }, 60_000);
  }

  it("a frame flood past the guard closes that socket with 4008, and only that one", async () => {
    const code = await createMarket();
    const calm = await connect(code);
    const snap = await calm.next((m) => m.type === "snapshot");
    const flooder = await connect(code);
    await flooder.next((m) => m.type === "snapshot");
    // Random junk counts like any other frame: 21 of them within the window is a flood.
    const junk = fc.sample(fc.string({ unit: "grapheme", minLength: 1, maxLength: 50 }), 30);
    for (const j of junk) flooder.ws.send(j === "ping" ? "pingx" : j);
    const closed = await flooder.closed();
    expect(closed.code).toBe(4008);
    expect(closed.reason.length).toBeGreaterThan(0);
    await runDurableObjectAlarm(stubOf(code));
    expect((await calm.next((m) => m.type === "tick")).seq).toBe(snap.seq + 1);
  });
});
