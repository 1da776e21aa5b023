/**
 * The live market feed: one WebSocket per screen, kept alive and kept honest.
 *
 * - Reconnects by itself with exponential backoff and jitter (a whole hall of phones
 *   coming back from a Wi-Fi blip must not reconnect in the same millisecond).
 * - Every public message carries seq = previous + 1. A gap means something was missed,
 *   so the client asks for a fresh snapshot instead of showing a silently stale screen.
 *   Every (re)connect starts from a snapshot as well.
 * - A heartbeat (`ping`, answered `pong` by the server without waking the market) and a
 *   silence timeout catch sockets that died without a close frame.
 */
import { batch, createSignal, untrack } from "solid-js";
import { createStore, produce, reconcile } from "solid-js/store";
import { CloseCode } from "../../../worker/shared/messages";
import type { Leader, MarketInfo, NewsItem, Order, Portfolio, ServerMessage, SymbolQuote } from "../../../worker/shared/messages";

export type ConnState = "connecting" | "live" | "reconnecting" | "offline" | "stopped";
export type FatalReason = "unauthorized" | "not_found" | "closed" | null;

export interface FeedState {
  conn: ConnState;
  /** When the next reconnect attempt happens (epoch ms), while not live. */
  retryAt: number | null;
  fatal: FatalReason;
  market: MarketInfo | null;
  seq: number;
  tick: number;
  lastTickAt: number;
  symbols: SymbolQuote[];
  news: NewsItem[];
  leaders: Leader[];
  portfolio: Portfolio | null;
  playerId: string | null;
  /** Recent prices per symbol for sparklines. */
  spark: Record<string, number[]>;
  /** Snapshots applied so far (1 after the first connect; more after resyncs). */
  snapshots: number;
}

export interface FeedEvents {
  snapshot: void;
  tick: Extract<ServerMessage, { type: "tick" }>;
  news: NewsItem;
  status: Extract<ServerMessage, { type: "status" }>;
  lobby: Extract<ServerMessage, { type: "lobby" }>;
  fill: { order: Order; portfolio: Portfolio };
  error: { code: string; message: string };
}

export interface Feed {
  readonly state: FeedState;
  on<K extends keyof FeedEvents>(type: K, cb: (payload: FeedEvents[K]) => void): () => void;
  quote(symbol: string): SymbolQuote | undefined;
  resync(): void;
  reconnectNow(): void;
  /** Replace the portfolio after a REST answer (orders, cancels, refreshes). */
  setPortfolio(p: Portfolio): void;
  close(): void;
}

const SPARK_POINTS = 60;
const HEARTBEAT_MS = 10_000;
const MAX_BACKOFF_MS = 15_000;
/** After this many failed attempts in a row the badge says "offline" (still retrying). */
const OFFLINE_AFTER = 4;

export function wsUrl(code: string, token?: string | null): string {
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const q = token ? `?token=${encodeURIComponent(token)}` : "";
  return `${proto}//${location.host}/api/markets/${encodeURIComponent(code)}/ws${q}`;
}

