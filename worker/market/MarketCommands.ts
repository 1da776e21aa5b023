/**
 * Everything that changes a market: the organiser's and the players' commands, and what
 * the alarm runs (scheduled news, the tick, the lobby's roster). Each command runs the
 * engine, writes exactly what changed in one SQLite transaction (MarketMemory.commit), and
 * only then tells the sockets. Nothing awaits before its write, so two commands never
 * interleave and a reply leaves only once its write is durable (the output gate); the few
 * awaits (the alarm, the snapshot cache) come after the write.
 */
import type { Clock } from "../lib/clock";
import type { SnapshotCache } from "../lib/snapshotCache";
import type { ControlAction, MarketInfo, NewsItem, Order, Portfolio, ServerMessage } from "../shared/protocol";
import { ok, refuse, type Result } from "../shared/result";
import {
  applyControl,
  applySettings,
  cancelNews,
  dueNews,
  editNews,
  scriptRecords,
  cancelOrder,
  createMarket,
  draftNews,
  joinPlayer,
  newsShownAt,
  mismatchMessage,
  orderRequestMismatch,
  placeOrder,
  publishNews,
  rankNewcomer,
  sessionActionDue,
  setHalt,
  setSession,
  stepTick,
  type MarketConfig,
  type MarketState,
  type NewsDraft,
  type NewsEdit,
  type NewsRecord,
  type OrderRequest,
  type SessionPatch,
  type SettingsChange,
} from "./engine";
import type { LiveFeed } from "./LiveFeed";
import type { MarketMemory } from "./MarketMemory";
import type { MarketReads } from "./MarketReads";
import { marketInfoOf, newsOf, orderOf, tickPriceOf } from "./views";
import type { Wakeups } from "./wakeups";
import { errorFields, log } from "../lib/log";

/** One item of a new market's news script. */
export type ScriptItem = Omit<NewsDraft, "publishAt"> & { afterOpenMs: number };

/** What a join answers about the newcomer (`team` only in a market with teams). */
export interface JoinedPlayer {
  id: string;
  name: string;
  team?: string;
}

export interface CommandDeps {
  memory: MarketMemory;
  reads: MarketReads;
  feed: LiveFeed;
  wakeups: Wakeups;
  clock: Clock;
  snapshotCache: SnapshotCache | null;
  /** Keeps the object alive for work that must not hold up the reply (ctx.waitUntil). */
  waitUntil: (work: Promise<unknown>) => void;
  /** Tells the markets list of a status change the market made by itself (a timed session). */
  statusChanged: (market: MarketInfo) => Promise<void>;
}

export class MarketCommands {
  constructor(private readonly deps: CommandDeps) {}

  private get memory(): MarketMemory {
    return this.deps.memory;
  }

  // ------------------------------------------------------------------ organiser

  /** A new market with its news script (every item waits for the open) and session, in one transaction. */
  async create(config: MarketConfig, script: ScriptItem[] = []): Promise<Result<{ market: MarketInfo }>> {
    if (this.memory.state) return refuse("CODE_TAKEN", `The code ${config.code} is already in use.`);
    const now = this.deps.clock.now();
    const state = createMarket(config, now);
    if (config.session) {
      const session = setSession(state, config.session, now);
      if (!session.ok) return session;
    }
    const items = scriptRecords(this.memory.counters.nextNewsNo, script);
    this.memory.lastTickAt = now;
    this.memory.commit(() => {
      this.memory.state = state;
      this.memory.counters.nextNewsNo += items.length;
      for (const item of items) this.memory.store.insertNews(item);
      this.memory.saveMarketRow(state);
      this.memory.store.saveSettings(state);
      this.memory.store.insertTick(state.tick, now, state.symbols);
      this.memory.history.marketChanged(state);
      for (const item of items) this.memory.history.newsChanged(state, item);
    });
    if (config.session) await this.deps.wakeups.arm(); // a scheduled open
    return ok({ market: marketInfoOf(state, true) });
  }

