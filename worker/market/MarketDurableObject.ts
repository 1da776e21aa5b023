/**
 * One market: the single writer and source of truth for its code. A thin shell around the
 * pure engine: it loads the state into memory on wake, runs each command through the
 * engine inside one synchronous SQLite transaction, and then tells the sockets.
 *
 * Every RPC method is synchronous up to its write, so two calls never interleave and a
 * reply leaves only after its transaction is durable (the output gate holds it). The few
 * that await something (alarms, the snapshot cache) do so only after their write.
 */
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "../../drizzle/market/migrations.js";
import { marketClock, type Clock } from "../lib/clock";
import { failure, type Failure } from "../lib/errors";
import { closeAll, closeBack, closeOnError, FrameLimiter, readClientFrame, rejectSocket, sendAll } from "../lib/sockets";
import { fromCents } from "../shared/money";
import {
  CANDLE_INTERVAL_MS,
  CloseCode,
  PROTOCOL_VERSION,
  type Candle,
  type CandleInterval,
  type ControlAction,
  type Fill,
  type Leader,
  type MarketInfo,
  type MarketSnapshot,
  type NewsImpact,
  type NewsItem,
  type Order,
  type PlayerSummary,
  type Portfolio,
  type ServerMessage,
} from "../shared/protocol";
import {
  aggregateCandles,
  applyControl,
  applyNews,
  cancelOrder,
  createMarket,
  joinPlayer,
  leaderboard,
  placeOrder,
  portfolioOf,
  rankNewcomer,
  setHalt,
  standings,
  stepTick,
  type FillState,
  type MarketConfig,
  type MarketState,
  type OrderInput,
  type OrderState,
  type PlayerState,
} from "./engine";
import { MarketStore, type ShellCounters } from "./MarketStore";
import * as schema from "./schema";
import {
  fillOf,
  haltedUntilOf,
  leaderOf,
  marketInfoOf,
  newsOf,
  orderOf,
  portfolioOfCents,
  quoteOf,
  tickPriceOf,
  type NewsRow,
} from "./views";
import { MarketHistory } from "./MarketHistory";
import { getSnapshotCache, type SnapshotCache } from "../lib/snapshotCache";
import { FEED_GROUP_HEADER, FEED_GROUP_STATUS, FEED_GROUPS_HEADER, normaliseShards, shardIndex, shardName, SHARDS_KEY } from "../broadcast/shards";
import { ADDRESS_HEADER } from "../lib/clientAddress";
import { playerSockets, socketCapRefusal, socketTags } from "../lib/socketCaps";

/** How many news items a snapshot carries. */
const SNAPSHOT_NEWS = 20;
/** The lobby's roster goes out at most this often (or once a tick, if ticks are quicker). */
const LOBBY_ROSTER_MS = 2000;
/** Storage key: the player count the last lobby message announced. */
const ROSTER_KEY = "feed:lobbyAnnouncedPlayers";
/** Why a socket is closed when the organiser changes the feed's groups (it reconnects). */
const REGROUP_REASON = "The live feed was reorganised; reconnect.";
/** How many leaders ride along with every tick: the projector's top ten. */
const TICK_LEADERS = 10;
/** Candles in a reply, at most, and by default (when `from` is not given). */
const MAX_CANDLES = 2000;
const DEFAULT_CANDLES = 300;
/** Tick rows one candle request may read: about 11 hours of 2 s ticks. */
const MAX_TICK_ROWS = 20_000;

export interface NewsRequest {
  headline: string;
  body: string;
  impacts: NewsImpact[];
  publishAt: number | null;
}

type Ok<T> = { ok: true } & T;

interface SocketAttachment {
  playerId: string | null;
}

