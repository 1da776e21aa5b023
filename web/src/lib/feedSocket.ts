/**
 * The feed's connection: one WebSocket kept alive, with no idea what the messages mean.
 *
 * - Reconnects by itself with exponential backoff and jitter (a whole hall of phones
 *   coming back from a Wi-Fi blip must not reconnect in the same millisecond).
 * - A heartbeat (`ping`, answered `pong` by the server without waking the market) and a
 *   silence timeout catch sockets that died without a close frame.
 * - A resync asked for and not answered by a snapshot within a few seconds means the
 *   socket is not trustworthy: it is dropped and a new one made.
 * - Rejections (close codes 4001/4003/4004/4009, 4010 removed by the organiser) stop it for good.
 */
import { CloseCode, type ServerMessage } from "../../../worker/shared/messages";

export type ConnState = "connecting" | "live" | "reconnecting" | "offline" | "stopped";
export type FatalReason = "unauthorized" | "not_found" | "closed" | "removed" | null;

/** A change of the connection's state; fields left out keep their value. */
export interface ConnStatus {
  conn: ConnState;
  /** When the next reconnect attempt happens (epoch ms), while not live. */
  retryAt?: number | null;
  fatal?: FatalReason;
}

export interface FeedSocketHandlers {
  /** A new socket is being opened: whatever comes first on it should be a snapshot. */
  opening(): void;
  message(msg: ServerMessage): void;
  status(status: ConnStatus): void;
}

export interface FeedSocketOptions {
  /** The market's tick interval, for the silence timeout (ticks come only while it is open). */
  tickMs(): number;
}

export interface FeedSocket {
  /** Ask for a fresh snapshot; false when there is no open socket to ask on. */
  requestResync(): boolean;
  /** A snapshot arrived: the connection is live and in step. */
  synced(): void;
  /** Try again now (the `online` event, a tap on the badge), forgetting the backoff. */
  reconnectNow(): void;
  close(): void;
}

const HEARTBEAT_MS = 10_000;
const MAX_BACKOFF_MS = 15_000;
const RESYNC_TIMEOUT_MS = 5000;
/** After this many failed attempts in a row the badge says "offline" (still retrying). */
const OFFLINE_AFTER = 4;

export function wsUrl(code: string, token?: string | null): string {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const q = token ? `?token=${encodeURIComponent(token)}` : "";
  return `${proto}//${location.host}/api/markets/${encodeURIComponent(code)}/ws${q}`;
}

export function createFeedSocket(url: string, on: FeedSocketHandlers, options: FeedSocketOptions): FeedSocket {
  let ws: WebSocket | null = null;
  let attempts = 0;
  let everSynced = false;
  /** close() was called. */
  let closed = false;
  /** The server refused us (unauthorized, not found, closed): no more attempts. */
  let fatal = false;
  let lastMessageAt = Date.now();
  /** The state last reported. */
  let conn: ConnState = "connecting";
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let resyncTimer: ReturnType<typeof setTimeout> | undefined;

  const browserOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;
  const report = (status: ConnStatus) => {
    conn = status.conn;
    on.status(status);
  };

  function connect() {
    clearTimeout(reconnectTimer);
    if (closed) return;
    if (browserOffline()) {
      report({ conn: "offline", retryAt: null });
      return; // the `online` event brings us back
    }
    report({
      conn: !everSynced && attempts === 0 ? "connecting" : attempts >= OFFLINE_AFTER ? "offline" : "reconnecting",
    });
    on.opening();
    const sock = new WebSocket(url);
    ws = sock;
    lastMessageAt = Date.now();
    sock.onmessage = (ev) => {
      if (ws !== sock) return;
      lastMessageAt = Date.now();
      if (ev.data === "pong") return;
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      on.message(msg);
    };
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      dropped(ev.code);
    };
    sock.onerror = () => {
      /* a close event follows; handled there */
    };
  }

  function dropped(code?: number) {
    if (closed) return;
    clearTimeout(resyncTimer);
    if (code === CloseCode.unauthorized || code === CloseCode.forbidden) return stop("unauthorized");
    if (code === CloseCode.notFound) return stop("not_found");
    if (code === CloseCode.marketClosed) return stop("closed");
    if (code === CloseCode.removed) return stop("removed");
    attempts++;
    const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempts - 1));
    const delay = Math.round(base * (0.5 + Math.random() * 0.5));
    const offline = browserOffline() || attempts > OFFLINE_AFTER;
    report({ conn: offline ? "offline" : "reconnecting", retryAt: Date.now() + delay });
    reconnectTimer = setTimeout(connect, delay);
  }

  function stop(reason: FatalReason) {
    fatal = true;
    report({ conn: "stopped", fatal: reason, retryAt: null });
    clearTimeout(reconnectTimer);
  }

  /** Abandon the current socket (it may be dead without having said so). */
  function kill() {
    const sock = ws;
    ws = null;
    if (sock) {
      sock.onclose = sock.onmessage = sock.onerror = null;
      try {
        sock.close();
      } catch {
        /* already closing */
      }
    }
  }

  function requestResync(): boolean {
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify({ type: "resync" }));
    clearTimeout(resyncTimer);
    resyncTimer = setTimeout(() => {
      kill();
      dropped();
    }, RESYNC_TIMEOUT_MS);
    return true;
  }

  function synced() {
    clearTimeout(resyncTimer);
    attempts = 0;
    everSynced = true;
    report({ conn: "live", retryAt: null, fatal: null });
  }

  const heartbeat = setInterval(() => {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    // Ticks arrive only while the market is open; pongs arrive always.
    if (Date.now() - lastMessageAt > Math.max(25_000, options.tickMs() * 4)) {
      kill();
      dropped();
      return;
    }
    try {
      ws.send("ping");
    } catch {
      /* closing */
    }
  }, HEARTBEAT_MS);

  const onOffline = () => {
    kill();
    clearTimeout(reconnectTimer);
    if (!closed && !fatal) report({ conn: "offline", retryAt: null });
  };
  const onOnline = () => {
    if (closed || fatal) return;
    attempts = 0;
    kill();
    connect();
  };
  const onVisible = () => {
    if (document.visibilityState === "visible" && !closed && !fatal && conn !== "live") onOnline();
  };
  window.addEventListener("offline", onOffline);
  window.addEventListener("online", onOnline);
  document.addEventListener("visibilitychange", onVisible);

  connect();

  return {
    requestResync,
    synced,
    reconnectNow: onOnline,
    close() {
      closed = true;
      clearInterval(heartbeat);
      clearTimeout(reconnectTimer);
      clearTimeout(resyncTimer);
      window.removeEventListener("offline", onOffline);
      window.removeEventListener("online", onOnline);
      document.removeEventListener("visibilitychange", onVisible);
      kill();
    },
  };
}