  /** The organiser's changes after creation (engine/settings.ts says which are safe when). */
  async updateSettings(state: MarketState, change: SettingsChange): Promise<Result<{ market: MarketInfo }>> {
    const result = applySettings(state, change);
    if (!result.ok) return result;
    state.seq += 1;
    this.memory.commit(() => {
      this.memory.saveMarketRow(state);
      for (const p of result.players) this.memory.store.savePlayer(p);
      this.memory.history.marketChanged(state);
    });
    const market = marketInfoOf(state, true);
    this.deps.feed.broadcast({ type: "market", seq: state.seq, market } satisfies ServerMessage);
    await this.dropCachedSnapshot(state);
    await this.deps.wakeups.arm();
    return ok({ market });
  }

  async editNews(state: MarketState, id: string, edit: NewsEdit): Promise<Result<{ news: NewsItem }>> {
    const result = editNews(state, this.memory.store.findNews(id), edit);
    if (!result.ok) return result;
    this.memory.commit(() => {
      this.memory.store.saveNews(result.item);
      this.memory.history.newsChanged(state, result.item);
    });
    await this.deps.wakeups.arm();
    return ok({ news: newsOf(result.item, newsShownAt(state, result.item, this.deps.clock.now())) });
  }

  async control(state: MarketState, action: ControlAction): Promise<Result<{ market: MarketInfo }>> {
    const now = this.deps.clock.now();
    const result = applyControl(state, action, now);
    if (!result.ok) return result;
    if (action === "open" || action === "resume") this.memory.lastTickAt = now;
    state.seq += 1;
    // A closed market publishes nothing more: what is still scheduled is cancelled.
    const dropped =
      action === "close" ? this.memory.store.scheduledNews().map((n) => ({ ...n, status: "cancelled" as const })) : [];
    this.memory.commit(() => {
      for (const n of dropped) {
        this.memory.store.saveNewsStatus(n);
        this.memory.history.newsChanged(state, n);
      }
      this.memory.saveMarketRow(state);
      for (const o of result.cancelled) this.memory.store.saveOrder(o);
      for (const p of result.players) this.memory.store.savePlayer(p);
      this.memory.history.marketChanged(state);
      for (const o of result.cancelled) this.memory.history.orderChanged(state, o);
      if (action === "close") this.memory.history.standings(state, now);
    });
    this.deps.feed.broadcast(this.deps.reads.statusMessage(state));
    await this.dropCachedSnapshot(state);
    for (const o of result.cancelled) this.deps.feed.sendFill(state, o);
    await this.deps.wakeups.arm();
    return ok({ market: marketInfoOf(state, true) });
  }

  /** The organiser schedules, moves or clears the session's open and close. */
  async setSession(state: MarketState, patch: SessionPatch): Promise<Result<{ market: MarketInfo }>> {
    const result = setSession(state, patch, this.deps.clock.now());
    if (!result.ok) return result;
    state.seq += 1;
    this.memory.commit(() => this.memory.saveMarketRow(state));
    this.deps.feed.broadcast(this.deps.reads.statusMessage(state));
    await this.dropCachedSnapshot(state);
    await this.deps.wakeups.arm();
    return ok({ market: marketInfoOf(state, true) });
  }

  async publishNews(state: MarketState, draft: NewsDraft): Promise<Result<{ news: NewsItem }>> {
    const now = this.deps.clock.now();
    const drafted = draftNews(state, this.memory.counters.nextNewsNo, draft, now);
    if (!drafted.ok) return drafted;
    this.memory.counters.nextNewsNo += 1;
    const item = drafted.item;
    if (item.status === "scheduled") {
      this.memory.commit(() => {
        this.memory.store.insertNews(item);
        this.memory.saveMarketRow(state);
        this.memory.history.newsChanged(state, item);
      });
      await this.deps.wakeups.arm();
      return ok({ news: newsOf(item, newsShownAt(state, item, now)) });
    }
    const published = publishNews(state, item, now);
    this.memory.commit(() => {
      this.memory.store.insertNews(published);
      this.savePublished(state, published);
    });
    await this.announceNews(state, published);
    return ok({ news: newsOf(published) });
  }

  async cancelNews(state: MarketState, id: string): Promise<Result<{ news: NewsItem }>> {
    const result = cancelNews(this.memory.store.findNews(id));
    if (!result.ok) return result;
    this.memory.commit(() => {
      this.memory.store.saveNewsStatus(result.item);
      this.memory.history.newsChanged(state, result.item);
    });
    await this.deps.wakeups.arm();
    return ok({ news: newsOf(result.item) });
  }

