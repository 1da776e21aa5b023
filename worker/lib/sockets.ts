/**
 * What the market object and the broadcast shards share about their WebSockets: refusing
 * an upgrade with a readable reason, reading a client frame, rate-limiting frames, and
 * closing cleanly.
 */
import { ClientMessage, CloseCode, type ServerMessage } from "../shared/protocol";
import { log } from "./log";

/**
 * Accepts and at once closes a socket with a 4000-range code and a reason: a browser
 * cannot read an HTTP error on a WebSocket upgrade, but it can read a close frame.
 */
export function rejectSocket(code: number, reason: string): Response {
  const pair = new WebSocketPair();
  pair[1].accept();
  pair[1].close(code, reason);
  return new Response(null, { status: 101, webSocket: pair[0] });
}

/** WebSocket readyState: closing (close() was called or received) and closed are 2 and 3. */
const CLOSING = 2;

/**
 * Client frames per socket: a real client sends a resync now and then, so anything near
 * the limit is a script. Kept in memory only; a hibernation resets it, which is harmless.
 */
const FRAMES_PER_WINDOW = 20;
const FRAME_WINDOW_MS = 5000;
/** Every valid client frame is tiny; a long one is refused without parsing it. */
const MAX_FRAME_CHARS = 1024;

export class FrameLimiter {
  private readonly counts = new WeakMap<WebSocket, { start: number; n: number }>();

  tooMany(ws: WebSocket, now: number): boolean {
    let entry = this.counts.get(ws);
    if (!entry || now - entry.start >= FRAME_WINDOW_MS) {
      entry = { start: now, n: 0 };
      this.counts.set(ws, entry);
    }
    entry.n += 1;
    return entry.n > FRAMES_PER_WINDOW;
  }
}

/**
 * Reads a client frame, after the frame limit. Returns the message, or null when the
 * socket was closed for flooding or answered with an `error` (it stays open).
 */
export function readClientFrame(
  ws: WebSocket,
  message: string | ArrayBuffer,
  limiter: FrameLimiter,
  now: number,
): ClientMessage | null {
  // A socket this side has closed keeps delivering what its peer sends until the peer
  // answers the close, which a peer that stopped reading never does: ignore it all, rather
  // than closing it again and again or answering into a queue nobody reads.
  if (ws.readyState >= CLOSING) return null;
  if (limiter.tooMany(ws, now)) {
    ws.close(CloseCode.tooManyMessages, "Too many messages; reconnect and slow down.");
    return null;
  }
  const parsed = ClientMessage.safeParse(
    typeof message === "string" && message.length <= MAX_FRAME_CHARS ? safeJson(message) : undefined,
  );
  if (!parsed.success) {
    sendOrShed(
      ws,
      JSON.stringify({
        type: "error",
        code: "VALIDATION",
        message: 'Send "ping" or {"type":"resync"}.',
      } satisfies ServerMessage),
    );
    return null;
  }
  return parsed.data;
}

/**
 * What one socket may have queued in the runtime, unsent, before it is closed. A socket's
 * queue only grows once the kernel's buffers towards its peer are full, that is when the
 * peer has stopped reading (a frozen tab, a phone that lost its radio but not its TCP
 * session, a script that never reads). 256 KiB is two minutes of ticks for a 20-symbol
 * market, or five snapshots: a reader that far behind is better served by reconnecting
 * and reading one fresh snapshot, and the bound caps what 1,250 sockets can hold at once
 * (about 312 MiB, in the worst case that every one of them stops reading).
 */
export const MAX_SOCKET_BACKLOG_BYTES = 256 * 1024;

export const BACKLOG_CLOSE_REASON = "Fell behind the feed by more than 256 KiB unsent; reconnect for a fresh snapshot.";

/**
 * Bytes sent to this socket that the runtime has not yet handed to the network. workerd
 * reports it from release 1.20261117 on (`bufferedAmount`); on an older runtime it is
 * undefined, and then nothing is ever shed.
 */