export class MarketDurableObject extends DurableObject<Env> {
  private readonly store: MarketStore;
  /** Every time the market reads comes from here (tests step it instead of sleeping). */
  private readonly clock: Clock = marketClock;
  private readonly frameLimiter = new FrameLimiter();
  private readonly snapshotCache: SnapshotCache | null;
  private readonly history: MarketHistory;
  private state: MarketState | null = null;
  private lastTickAt = 0;
  /**
   * In the lobby there are no ticks, so joins are announced by a `lobby` message, at most
   * once per LOBBY_ROSTER_MS. Whether one is owed comes from storage (the player count last
   * announced), so a restart between a join and its alarm still announces it.
   */
  private announcedPlayers: number | null = null;
  private lastRosterAt = 0;
  /** An alarm for the roster is already set (memory only: it just saves alarm calls). */
  private rosterScheduled = false;
  private counters: ShellCounters = { nextNewsNo: 1 };
  /**
   * The latest published news for snapshots, read from SQLite once and kept until news is
   * published or memory is rebuilt: a hall of phones (re)connecting at once would otherwise
   * run the same query once per socket (~15% of a connection's cost, profiled).
   */
  private snapshotNews: NewsItem[] | null = null;
  /** Feed groups of this market (0: every socket here); read lazily from storage. */
  private shardCount: number | null = null;
  private shardStubs: DurableObjectStub<import("../broadcast/BroadcastShard").BroadcastShard>[] = [];

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const db = drizzle(ctx.storage, { schema });
    this.store = new MarketStore(db, ctx.storage.sql);
    this.history = new MarketHistory(env, this.store, this.clock);
    this.snapshotCache = getSnapshotCache(env);
    // Answered by the runtime without waking the object: keep-alives cost nothing.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    void ctx.blockConcurrencyWhile(async () => {
      await migrate(db, migrations);
      this.reload();
    });
  }

  /** Replaces the in-memory state with what SQLite holds (on wake, and after a failed write). */
  private reload(): void {
    const loaded = this.store.load();
    this.state = loaded?.state ?? null;
    this.lastTickAt = loaded?.lastTickAt ?? 0;
    this.counters = loaded?.counters ?? { nextNewsNo: 1 };
    this.history.restore(loaded?.drain ?? null);
    this.snapshotNews = null;
  }

  /**
   * Runs `write` in one SQLite transaction. The engine has already changed the in-memory
   * state; if the write fails, memory is rebuilt from disk so the two never disagree.
   */
  private commit(write: () => void): void {
    try {
      this.ctx.storage.transactionSync(write);
    } catch (err) {
      this.reload();
      throw err;
    }
  }

  private saveMarketRow(state: MarketState): void {
    this.store.saveMarket(state, this.lastTickAt, this.counters);
  }

  private requireMarket(): MarketState | Failure {
    return this.state ?? failure("NOT_FOUND", "No market with this code.");
  }

  private requirePlayer(state: MarketState, playerId: string): PlayerState | Failure {
    return state.players.get(playerId) ?? failure("UNAUTHORIZED", "This player is not in this market.");
  }

  // ================================================================== organiser

  create(config: MarketConfig): Ok<{ market: MarketInfo }> | Failure {
    if (this.state) return failure("CODE_TAKEN", `The code ${config.code} is already in use.`);
    const now = this.clock.now();
    const state = createMarket(config, now);
    this.lastTickAt = now;
    this.commit(() => {
      this.state = state;
      this.saveMarketRow(state);
      this.store.insertTick(state.tick, now, state.symbols);
      this.history.marketChanged(state);
    });
    return { ok: true, market: marketInfoOf(state, true) };
  }

  info(): Ok<{ market: MarketInfo }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    return { ok: true, market: marketInfoOf(state, true) };
  }

  async control(action: ControlAction): Promise<Ok<{ market: MarketInfo }> | Failure> {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const now = this.clock.now();
    const result = applyControl(state, action, now);
    if (!result.ok) return result;
    if (action === "open" || action === "resume") this.lastTickAt = now;
    state.seq += 1;
    this.commit(() => {
      this.saveMarketRow(state);
      for (const o of result.cancelled) this.store.saveOrder(o);
      for (const p of result.players) this.store.savePlayer(p);
      this.history.marketChanged(state);
      for (const o of result.cancelled) this.history.orderChanged(state, o);
      if (action === "close") this.history.standings(state, now);
    });
    this.broadcast(this.statusMessage(state));
    await this.dropCachedSnapshot(state);
    for (const o of result.cancelled) this.sendFill(state, o);
    await this.scheduleNext();
    return { ok: true, market: marketInfoOf(state, true) };
  }

  async publishNews(req: NewsRequest): Promise<Ok<{ news: NewsItem }> | Failure> {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    if (state.status === "closed") return failure("MARKET_NOT_OPEN", "The market is closed.");
    const known = new Set(state.symbols.map((s) => s.symbol));
    const unknown = req.impacts.find((i) => !known.has(i.symbol));
    if (unknown) return failure("NOT_FOUND", `No symbol ${unknown.symbol} in this market.`);
    const now = this.clock.now();
    const scheduled = req.publishAt !== null && req.publishAt > now;
    const no = this.counters.nextNewsNo++;
    const row: NewsRow & { no: number } = {
      id: `n${no}`,
      no,
      headline: req.headline,
      body: req.body,
      impacts: JSON.stringify(req.impacts),
      publishAt: scheduled ? (req.publishAt as number) : now,
      status: scheduled ? "scheduled" : "published",
    };
    if (scheduled) {
      this.commit(() => {
        this.store.insertNews(row);
        this.saveMarketRow(state);
        this.history.newsChanged(state, row);
      });
      await this.scheduleNext();
    } else {
      this.commit(() => {
        this.store.insertNews(row);
        this.applyPublishedNews(state, row);
      });
      this.broadcast({ type: "news", seq: state.seq, news: newsOf(row) } satisfies ServerMessage);
      await this.dropCachedSnapshot(state);
    }
    return { ok: true, news: newsOf(row) };
  }

  /** Inside a transaction: queue the news' impacts, take a seq for it, persist. */
  private applyPublishedNews(state: MarketState, row: NewsRow): void {
    applyNews(state, JSON.parse(row.impacts) as NewsImpact[]);
    this.snapshotNews = null;
    state.seq += 1;
    this.saveMarketRow(state);
    this.history.newsChanged(state, row);
  }

  async cancelNews(id: string): Promise<Ok<{ news: NewsItem }> | Failure> {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const row = this.store.findNews(id);
    if (!row) return failure("NOT_FOUND", "No such news item.");
    if (row.status !== "scheduled") return failure("NOT_FOUND", "Only a scheduled news item that is not yet published can be cancelled.");
    const cancelled = { ...row, status: "cancelled" };
    this.commit(() => {
      this.store.setNewsStatus(id, "cancelled");
      this.history.newsChanged(state, cancelled);
    });
    await this.scheduleNext();
    return { ok: true, news: newsOf(cancelled) };
  }

  listNews(includeScheduled: boolean): Ok<{ news: NewsItem[] }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const published = this.store.recentNews(100).map(newsOf);
    const scheduled = includeScheduled ? this.store.scheduledNews().map(newsOf) : [];
    return { ok: true, news: [...scheduled, ...published] };
  }

  async halt(symbol: string, halted: boolean): Promise<Ok<{ symbol: string; halted: boolean }> | Failure> {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const result = setHalt(state, symbol, halted);
    if (!result.ok) return result;
    if (result.changed) {
      state.seq += 1;
      this.commit(() => this.saveMarketRow(state));
      this.broadcast(this.statusMessage(state));
      await this.dropCachedSnapshot(state);
    }
    return { ok: true, symbol, halted };
  }

  players(): Ok<{ players: PlayerSummary[] }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const players = standings(state).map((l) => ({
      id: l.playerId,
      name: l.name,
      cash: fromCents(state.players.get(l.playerId)!.cash),
      netWorth: fromCents(l.netWorth),
      rank: l.rank,
      returnPct: l.returnPct,
    }));
    return { ok: true, players };
  }

  /** Rows for the CSV exports; the route does the encoding. */
  exportFills(): Ok<{ rows: (Fill & { player: string })[] }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    return { ok: true, rows: this.store.allFills().map((f) => ({ ...fillOf(f), player: f.playerName })) };
  }

  // ================================================================== players

  async join(name: string): Promise<Ok<{ player: { id: string; name: string }; ordersPerSecond: number }> | Failure> {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const now = this.clock.now();
    const result = joinPlayer(state, name, now);
    if (!result.ok) return result;
    this.commit(() => {
      this.store.savePlayer(result.player);
      this.saveMarketRow(state);
      this.history.playerJoined(state, result.player);
    });
    // While open, the next tick ranks the newcomer. Before the market opens there are no
    // ticks, so rank at once: the room wants to see who has joined.
    if (state.status !== "open") rankNewcomer(state, result.player);
    // In the lobby, the sockets (the projector above all) hear of it by the next `lobby`
    // message. A burst of joins shares one message, so a full hall costs one send a tick.
    if (state.status === "lobby" && !this.rosterScheduled) {
      try {
        await this.scheduleNext();
        this.rosterScheduled = true;
      } catch (err) {
        // The player is in (committed above); the roster goes out with the next alarm.
        console.error("could not schedule the lobby roster", err);
      }
    }
    return { ok: true, player: { id: result.player.id, name: result.player.name }, ordersPerSecond: state.rules.ordersPerSecond };
  }

  snapshot(): Ok<{ snapshot: MarketSnapshot }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    return { ok: true, snapshot: this.publicSnapshot(state) };
  }

  portfolio(playerId: string): Ok<{ portfolio: Portfolio }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const pf = portfolioOf(state, playerId);
    if (!pf) return failure("UNAUTHORIZED", "This player is not in this market.");
    return { ok: true, portfolio: portfolioOfCents(pf) };
  }

  /**
   * Places an order. A repeated clientOrderId returns the first order (created: false)
   * and executes nothing; the unique index on (player, clientOrderId) backs that up.
   */
  placeOrder(playerId: string, req: OrderInput): Ok<{ created: boolean; order: Order; portfolio: Portfolio }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const player = this.requirePlayer(state, playerId);
    if ("ok" in player) return player;
    const previous = this.store.findOrderByClientId(playerId, req.clientOrderId);
    if (previous) return { ok: true, created: false, order: orderOf(previous), portfolio: this.portfolioView(state, playerId) };

    const result = placeOrder(state, playerId, req, this.clock.now());
    if (!result.ok) return result;
    this.commit(() => {
      this.store.saveOrder(result.order);
      for (const f of result.fills) this.store.insertFill(f);
      this.store.savePlayer(result.player);
      this.saveMarketRow(state);
      this.history.orderChanged(state, result.order);
      for (const f of result.fills) this.history.filled(state, f);
    });
    const portfolio = this.portfolioView(state, playerId);
    if (result.fills.length > 0) this.sendToPlayer(playerId, { type: "fill", order: orderOf(result.order), portfolio });
    return { ok: true, created: true, order: orderOf(result.order), portfolio };
  }

  listOrders(playerId: string, onlyOpen: boolean, limit: number, before: string | null): Ok<{ orders: Order[]; next: string | null }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const player = this.requirePlayer(state, playerId);
    if ("ok" in player) return player;
    const beforeNo = before && /^o\d+$/.test(before) ? Number(before.slice(1)) : null;
    const rows = this.store.listOrders(playerId, onlyOpen, limit + 1, beforeNo);
    const page = rows.slice(0, limit);
    return { ok: true, orders: page.map(orderOf), next: rows.length > limit ? page[page.length - 1].id : null };
  }

  cancel(playerId: string, orderId: string): Ok<{ order: Order; portfolio: Portfolio }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const player = this.requirePlayer(state, playerId);
    if ("ok" in player) return player;
    const result = cancelOrder(state, playerId, orderId, this.clock.now());
    if (!result.ok) {
      // The engine knows only open orders; a finished order of this player is "not open".
      if (result.code === "NOT_FOUND" && this.store.findOrder(playerId, orderId))
        return failure("ORDER_NOT_OPEN", "This order is no longer open.");
      return result;
    }
    this.commit(() => {
      this.store.saveOrder(result.order);
      this.store.savePlayer(result.player);
      this.history.orderChanged(state, result.order);
    });
    return { ok: true, order: orderOf(result.order), portfolio: this.portfolioView(state, playerId) };
  }

  fills(playerId: string, limit: number, before: string | null): Ok<{ fills: Fill[]; next: string | null }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const player = this.requirePlayer(state, playerId);
    if ("ok" in player) return player;
    const beforeNo = before && /^f\d+$/.test(before) ? Number(before.slice(1)) : null;
    const rows = this.store.listFills(playerId, limit + 1, beforeNo);
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? page[page.length - 1].id : null;
    return { ok: true, fills: page.map(fillOf), next };
  }

  leaders(limit: number): Ok<{ leaders: Leader[] }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    return { ok: true, leaders: leaderboard(state, limit).map(leaderOf) };
  }

  candles(symbol: string, interval: CandleInterval, from: number | null, to: number | null): Ok<{ candles: Candle[] }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    const index = state.symbols.findIndex((s) => s.symbol === symbol);
    if (index < 0) return failure("NOT_FOUND", `No symbol ${symbol} in this market.`);
    const intervalMs = CANDLE_INTERVAL_MS[interval] || state.tickMs;
    const end = to ?? this.clock.now();
    const start = from ?? Math.max(state.createdAt, end - intervalMs * DEFAULT_CANDLES);
    // At most one tick per tickMs happened in the window, and never more than MAX_TICK_ROWS
    // are read: an anonymous request cannot make the market scan a whole day of ticks.
    const ticksInWindow = Math.ceil(Math.max(0, end - start) / state.tickMs) + 2;
    const fromTick = Math.max(0, state.tick - Math.min(ticksInWindow, MAX_TICK_ROWS));
    const rows = this.store.ticksBetween(fromTick, start, end);
    // Volumes are stored cumulative per tick; a candle wants what traded within it.
    let previousVolume = rows.length > 0 ? rows[0].volumes[index] : 0;
    const points = rows.map((r) => {
      const v = r.volumes[index] - previousVolume;
      previousVolume = r.volumes[index];
      return { t: r.t, price: r.prices[index], volume: Math.max(0, v) };
    });
    // "tick" means one candle per tick, however close together the ticks came.
    const raw =
      interval === "tick"
        ? points.map((p) => ({ t: p.t, o: p.price, h: p.price, l: p.price, c: p.price, v: p.volume }))
        : aggregateCandles(points, intervalMs, start, end);
    const candles = raw
      .slice(-MAX_CANDLES)
      .map((c) => ({ t: c.t, o: fromCents(c.o), h: fromCents(c.h), l: fromCents(c.l), c: fromCents(c.c), v: c.v }));
    return { ok: true, candles };
  }

  // ================================================================== the tick

  async alarm(): Promise<void> {
    const state = this.state;
    if (!state) return;
    const now = this.clock.now();
    try {
      await this.publishDueNews(state, now);
      if (state.status === "open") this.tick(state, now);
      const rosterAt = this.rosterDueAt(state);
      if (rosterAt !== null && now >= rosterAt) this.announceRoster(state, now);
    } finally {
      // Whatever happened above, the market keeps its heartbeat.
      await this.scheduleNext();
    }
    await this.history.drain();
  }

  private async publishDueNews(state: MarketState, now: number): Promise<void> {
    for (const row of this.store.dueNews(now)) {
      const published = { ...row, status: "published", publishAt: now };
      this.commit(() => {
        this.store.setNewsStatus(row.id, "published", now);
        this.applyPublishedNews(state, published);
      });
      this.broadcast({ type: "news", seq: state.seq, news: newsOf(published) } satisfies ServerMessage);
      await this.dropCachedSnapshot(state);
    }
  }

  private tick(state: MarketState, now: number): void {
    const result = stepTick(state, now);
    this.lastTickAt = now;
    state.seq += 1;
    const tickSeq = state.seq;
    const statusChanged = result.halted.length > 0 || result.resumed.length > 0;
    if (statusChanged) state.seq += 1;
    this.commit(() => {
      this.saveMarketRow(state);
      this.store.insertTick(state.tick, now, state.symbols);
      for (const f of result.fills) this.store.insertFill(f);
      for (const o of result.orders) this.store.saveOrder(o);
      for (const p of result.players) this.store.savePlayer(p);
      this.history.ticked(state, now);
      for (const o of result.orders) this.history.orderChanged(state, o);
      for (const f of result.fills) this.history.filled(state, f);
    });
    const leaders = leaderboard(state, TICK_LEADERS).map(leaderOf);
    this.broadcast({
      type: "tick",
      seq: tickSeq,
      t: now,
      tick: state.tick,
      prices: state.symbols.map(tickPriceOf),
      leaders,
    } satisfies ServerMessage);
    if (statusChanged) this.broadcast(this.statusMessage(state));
    for (const o of result.orders) if (o.filledQty > 0) this.sendFill(state, o);
    if (this.snapshotCache) {
      // Fire and forget: put() never throws, and the next tick writes a fresh copy anyway.
      const json = JSON.stringify({ ...this.publicSnapshot(state), t: now });
      this.ctx.waitUntil(this.snapshotCache.put(state.code, json, state.tickMs));
    }
  }

  /** When the lobby's next roster is due, or null when nobody joined since the last one. */
  private rosterDueAt(state: MarketState): number | null {
    if (state.status !== "lobby") return null;
    this.announcedPlayers ??= this.ctx.storage.kv.get<number>(ROSTER_KEY) ?? 0;
    if (state.players.size === this.announcedPlayers) return null;
    return this.lastRosterAt + Math.min(state.tickMs, LOBBY_ROSTER_MS);
  }

  /** The lobby's heartbeat: how many have joined and the first of them, as one public message. */
  private announceRoster(state: MarketState, now: number): void {
    const players = state.players.size;
    state.seq += 1;
    this.commit(() => {
      this.saveMarketRow(state);
      this.ctx.storage.kv.put(ROSTER_KEY, players);
    });
    this.announcedPlayers = players;
    this.lastRosterAt = now;
    this.rosterScheduled = false;
    this.broadcast({ type: "lobby", seq: state.seq, players, leaders: leaderboard(state, TICK_LEADERS).map(leaderOf) } satisfies ServerMessage);
  }

  /**
   * After news or a status change between ticks, the cached copy would be behind: drop it,
   * so readers ask the market until the next tick writes a fresh one.
   */
  private async dropCachedSnapshot(state: MarketState): Promise<void> {
    // Awaited by the organiser's actions (rare, off the order path), so the organiser's
    // next read already sees the change; drop() never throws and gives up after 300 ms.
    if (this.snapshotCache) await this.snapshotCache.drop(state.code);
  }

  /** The next wake-up: the next tick while open, the lobby's roster, the next scheduled news, a history retry. */
  private async scheduleNext(): Promise<void> {
    const state = this.state;
    if (!state) return;
    const now = this.clock.now();
    const candidates: number[] = [];
    if (state.status === "open") candidates.push(Math.max(now + 10, this.lastTickAt + state.tickMs));
    const rosterAt = this.rosterDueAt(state);
    if (rosterAt !== null) candidates.push(Math.max(now + 10, rosterAt));
    const newsAt = this.store.nextScheduledNewsAt();
    if (newsAt !== null) candidates.push(Math.max(now + 10, newsAt));
    const historyAt = this.history.nextAttemptAt();
    if (historyAt !== null) candidates.push(Math.max(now + 10, historyAt));
    if (candidates.length === 0) {
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const next = Math.min(...candidates);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || current > next || current < now) await this.ctx.storage.setAlarm(next);
  }

  // ================================================================== WebSockets

  /**
   * How many groups this market's sockets are split into: the organiser's setting for this
   * market, else the deployment's BROADCAST_SHARDS, else none. 0 means this object holds
   * every socket; K > 1 means it holds group 0 and shards 1..K-1 hold the rest.
   */
  private shards(): number {
    if (this.shardCount === null) {
      const stored = this.ctx.storage.kv.get<number>(SHARDS_KEY);
      const fallback = (this.env as unknown as Record<string, string | undefined>).BROADCAST_SHARDS;
      this.shardCount = normaliseShards(stored ?? fallback);
    }
    return this.shardCount;
  }

  private shardStub(index: number) {
    let stub = this.shardStubs[index];
    if (!stub) {
      const ns = this.env.BROADCAST_SHARD;
      stub = ns.get(ns.idFromName(shardName(this.state?.code ?? "", index)));
      this.shardStubs[index] = stub;
    }
    return stub;
  }

  /**
   * The organiser sets the shard count before the game starts: a socket's shard is fixed
   * when it connects, so changing the count under live sockets would strand players'
   * private messages on the wrong shard.
   */
  setBroadcastShards(count: number): Ok<{ broadcastShards: number }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    if (state.status !== "lobby") return failure("MARKET_NOT_OPEN", "Broadcast shards can be set only before the market opens.");
    const shards = normaliseShards(count);
    const before = this.shards();
    this.ctx.storage.kv.put(SHARDS_KEY, shards);
    this.shardCount = shards;
    if (shards !== before) {
      // Sockets already here (a projector opened early) sit in the old split, where they
      // would hear nothing more: ask them to reconnect, so each lands in its new group.
      closeAll(this.ctx.getWebSockets(), CloseCode.serviceRestart, REGROUP_REASON);
      for (let i = 1; i < before; i++)
        this.shardStub(i)
          .closeAll(CloseCode.serviceRestart, REGROUP_REASON)
          .catch((err: unknown) => console.error(`shard ${i} closeAll failed`, err));
    }
    this.shardStubs = [];
    return { ok: true, broadcastShards: shards };
  }

  /** For a broadcast shard: the snapshot message for a new socket or a resync, serialised. */
  feedSnapshot(playerId: string | null): Ok<{ seq: number; text: string }> | Failure {
    const state = this.requireMarket();
    if ("ok" in state) return state;
    if (playerId && !state.players.has(playerId)) return failure("UNAUTHORIZED", "This player is not in this market.");
    return { ok: true, seq: state.seq, text: JSON.stringify(this.snapshotMessage(state, playerId)) };
  }

  /**
   * Only the WebSocket upgrade arrives here; the Worker has checked the token already. A
   * socket of group 0 (every socket, unless the feed is split) is accepted here in this one
   * call; for a socket of another group the answer is FEED_GROUP_STATUS with the group in
   * FEED_GROUP_HEADER, and the Worker hands the upgrade to that shard.
   */
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    const state = this.state;
    const playerId = request.headers.get("X-Player-Id") || null;
    if (!state) return rejectSocket(CloseCode.notFound, "No market with this code.");
    if (playerId && !state.players.has(playerId)) return rejectSocket(CloseCode.unauthorized, "This player is not in this market.");
    // A player always lands in the group the market sends their fills to; a viewer anywhere.
    const shards = this.shards();
    const group = shards > 1 ? shardIndex(playerId ?? crypto.randomUUID(), shards) : 0;
    if (group > 0)
      return new Response(null, { status: FEED_GROUP_STATUS, headers: { [FEED_GROUP_HEADER]: String(group), [FEED_GROUPS_HEADER]: String(shards) } });
    // Socket caps (lib/socketCaps.ts): counted by tag, checked with no await before the accept.
    const address = request.headers.get(ADDRESS_HEADER) ?? "local";
    const refused = socketCapRefusal(this.ctx, playerId, address, shards);
    if (refused) return rejectSocket(refused.code, refused.reason);
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, socketTags(playerId, address));
    server.serializeAttachment({ playerId } satisfies SocketAttachment);
    server.send(JSON.stringify(this.snapshotMessage(state, playerId)));
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    try {
      const state = this.state;
      if (!state) return;
      const msg = readClientFrame(ws, message, this.frameLimiter);
      if (!msg) return;
      switch (msg.type) {
        case "resync": {
          const attachment = ws.deserializeAttachment() as SocketAttachment | null;
          ws.send(JSON.stringify(this.snapshotMessage(state, attachment?.playerId ?? null)));
          return;
        }
        default: {
          const exhaustive: never = msg.type;
          return exhaustive;
        }
      }
    } catch (err) {
      // A bad frame must never take the socket or the market down.
      console.error("webSocketMessage failed", err);
    }
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeBack(ws, code, reason);
  }

  async webSocketError(ws: WebSocket): Promise<void> {
    closeOnError(ws);
  }

  /**
   * Serialises a public message once and sends the same string to every socket here and,
   * with broadcast shards, once to each shard (which passes it on to its sockets).
   */
  private broadcast(msg: ServerMessage): void {
    const text = JSON.stringify(msg);
    const shards = this.shards();
    if (shards > 1) {
      const seq = "seq" in msg ? msg.seq : 0;
      // Groups 1..K-1 are shard objects, told first so their sends run while this object
      // sends to group 0, its own sockets. Not awaited: the tick must not wait for the
      // slowest shard. Calls on one stub arrive in the order they were made, so each shard
      // sees seq in order; a lost call shows up as a gap at the clients, who resync.
      for (let i = 1; i < shards; i++) this.shardStub(i).deliver(seq, text).catch((err: unknown) => console.error(`shard ${i} deliver failed`, err));
    }
    sendAll(this.ctx.getWebSockets(), text);
  }

  private sendToPlayer(playerId: string, msg: ServerMessage): void {
    const sockets = playerSockets(this.ctx, playerId);
    const shard = shardIndex(playerId, this.shards());
    if (sockets.length === 0 && shard === 0) return;
    const text = JSON.stringify(msg);
    sendAll(sockets, text);
    if (shard > 0)
      this.shardStub(shard)
        .deliverTo(playerId, text)
        .catch((err: unknown) => console.error("shard deliverTo failed", err));
  }

  private sendFill(state: MarketState, order: OrderState): void {
    this.sendToPlayer(order.playerId, { type: "fill", order: orderOf(order), portfolio: this.portfolioView(state, order.playerId) });
  }

  // ================================================================== views

  private portfolioView(state: MarketState, playerId: string): Portfolio {
    const pf = portfolioOf(state, playerId);
    if (!pf) throw new Error(`player ${playerId} vanished`);
    return portfolioOfCents(pf);
  }

  private publicSnapshot(state: MarketState): MarketSnapshot {
    return {
      // Rules are public: players' tickets need impact, spread, fees and limits to estimate.
      market: marketInfoOf(state, true),
      seq: state.seq,
      symbols: state.symbols.map((s) => quoteOf(state, s, this.lastTickAt)),
      news: (this.snapshotNews ??= this.store.recentNews(SNAPSHOT_NEWS).map(newsOf)),
      leaders: leaderboard(state, TICK_LEADERS).map(leaderOf),
    };
  }

  private snapshotMessage(state: MarketState, playerId: string | null): ServerMessage {
    const snapshot = this.publicSnapshot(state);
    const pf = playerId ? portfolioOf(state, playerId) : null;
    return {
      type: "snapshot",
      v: PROTOCOL_VERSION,
      ...snapshot,
      ...(pf && playerId ? { portfolio: portfolioOfCents(pf), playerId } : {}),
    };
  }

  private statusMessage(state: MarketState): ServerMessage {
    const haltedUntil: Record<string, number> = {};
    const halted: string[] = [];
    for (const s of state.symbols) {
      if (s.haltedUntilTick === null) continue;
      halted.push(s.symbol);
      const until = haltedUntilOf(state, s, this.lastTickAt);
      if (until !== null) haltedUntil[s.symbol] = until;
    }
    return { type: "status", seq: state.seq, status: state.status, halted, haltedUntil };
  }

  // ================================================================== test and ops hooks

  /** History health for the organiser: outbox depth, last drain, last error. */
  historyStatus() {
    return this.history.status();
  }
}

export type { FillState };