  async halt(
    state: MarketState,
    symbol: string,
    halted: boolean,
  ): Promise<Result<{ symbol: string; halted: boolean }>> {
    const result = setHalt(state, symbol, halted);
    if (!result.ok) return result;
    if (result.changed) {
      state.seq += 1;
      this.memory.commit(() => this.memory.saveMarketRow(state));
      this.deps.feed.broadcast(this.deps.reads.statusMessage(state));
      await this.dropCachedSnapshot(state);
    }
    return ok({ symbol, halted });
  }

  // ------------------------------------------------------------------ players

  async join(
    state: MarketState,
    name: string,
    team?: string,
  ): Promise<Result<{ player: JoinedPlayer; ordersPerSecond: number }>> {
    const result = joinPlayer(state, name, this.deps.clock.now(), team);
    if (!result.ok) return result;
    this.memory.commit(() => {
      this.memory.store.savePlayer(result.player);
      this.memory.saveMarketRow(state);
      this.memory.history.playerJoined(state, result.player);
    });
    // While open, the next tick ranks the newcomer. Before the market opens there are no
    // ticks, so rank at once: the room wants to see who has joined.
    if (state.status !== "open") rankNewcomer(state, result.player);
    // In the lobby, the sockets (the projector above all) hear of it by the next `lobby`
    // message. A burst of joins shares one message, so a full hall costs one send a tick.
    const feed = this.deps.feed;
    if (state.status === "lobby" && !feed.rosterScheduled) {
      try {
        await this.deps.wakeups.arm();
        feed.rosterScheduled = true;
      } catch (err) {
        // The player is in (committed above); the roster goes out with the next alarm.
        log.error("roster_schedule_failed", { market: state.code, ...errorFields(err) });
      }
    }
    const p = result.player;
    return ok({
      player: { id: p.id, name: p.name, ...(p.team !== undefined ? { team: p.team } : {}) },
      ordersPerSecond: state.rules.ordersPerSecond,
    });
  }

  /**
   * Places an order. A repeated clientOrderId returns the first order (created: false)
   * and executes nothing; the unique index on (player, clientOrderId) backs that up. A
   * repeat that is a different order is refused (IDEMPOTENCY_MISMATCH), also running nothing.
   */
  placeOrder(
    state: MarketState,
    playerId: string,
    req: OrderRequest,
  ): Result<{ created: boolean; order: Order; portfolio: Portfolio }> {
    const store = this.memory.store;
    const previous = store.findOrderByClientId(playerId, req.clientOrderId);
    if (previous) {
      // The same key for a different order is refused, as payment APIs do: the client must
      // not be told that an order it did not send is the one that was placed.
      const differs = orderRequestMismatch(previous, req);
      if (differs.length > 0)
        return refuse("IDEMPOTENCY_MISMATCH", mismatchMessage(previous, differs), {
          order: orderOf(previous),
          fields: differs,
        });
      return ok({ created: false, order: orderOf(previous), portfolio: this.deps.reads.portfolio(state, playerId) });
    }
    const result = placeOrder(state, playerId, req, this.deps.clock.now());
    if (!result.ok) return result;
    this.memory.commit(() => {
      store.saveOrder(result.order);
      for (const f of result.fills) store.insertFill(f);
      store.savePlayer(result.player);
      this.memory.saveMarketRow(state);
      this.memory.history.orderChanged(state, result.order);
      for (const f of result.fills) this.memory.history.filled(state, f);
    });
    const portfolio = this.deps.reads.portfolio(state, playerId);
    if (result.fills.length > 0)
      this.deps.feed.sendToPlayer(playerId, { type: "fill", order: orderOf(result.order), portfolio });
    return ok({ created: true, order: orderOf(result.order), portfolio });
  }

  cancel(state: MarketState, playerId: string, orderId: string): Result<{ order: Order; portfolio: Portfolio }> {
    const result = cancelOrder(state, playerId, orderId, this.deps.clock.now());
    if (!result.ok) {
      // The engine knows only open orders; a finished order of this player is "not open".
      if (result.code === "NOT_FOUND" && this.memory.store.findOrder(playerId, orderId))
        return refuse("ORDER_NOT_OPEN", "This order is no longer open.");
      return result;
    }
    this.memory.commit(() => {
      this.memory.store.saveOrder(result.order);
      this.memory.store.savePlayer(result.player);
      this.memory.history.orderChanged(state, result.order);
    });
    return ok({ order: orderOf(result.order), portfolio: this.deps.reads.portfolio(state, playerId) });
  }

