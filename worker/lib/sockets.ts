/**
 * What the market object and the broadcast shards share about their WebSockets: refusing
 * an upgrade with a readable reason, reading a client frame, rate-limiting frames, and
 * closing cleanly.
 */
import { ClientMessage, CloseCode, type ServerMessage } from "../shared/protocol";

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
export function readClientFrame(ws: WebSocket, message: string | ArrayBuffer, limiter: FrameLimiter, now: number): ClientMessage | null {
  if (limiter.tooMany(ws, now)) {
    ws.close(CloseCode.tooManyMessages, "Too many messages; reconnect and slow down.");
    return null;
  }
  const parsed = ClientMessage.safeParse(typeof message === "string" && message.length <= MAX_FRAME_CHARS ? safeJson(message) : undefined);
  if (!parsed.success) {
    ws.send(JSON.stringify({ type: "error", code: "VALIDATION", message: 'Send "ping" or {"type":"resync"}.' } satisfies ServerMessage));
    return null;
  }
  return parsed.data;
}

/** Reciprocates a client's close so it sees a clean close, not 1006. */
/** The same text to each socket; a socket that is closing throws, and the runtime drops it. */
export function sendAll(sockets: WebSocket[], text: string): void {
  for (const ws of sockets) {
    try {
      ws.send(text);
    } catch {
      // Closing.
    }
  }
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

export function closeBack(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code === 1005 ? 1000 : code, reason);
  } catch {
    // Already closed.
  }
}

export function closeOnError(ws: WebSocket): void {
  try {
    ws.close(1011, "socket error");
  } catch {
    // Already closed.
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