export function createFeed(code: string, token?: string | null): Feed {
  const [state, setState] = createStore<FeedState>({
    conn: "connecting",
    retryAt: null,
    fatal: null,
    market: null,
    seq: 0,
    tick: 0,
    lastTickAt: 0,
    symbols: [],
    news: [],
    leaders: [],
    portfolio: null,
    playerId: null,
    spark: {},
    snapshots: 0,
  });
  const listeners = new Map<keyof FeedEvents, Set<(p: never) => void>>();
  const emit = <K extends keyof FeedEvents>(type: K, payload: FeedEvents[K]) => {
    for (const cb of listeners.get(type) ?? []) (cb as (p: FeedEvents[K]) => void)(payload);
  };

  let ws: WebSocket | null = null;
  let attempts = 0;
  let stopped = false;
  let awaitingSnapshot = true;
  let lastMessageAt = Date.now();
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let resyncTimer: ReturnType<typeof setTimeout> | undefined;
  const index = new Map<string, number>();

  function connect() {
    clearTimeout(reconnectTimer);
    if (stopped) return;
    if (typeof navigator !== "undefined" && navigator.onLine === false) {
      setState({ conn: "offline", retryAt: null });
      return; // the `online` event brings us back
    }
    setState({ conn: state.snapshots === 0 && attempts === 0 ? "connecting" : attempts >= OFFLINE_AFTER ? "offline" : "reconnecting" });
    awaitingSnapshot = true;
    const sock = new WebSocket(wsUrl(code, token));
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
      handle(msg);
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
    if (stopped) return;
    clearTimeout(resyncTimer);
    if (code === CloseCode.unauthorized || code === CloseCode.forbidden) return stop("unauthorized");
    if (code === CloseCode.notFound) return stop("not_found");
    if (code === CloseCode.marketClosed) return stop("closed");
    attempts++;
    const base = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempts - 1));
    const delay = Math.round(base * (0.5 + Math.random() * 0.5));
    const offline = (typeof navigator !== "undefined" && navigator.onLine === false) || attempts > OFFLINE_AFTER;
    setState({ conn: offline ? "offline" : "reconnecting", retryAt: Date.now() + delay });
    reconnectTimer = setTimeout(connect, delay);
  }

  function stop(reason: FatalReason) {
    setState({ conn: "stopped", fatal: reason, retryAt: null });
    clearTimeout(reconnectTimer);
  }

  /** Abandon the current socket (it may be dead without having said so) and retry. */
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

  function requestResync() {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    awaitingSnapshot = true;
    ws.send(JSON.stringify({ type: "resync" }));
    clearTimeout(resyncTimer);
    // No snapshot within a few seconds: the socket is not trustworthy, start over.
    resyncTimer = setTimeout(() => {
      if (awaitingSnapshot) {
        kill();
        dropped();
      }
    }, 5000);
  }

  function handle(msg: ServerMessage) {
    switch (msg.type) {
      case "snapshot":
        return applySnapshot(msg);
      case "tick":
      case "news":
      case "status":
      case "lobby": {
        if (awaitingSnapshot) return; // the coming snapshot already includes it
        if (msg.seq <= state.seq) return; // duplicate
        if (msg.seq !== state.seq + 1) return requestResync();
        if (msg.type === "tick") applyTick(msg);
        else if (msg.type === "news") applyNews(msg.news);
        else if (msg.type === "lobby") applyLobby(msg);
        else applyStatus(msg);
        setState("seq", msg.seq);
        return;
      }
      case "fill":
        setState("portfolio", reconcile(msg.portfolio));
        emit("fill", { order: msg.order, portfolio: msg.portfolio });
        return;
      case "error":
        emit("error", { code: msg.code, message: msg.message });
        return;
      default: {
        const never: never = msg;
        return never;
      }
    }
  }

  function applySnapshot(msg: Extract<ServerMessage, { type: "snapshot" }>) {
    clearTimeout(resyncTimer);
    awaitingSnapshot = false;
    attempts = 0;
    index.clear();
    msg.symbols.forEach((s, i) => index.set(s.symbol, i));
    batch(() => {
      setState("market", reconcile(msg.market));
      setState("symbols", reconcile(msg.symbols, { key: "symbol" }));
      setState("news", reconcile(msg.news, { key: "id" }));
      setState("leaders", msg.leaders ?? []);
      if (msg.portfolio) setState("portfolio", reconcile(msg.portfolio));
      if (msg.playerId) setState("playerId", msg.playerId);
      setState(
        "spark",
        produce((sp) => {
          for (const s of msg.symbols) {
            const prev = sp[s.symbol];
            sp[s.symbol] = prev && prev.length ? [...prev, s.price].slice(-SPARK_POINTS) : [s.open, s.price];
          }
        }),
      );
      setState({ seq: msg.seq, conn: "live", retryAt: null, fatal: null, snapshots: state.snapshots + 1 });
    });
    emit("snapshot", undefined);
  }

  function applyTick(msg: Extract<ServerMessage, { type: "tick" }>) {
    batch(() => {
      setState(
        produce((s) => {
          for (const p of msg.prices) {
            const i = index.get(p.symbol);
            if (i === undefined) continue;
            const q = s.symbols[i];
            q.price = p.price;
            q.bid = p.bid;
            q.ask = p.ask;
            q.volume = p.volume;
            q.change = p.change;
            q.changePct = q.open ? p.change / q.open : 0;
            if (p.price > q.high) q.high = p.price;
            if (p.price < q.low) q.low = p.price;
            const sp = s.spark[p.symbol] ?? [];
            s.spark[p.symbol] = sp.length >= SPARK_POINTS ? [...sp.slice(1), p.price] : [...sp, p.price];
          }
          s.tick = msg.tick;
          s.lastTickAt = msg.t;
          if (msg.leaders) s.leaders = msg.leaders;
          if (s.portfolio) revalue(s.portfolio, s.symbols, index);
        }),
      );
    });
    emit("tick", msg);
  }

  function applyNews(item: NewsItem) {
    setState("news", (list) => [item, ...list.filter((n) => n.id !== item.id)].slice(0, 50));
    emit("news", item);
  }

  /** Before the market opens: the number of players and the first of them. */
  function applyLobby(msg: Extract<ServerMessage, { type: "lobby" }>) {
    batch(() => {
      if (state.market) setState("market", "players", msg.players);
      setState("leaders", msg.leaders);
    });
    emit("lobby", msg);
  }

  function applyStatus(msg: Extract<ServerMessage, { type: "status" }>) {
    setState(
      produce((s) => {
        if (s.market) s.market.status = msg.status;
        const halted = new Set(msg.halted);
        for (const q of s.symbols) {
          q.halted = halted.has(q.symbol);
          q.haltedUntil = q.halted ? (msg.haltedUntil?.[q.symbol] ?? null) : null;
        }
      }),
    );
    emit("status", msg);
  }

  // Heartbeat and silence detection.
  const heartbeat = setInterval(() => {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    const tickMs = state.market?.tickMs ?? 2000;
    // Ticks arrive only while the market is open; pongs arrive always.
    if (Date.now() - lastMessageAt > Math.max(25_000, tickMs * 4)) {
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
    if (!stopped && state.conn !== "stopped") setState({ conn: "offline", retryAt: null });
  };
  const onOnline = () => {
    if (stopped || state.conn === "stopped") return;
    attempts = 0;
    kill();
    connect();
  };
  const onVisible = () => {
    if (document.visibilityState === "visible" && !stopped && state.conn !== "live" && state.conn !== "stopped") onOnline();
  };
  window.addEventListener("offline", onOffline);
  window.addEventListener("online", onOnline);
  document.addEventListener("visibilitychange", onVisible);

  // Reads of the store inside connect() must not subscribe whoever creates the feed.
  untrack(connect);

  return {
    state,
    on(type, cb) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(cb as (p: never) => void);
      return () => set.delete(cb as (p: never) => void);
    },
    quote: (symbol) => {
      const i = index.get(symbol);
      return i === undefined ? undefined : state.symbols[i];
    },
    resync: requestResync,
    reconnectNow: onOnline,
    setPortfolio: (p) => setState("portfolio", reconcile(p)),
    close() {
      stopped = true;
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

/** Value positions at the latest prices so net worth moves with every tick. */
function revalue(p: Portfolio, symbols: SymbolQuote[], index: Map<string, number>) {
  let held = 0;
  for (const pos of p.positions) {
    const i = index.get(pos.symbol);
    if (i !== undefined) {
      pos.price = symbols[i].price;
      pos.value = Math.round(pos.qty * pos.price * 100) / 100;
      pos.pnl = Math.round((pos.price - pos.avgCost) * pos.qty * 100) / 100;
    }
    held += Math.round(pos.value * 100);
  }
  p.netWorth = (Math.round(p.cash * 100) + Math.round(p.reserved * 100) + held) / 100;
}

/** A once-a-second clock for countdowns (halts, scheduled news, retry timers). */
const [now, setNow] = createSignal(Date.now());
setInterval(() => setNow(Date.now()), 1000);
export { now };
