// Broken frames from a client are the client's problem: a reserved opcode gets the runtime's
// 1002 close and one structured log line from the market; invalid UTF-8 in a text frame gets
// the usual VALIDATION answer and the socket stays open. Raw TCP frames, since no WebSocket
// library sends broken ones, against `wrangler dev`.
//
// Under `wrangler dev` each reserved opcode also prints "Uncaught exception: ... Unknown
// opcode 3" from wrangler's own proxy layer, whatever the market's handler does, so that line
// is not asserted here. On workerd's own socket (bench/load/server.mjs) the market used to
// cause it by closing the failed socket again: 5 of 15 frames before, 0 of 15 after.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, startServer, type TestServer } from "../browser/server";
import { eventually } from "../support/wait";

/** A masked client frame (RFC 6455 5.2) with FIN set; payloads here are under 126 bytes. */
function clientFrame(opcode: number, payload: number[]): Buffer {
  const mask = randomBytes(4);
  return Buffer.concat([
    Buffer.from([0x80 | opcode, 0x80 | payload.length]),
    mask,
    Buffer.from(payload.map((b, i) => b ^ mask[i % 4])),
  ]);
}

interface RawSocket {
  tcp: Socket;
  /** Everything received after the 101 response. */
  received(): Buffer;
  ended: Promise<void>;
}

/** Upgrades a raw TCP connection to the market's feed and resolves once the 101 is in. */
function rawFeed(base: string, code: string): Promise<RawSocket> {
  const url = new URL(base);
  return new Promise((ok, fail) => {
    const tcp = connect(Number(url.port), url.hostname);
    let buf = Buffer.alloc(0);
    let headerEnd = -1;
    const ended = new Promise<void>((done) => tcp.once("close", () => done()));
    tcp.on("data", (d) => {
      buf = Buffer.concat([buf, d]);
      if (headerEnd < 0 && (headerEnd = buf.indexOf("\r\n\r\n")) >= 0) {
        const status = buf.subarray(0, buf.indexOf("\r\n")).toString();
        if (!status.includes(" 101 ")) fail(new Error(`upgrade refused: ${status}`));
        else ok({ tcp, received: () => buf.subarray(headerEnd + 4), ended });
      }
    });
    tcp.once("error", fail);
    tcp.write(
      `GET /api/markets/${code}/ws HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
  });
}

/** The server's frames, unmasked: [opcode, payload]. */
function serverFrames(data: Buffer): { opcode: number; payload: Buffer }[] {
  const frames = [];
  for (let at = 0; at + 2 <= data.length; ) {
    const opcode = data[at] & 0x0f;
    let len = data[at + 1] & 0x7f;
    let head = 2;
    if (len === 126) (len = data.readUInt16BE(at + 2)), (head = 4);
    else if (len === 127) (len = Number(data.readBigUInt64BE(at + 2))), (head = 10);
    if (at + head + len > data.length) break;
    frames.push({ opcode, payload: data.subarray(at + head, at + head + len) });
    at += head + len;
  }
  return frames;
}

describe("broken frames on the feed", () => {
  let server: TestServer;
  let code: string;

  beforeAll(async () => {
    server = await startServer();
    code = `RAW${Date.now().toString(36).toUpperCase()}`.slice(0, 12);
    await call(server.base, "/api/markets", {
      method: "POST",
      token: server.adminToken,
      body: {
        code,
        name: "Raw frames",
        startingCash: 1000,
        tickMs: 60_000,
        symbols: [{ symbol: "ACME", name: "Acme", price: 5 }],
      },
    });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it("invalid UTF-8 in a text frame gets a VALIDATION error and the socket stays open, with nothing logged", async () => {
    const logBefore = server.output().length;
    const raw = await rawFeed(server.base, code);
    await eventually(() => serverFrames(raw.received()).some((f) => f.opcode === 0x1), "the snapshot");
    raw.tcp.write(clientFrame(0x1, [0xff, 0xfe, 0xfd]));
    const error = await eventually(
      () =>
        serverFrames(raw.received())
          .map((f) => (f.opcode === 0x1 ? JSON.parse(f.payload.toString()) : null))
          .find((m) => m?.type === "error"),
      "an error message",
    );
    expect(error.code).toBe("VALIDATION");
    // Still open: a resync is answered with a snapshot.
    raw.tcp.write(clientFrame(0x1, [...Buffer.from(JSON.stringify({ type: "resync" }))]));
    await eventually(
      () =>
        serverFrames(raw.received()).filter((f) => f.opcode === 0x1 && f.payload.includes('"snapshot"')).length === 2,
      "a second snapshot",
    );
    expect(serverFrames(raw.received()).some((f) => f.opcode === 0x8)).toBe(false);
    expect(server.output().slice(logBefore)).not.toMatch(/uncaught|ws_client_error/i);
    raw.tcp.destroy();
  });

  it("a reserved opcode closes the socket with 1002 and the market logs one structured line for it", async () => {
    // The uncaught exception came from a race (a third of the time), so ten sockets.
    const sockets = 10;
    for (let i = 0; i < sockets; i++) {
      const raw = await rawFeed(server.base, code);
      await eventually(() => serverFrames(raw.received()).some((f) => f.opcode === 0x1), "the snapshot");
      raw.tcp.write(clientFrame(0x3, [0x41]));
      const close = await eventually(() => serverFrames(raw.received()).find((f) => f.opcode === 0x8), "a close frame");
      expect(close.payload.readUInt16BE(0)).toBe(1002);
      raw.tcp.end();
      await raw.ended;
    }
    const logged = await eventually(() => {
      const lines = server
        .output()
        .split("\n")
        .filter((l) => l.includes('"event":"ws_client_error"'));
      return lines.length >= sockets ? lines : null;
    }, "a log line per broken socket");
    expect(logged[0]).toMatch(/opcode/i);
  });
});
