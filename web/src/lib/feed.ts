/**
 * The live market feed: one WebSocket per screen, kept alive and kept honest, mirrored
 * into a Solid store the components read.
 *
 * Three parts: feedSocket.ts keeps the connection (backoff, heartbeat, resync timeout),
 * feedReducer.ts holds the rules (the seq gap rule, how each message changes the
 * screen's data) as a pure function, and this file wires them to the store and the
 * components' listeners.
 */
import { batch, createSignal, untrack } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import type { Portfolio, SymbolQuote } from "../../../worker/shared/messages";
import {
  awaitSnapshot,
  initialFeedModel,
  reduceFeed,
  withPortfolio,
  type FeedData,
  type FeedEffect,
  type FeedEmit,
  type FeedEvents,
  type FeedModel,
} from "./feedReducer";
import { createFeedSocket, wsUrl, type ConnState, type ConnStatus, type FatalReason } from "./feedSocket";
import { formatSpecOf, setMarketFormat } from "./format";

export type { ConnState, FatalReason, FeedEvents };
export { wsUrl };

export interface FeedState extends FeedData {
  conn: ConnState;
  /** When the next reconnect attempt happens (epoch ms), while not live. */
  retryAt: number | null;
  fatal: FatalReason;
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

/**
 * Fields diffed into the store (rows keep their identity, only changed values notify),
 * with the key that matches array items. The rest are set as they are: a new leaders
 * list replaces the old, a spark series per symbol replaces its old series.
 */
const RECONCILED: Partial<Record<keyof FeedData, string>> = {
  market: "id",
  symbols: "symbol",
  news: "id",
  portfolio: "id",
};

export function createFeed(code: string, token?: string | null): Feed {
  let model: FeedModel = initialFeedModel();
  const [state, setState] = createStore<FeedState>({ ...model.data, conn: "connecting", retryAt: null, fatal: null });
  const listeners = new Map<keyof FeedEvents, Set<(p: never) => void>>();

  /** Bring the store up to the new data: only the fields the reducer replaced. */
  function commit(next: FeedModel) {
    const before = model.data;
    model = next;
    // Money on every screen follows the market's currency and number format.
    if (next.data.market && next.data.market !== before.market) setMarketFormat(formatSpecOf(next.data.market.rules));
    for (const field of Object.keys(next.data) as (keyof FeedData)[]) {
      const value = next.data[field];
      if (value === before[field]) continue;
      const key = RECONCILED[field];
      setState(field, (key && value !== null ? reconcile(value, { key }) : value) as never);
    }
  }

  function emit({ event, payload }: FeedEmit) {
    for (const cb of listeners.get(event) ?? []) (cb as (p: typeof payload) => void)(payload);
  }

  function setStatus(status: ConnStatus) {
    setState(status);
  }

  function step(next: FeedModel, effects: FeedEffect[]) {
    batch(() => {
      commit(next);
      for (const e of effects) if (e.type === "synced") socket.synced();
    });
    for (const e of effects) {
      if (e.type === "emit") emit(e);
      else if (e.type === "resync") socket.requestResync();
    }
  }

  function resync() {
    if (socket.requestResync()) model = awaitSnapshot(model);
  }

  // Reads of the store while connecting must not subscribe whoever creates the feed.
  const socket = untrack(() =>
    createFeedSocket(
      wsUrl(code, token),
      {
        opening: () => (model = awaitSnapshot(model)),
        message: (msg) => {
          const { model: next, effects } = reduceFeed(model, msg);
          step(next, effects);
        },
        status: setStatus,
      },
      { tickMs: () => model.data.market?.tickMs ?? 2000 },
    ),
  );

  return {
    state,
    on(type, cb) {
      let set = listeners.get(type);
      if (!set) listeners.set(type, (set = new Set()));
      set.add(cb as (p: never) => void);
      return () => set.delete(cb as (p: never) => void);
    },
    quote: (symbol) => {
      const i = model.index.get(symbol);
      return i === undefined ? undefined : state.symbols[i];
    },
    resync,
    reconnectNow: () => socket.reconnectNow(),
    setPortfolio: (p) => commit(withPortfolio(model, p)),
    close: () => socket.close(),
  };
}

/** A once-a-second clock for countdowns (halts, scheduled news, retry timers). */
const [now, setNow] = createSignal(Date.now());
setInterval(() => setNow(Date.now()), 1000);
export { now };