  // ------------------------------------------------------------------ the alarm

  /** Everything that is due at `now`: scheduled news, the session's bell, the tick, the lobby's roster. */
  async wake(state: MarketState, now: number): Promise<void> {
    for (const item of dueNews(state, this.memory.store.scheduledNews(), now)) {
      const published = publishNews(state, item, now);
      this.memory.commit(() => {
        this.memory.store.saveNewsStatus(published);
        this.savePublished(state, published);
      });
      await this.announceNews(state, published);
    }
    const bell = sessionActionDue(state, now);
    if (bell) {
      // The bell rings as if the organiser had pressed the button; the open's first tick
      // comes a tick later, like after a manual open.
      const rang = await this.control(state, bell);
      if (rang.ok) this.deps.waitUntil(this.deps.statusChanged(rang.market).catch(() => {}));
      if (bell === "open") return;
    }
    if (state.status === "open") this.tick(state, now);
    const rosterAt = this.deps.feed.rosterDueAt(state);
    if (rosterAt !== null && now >= rosterAt) this.deps.feed.announceRoster(state, now);
  }

  private tick(state: MarketState, now: number): void {
    const result = stepTick(state, now);
    this.memory.lastTickAt = now;
    state.seq += 1;
    const tickSeq = state.seq;
    const statusChanged = result.halted.length > 0 || result.resumed.length > 0;
    if (statusChanged) state.seq += 1;
    if (result.halted.length > 0)
      log.info("circuit_breaker", { market: state.code, tick: state.tick, halted: result.halted });
    if (result.resumed.length > 0)
      log.info("circuit_breaker_resumed", { market: state.code, tick: state.tick, resumed: result.resumed });
    const { store, history } = this.memory;
    this.memory.commit(() => {
      this.memory.saveMarketRow(state);
      store.insertTick(state.tick, now, state.symbols);
      for (const f of result.fills) store.insertFill(f);
      for (const o of result.orders) store.saveOrder(o);
      for (const p of result.players) store.savePlayer(p);
      history.ticked(state, now);
      for (const o of result.orders) history.orderChanged(state, o);
      for (const f of result.fills) history.filled(state, f);
    });
    const feed = this.deps.feed;
    feed.broadcast({
      type: "tick",
      seq: tickSeq,
      t: now,
      tick: state.tick,
      prices: state.symbols.map(tickPriceOf),
      leaders: this.deps.reads.leaders(state),
      ...this.deps.reads.teamsPart(state),
    } satisfies ServerMessage);
    if (statusChanged) feed.broadcast(this.deps.reads.statusMessage(state));
    // A triggered stop the rules refused has no fill, but its player must hear why.
    for (const o of result.orders) if (o.filledQty > 0 || o.status === "rejected") feed.sendFill(state, o);
    const cache = this.deps.snapshotCache;
    if (cache) {
      // Fire and forget: put() never throws, and the next tick writes a fresh copy anyway.
      const json = JSON.stringify({ ...this.deps.reads.publicSnapshot(state), t: now });
      this.deps.waitUntil(cache.put(state.code, json, state.tickMs));
    }
  }

  // ------------------------------------------------------------------ shared steps

  /** Inside a transaction, after the engine published `item`: the market row and the history. */
  private savePublished(state: MarketState, item: NewsRecord): void {
    this.deps.reads.forgetNews();
    this.memory.saveMarketRow(state);
    this.memory.history.newsChanged(state, item);
  }

  private async announceNews(state: MarketState, item: NewsRecord): Promise<void> {
    this.deps.feed.broadcast({ type: "news", seq: state.seq, news: newsOf(item) } satisfies ServerMessage);
    await this.dropCachedSnapshot(state);
  }

  /**
   * After news or a status change between ticks, the cached copy would be behind: drop it,
   * so readers ask the market until the next tick writes a fresh one. Awaited by the
   * organiser's actions (rare, off the order path), so the organiser's next read already
   * sees the change; drop() never throws and gives up after 300 ms.
   */
  private async dropCachedSnapshot(state: MarketState): Promise<void> {
    if (this.deps.snapshotCache) await this.deps.snapshotCache.drop(state.code);
  }
}