export function backlogOf(ws: WebSocket): number {
  const queued: unknown = ws.bufferedAmount;
  return typeof queued === "number" ? queued : 0;
}

/**
 * Sends the text unless the socket's peer has stopped reading: past the backlog bound the
 * socket is closed with `slowConsumer` and a reason instead (the client reconnects and
 * resyncs), so what it holds stops growing. After close() workerd refuses further sends,
 * so a peer that never reads the close frame costs no more than its bound. Returns whether
 * the text was sent.
 */
export function sendOrShed(ws: WebSocket, text: string): boolean {
  // Closing (2) or closed (3): nothing more goes out, and there is nothing to shed.
  if (ws.readyState >= CLOSING) return false;
  const backlog = backlogOf(ws);
  if (backlog > MAX_SOCKET_BACKLOG_BYTES) {
    try {
      ws.close(CloseCode.slowConsumer, BACKLOG_CLOSE_REASON);
      logSocketEvent("ws_slow_consumer_closed", { backlog });
    } catch {
      // Closing already.
    }
    return false;
  }
  try {
    ws.send(text);
    return true;
  } catch {
    // Closing: the runtime drops it.
    return false;
  }
}

/** The same text to each socket, shedding the ones that stopped reading (sendOrShed). */
export function sendAll(sockets: WebSocket[], text: string): void {
  for (const ws of sockets) sendOrShed(ws, text);
}

/** Closes each socket with a code and a reason the client can read. */
export function closeAll(sockets: WebSocket[], code: number, reason: string): void {
  for (const ws of sockets) {
    try {
      ws.close(code, reason);
    } catch {
      // Already closing.
    }
  }
}

/**
 * Codes a peer may report but no endpoint may send (RFC 6455 7.4.1): 1005 (no code given),
 * 1006 (the connection dropped without a close frame) and 1015 (TLS failure), plus 1004 and
 * anything outside 1000-4999. workerd's close() throws on them.
 */
export function isSendableCloseCode(code: number): boolean {
  return (
    Number.isInteger(code) &&
    code >= 1000 &&
    code < 5000 &&
    code !== 1004 &&
    code !== 1005 &&
    code !== 1006 &&
    code !== 1015
  );
}

/**
 * The close to answer a client's close with: its own code when that may be sent, else a
 * plain 1000 with no reason (the reason of a 1006 is the runtime's, not the client's).
 */
export function reciprocalClose(code: number, reason: string): { code: number; reason: string } {
  return isSendableCloseCode(code) ? { code, reason } : { code: 1000, reason: "" };
}

/**
 * Reciprocates a client's close, so the client sees a clean close and workerd lets go of
 * the connection. A client that vanished (1006) must be answered too: until the server side
 * closes, workerd keeps the socket, and its descriptor stays in CLOSE-WAIT.
 */
export function closeBack(ws: WebSocket, code: number, reason: string): void {
  const answer = reciprocalClose(code, reason);
  try {
    ws.close(answer.code, answer.reason);
  } catch (err) {
    // close() is silent on a socket that is closed already, so this is a real failure.
    logSocketEvent("ws_close_back_failed", { code, error: errorText(err) });
  }
}

/**
 * A socket's error is the client's doing (a reserved opcode, a frame over the size limit, a
 * reset): one short line. The runtime has already closed the socket (a reserved opcode gets
 * 1002 "Unknown opcode 3") and releases it after this handler. Closing it again here queued
 * a close frame on the failed connection, which workerd then logged as an uncaught exception
 * (5 of 15 reserved-opcode frames); without it, 0 of 15. Invalid UTF-8 in a text frame is
 * not an error in workerd: it arrives as a message and gets the usual VALIDATION answer.
 */
export function logClientSocketError(error: unknown): void {
  logSocketEvent("ws_client_error", { error: errorText(error) });
}

/** One structured line per socket event, so logs can be filtered and counted. */
function logSocketEvent(event: string, fields: Record<string, unknown>): void {
  log.warn(event, fields);
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
