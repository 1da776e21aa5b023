/**
 * One market: the single writer and source of truth for its code. A thin shell: it wires
 * the parts beside it together and hands each RPC and runtime hook to the one that owns it.
 *
 * - MarketMemory: the state in memory, its SQLite copy, and the commit-or-reload rule;
 * - MarketCommands: everything that changes the market (engine call, one transaction, then
 *   the sockets), including what the alarm runs;
 * - MarketReads: the read models REST and the sockets are given;
 * - LiveFeed: the sockets, the broadcast shards and the lobby's roster;
 * - Wakeups: the named reasons that share the object's single alarm.
 *
 * Every RPC method is synchronous up to its write, so two calls never interleave and a
 * reply leaves only after its transaction is durable (the output gate holds it).
 */
import { DurableObject } from "cloudflare:workers";
import { drizzle } from "drizzle-orm/durable-sqlite";
import { migrate } from "drizzle-orm/durable-sqlite/migrator";
import migrations from "../../drizzle/market/migrations.js";
import { marketClock, type Clock } from "../lib/clock";
import { getSnapshotCache } from "../lib/snapshotCache";
import type {
  Candle,
  CandleInterval,
  ControlAction,
  Fill,
  Leader,
  MarketInfo,
  MarketResults as MarketResultsView,
  MarketSnapshot,
  ModerationSettings,
  NewsItem,
  Order,
  PlayerResult,
  PlayerSummary,
  Portfolio,
  TeamsConfig,
  TeamStanding,
} from "../shared/protocol";
import { ok, refuse, type Result } from "../shared/result";
import {
  nextNewsAt,
  portfolioOf,
  sessionDueAt,
  type MarketConfig,
  type MarketState,
  type NewsDraft,
  type NewsEdit,
  type OrderRequest,
  type SessionPatch,
  type SettingsChange,
} from "./engine";
import { fillsPage, StandingsExports, type ExportFill, type ExportPage, type StandingsCursor } from "./exports";
import { LiveFeed } from "./LiveFeed";
import { type JoinedPlayer, MarketCommands, type ScriptItem } from "./MarketCommands";
import { ModerationCommands } from "./ModerationCommands";
import { OutboxWriter } from "./OutboxWriter";
import { MarketMemory } from "./MarketMemory";
import { MarketReads } from "./MarketReads";
import { MarketResults } from "./MarketResults";
import { MarketStore } from "./MarketStore";
import * as schema from "./schema";
import { fillOf, marketInfoOf, portfolioViewOf } from "./views";
import { scenarioOf } from "./scenarioExport";
import type { ScenarioFile } from "../shared/scenario";
import { Wakeups } from "./wakeups";
import { errorFields, log } from "../lib/log";

export class MarketDurableObject extends DurableObject<Env> {
  /** Every time the market reads comes from here (tests step it instead of sleeping). */
  private readonly clock: Clock = marketClock;
  private readonly memory: MarketMemory;
  private readonly reads: MarketReads;
  private readonly results: MarketResults;
  private readonly feed: LiveFeed;
  private readonly wakeups: Wakeups;
  private readonly commands: MarketCommands;
  private readonly moderation: ModerationCommands;
  private readonly standingsExports = new StandingsExports(this.clock);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const db = drizzle(ctx.storage, { schema });
    const store = new MarketStore(db, ctx.storage.sql);
    const history = new OutboxWriter(env, store, this.clock);
    this.results = new MarketResults(db);
    this.memory = new MarketMemory(ctx.storage, store, history, () => {
      this.reads.forgetNews();
      this.results.forget();
    });
    this.reads = new MarketReads(this.memory, this.clock);
    this.feed = new LiveFeed(ctx, env, this.memory, this.reads, this.clock);
    this.wakeups = new Wakeups(ctx.storage, this.clock, {
      tick: () => {
        const state = this.memory.state;
        return state?.status === "open" ? this.memory.lastTickAt + state.tickMs : null;
      },
      roster: () => (this.memory.state ? this.feed.rosterDueAt(this.memory.state) : null),
      news: () => (this.memory.state ? nextNewsAt(this.memory.state, store.scheduledNews()) : null),
      history: () => (this.memory.state ? history.nextAttemptAt() : null),
      session: () => {
        const state = this.memory.state;
        return state ? sessionDueAt(state.status, state.session) : null;
      },
    });
    this.commands = new MarketCommands({
      memory: this.memory,
      reads: this.reads,
      feed: this.feed,
      wakeups: this.wakeups,
      clock: this.clock,
      snapshotCache: getSnapshotCache(env),
      waitUntil: (work) => ctx.waitUntil(work),
      // The routes record the organiser's changes; a session's own open and close come from here.
      statusChanged: (market) => env.REGISTRY.get(env.REGISTRY.idFromName("registry")).record(market),
    });
    this.moderation = new ModerationCommands({
      memory: this.memory,
      reads: this.reads,
      feed: this.feed,
      wakeups: this.wakeups,
      clock: this.clock,
      snapshotCache: getSnapshotCache(env),
    });
    void ctx.blockConcurrencyWhile(async () => {
      await migrate(db, migrations);
      this.memory.reload();
    });
  }

  /** Runs `fn` on the market, or refuses when this code has no market. */
  private withMarket<R>(fn: (state: MarketState) => R): R | ReturnType<typeof refuse> {
    const state = this.memory.state;
    return state ? fn(state) : refuse("NOT_FOUND", "No market with this code.");
  }

  /** Runs `fn` for a player of the market, or refuses. */
  private withPlayer<R>(playerId: string, fn: (state: MarketState) => R): R | ReturnType<typeof refuse> {
    return this.withMarket((state) =>
      state.players.has(playerId) ? fn(state) : refuse("UNAUTHORIZED", "This player is not in this market."),
    );
  }

  // ================================================================== organiser

  async create(config: MarketConfig, script: ScriptItem[] = []): Promise<Result<{ market: MarketInfo }>> {
    return this.commands.create(config, script);
  }

  async updateSettings(change: SettingsChange): Promise<Result<{ market: MarketInfo }>> {
    return this.withMarket((state) => this.commands.updateSettings(state, change));
  }

  async editNews(id: string, edit: NewsEdit): Promise<Result<{ news: NewsItem }>> {
    return this.withMarket((state) => this.commands.editNews(state, id, edit));
  }

  /** The market's setup as a scenario: create body, script (scenarioOf in scenarioExport.ts). */
  scenario(): Result<{ scenario: ScenarioFile }> {
    return this.withMarket((state) => ok({ scenario: scenarioOf(state, this.memory.store) }));
  }

  info(): Result<{ market: MarketInfo }> {
    return this.withMarket((state) => ok({ market: marketInfoOf(state, true) }));
  }

  async control(action: ControlAction): Promise<Result<{ market: MarketInfo }>> {
    return this.withMarket((state) => this.commands.control(state, action));
  }

  async setSession(patch: SessionPatch): Promise<Result<{ market: MarketInfo }>> {
    return this.withMarket((state) => this.commands.setSession(state, patch));
  }

  async publishNews(draft: NewsDraft): Promise<Result<{ news: NewsItem }>> {
    return this.withMarket((state) => this.commands.publishNews(state, draft));
  }

  async cancelNews(id: string): Promise<Result<{ news: NewsItem }>> {
    return this.withMarket((state) => this.commands.cancelNews(state, id));
  }

  listNews(includeScheduled: boolean): Result<{ news: NewsItem[] }> {
    return this.withMarket((state) => ok({ news: this.reads.news(state, includeScheduled, this.clock.now()) }));
  }

  async halt(symbol: string, halted: boolean): Promise<Result<{ symbol: string; halted: boolean }>> {
    return this.withMarket((state) => this.commands.halt(state, symbol, halted));
  }

  players(): Result<{ players: PlayerSummary[] }> {
    return this.withMarket((state) => ok({ players: this.reads.players(state) }));
  }

  // ------------------------------------------------------------------ moderation and teams

  async renamePlayer(playerId: string, name: string): Promise<Result<{ player: PlayerSummary }>> {
    return this.withMarket((state) => this.moderation.rename(state, playerId, name));
  }

  async removePlayer(
    playerId: string,
    block: boolean,
  ): Promise<Result<{ removed: { id: string; name: string }; cancelledOrders: number; blocked: boolean }>> {
    return this.withMarket((state) => this.moderation.remove(state, playerId, block));
  }

  getModeration(): Result<{ moderation: ModerationSettings }> {
    return this.withMarket((state) => ok({ moderation: this.moderation.moderation(state) }));
  }

  setModeration(settings: ModerationSettings): Result<{ moderation: ModerationSettings }> {
    return this.withMarket((state) => this.moderation.setModeration(state, settings));
  }

  async setTeams(teams: TeamsConfig | null): Promise<Result<{ market: MarketInfo }>> {
    return this.withMarket((state) => this.moderation.setTeams(state, teams));
  }

  /** A page of the fills export (keyset on the fill number); the route streams the CSV. */
  exportFillsPage(afterNo: number, limit: number): Result<ExportPage<ExportFill, number>> {
    return this.withMarket(() => ok(fillsPage(this.memory.store, afterNo, limit)));
  }

  /** A page of the standings export, cut from standings computed when the export started. */
  exportStandingsPage(
    cursor: StandingsCursor | null,
    limit: number,
  ): Result<ExportPage<PlayerSummary, StandingsCursor>> {
    return this.withMarket((state) => this.standingsExports.page(state, cursor, limit));
  }

  /**
   * The organiser sets the feed's groups before the game starts (see LiveFeed.regroup).
   */
  setBroadcastShards(count: number): Result<{ broadcastShards: number }> {
    return this.withMarket((state) => this.feed.regroup(state, count));
  }

  /** History health for the organiser: outbox depth, last drain, last error. */
  historyStatus() {
    return this.memory.history.status();
  }

  // ================================================================== players and the public

  async join(name: string, team?: string): Promise<Result<{ player: JoinedPlayer; ordersPerSecond: number }>> {
    return this.withMarket((state) => this.commands.join(state, name, team));
  }

  snapshot(): Result<{ snapshot: MarketSnapshot }> {
    return this.withMarket((state) => ok({ snapshot: this.reads.publicSnapshot(state) }));
  }

  portfolio(playerId: string): Result<{ portfolio: Portfolio }> {
    return this.withMarket((state) => {
      const pf = portfolioOf(state, playerId);
      return pf ? ok({ portfolio: portfolioViewOf(pf) }) : refuse("UNAUTHORIZED", "This player is not in this market.");
    });
  }

  placeOrder(playerId: string, req: OrderRequest): Result<{ created: boolean; order: Order; portfolio: Portfolio }> {
    return this.withPlayer(playerId, (state) => this.commands.placeOrder(state, playerId, req));
  }

  listOrders(
    playerId: string,
    onlyOpen: boolean,
    limit: number,
    before: string | null,
  ): Result<{ orders: Order[]; next: string | null }> {
    return this.withPlayer(playerId, () => ok(this.reads.orders(playerId, onlyOpen, limit, before)));
  }

  cancel(playerId: string, orderId: string): Result<{ order: Order; portfolio: Portfolio }> {
    return this.withPlayer(playerId, (state) => this.commands.cancel(state, playerId, orderId));
  }

  fills(playerId: string, limit: number, before: string | null): Result<{ fills: Fill[]; next: string | null }> {
    return this.withPlayer(playerId, () => ok(this.reads.fills(playerId, limit, before)));
  }

  /** The room's end-of-game results (final once closed). */
  roomResults(): Result<{ results: MarketResultsView }> {
    return this.withMarket((state) => ok({ results: this.results.room(state, this.clock.now()) }));
  }

  /** A player's own result: rank, return, best and worst trade, net worth over time. */
  playerResult(playerId: string): Result<{ result: PlayerResult }> {
    return this.withPlayer(playerId, (state) =>
      ok({ result: this.results.player(state, playerId, this.clock.now())! }),
    );
  }

  /** A player's own fills, oldest first, for their CSV. */
  playerFills(playerId: string): Result<{ fills: Fill[] }> {
    return this.withPlayer(playerId, () => ok({ fills: this.results.playerFills(playerId).map(fillOf) }));
  }

  leaders(limit: number): Result<{ leaders: Leader[]; teams?: TeamStanding[] }> {
    return this.withMarket((state) =>
      ok({ leaders: this.reads.leaders(state, limit), ...this.reads.teamsPart(state) }),
    );
  }

  candles(
    symbol: string,
    interval: CandleInterval,
    from: number | null,
    to: number | null,
  ): Result<{ candles: Candle[] }> {
    return this.withMarket((state) => this.reads.candles(state, symbol, interval, from, to, this.clock.now()));
  }

  /** For a broadcast shard: the snapshot message for a new socket or a resync, serialised. */
  feedSnapshot(playerId: string | null): Result<{ seq: number; text: string }> {
    return this.withMarket((state) => {
      if (playerId && !state.players.has(playerId)) return refuse("UNAUTHORIZED", "This player is not in this market.");
      return ok({ seq: state.seq, text: JSON.stringify(this.reads.snapshotMessage(state, playerId)) });
    });
  }

  // ================================================================== runtime hooks

  async alarm(): Promise<void> {
    const state = this.memory.state;
    if (!state) return;
    try {
      await this.commands.wake(state, this.clock.now());
    } finally {
      // Whatever happened above, the market keeps its heartbeat.
      await this.wakeups.arm();
    }
    await this.memory.history.drain(state.code);
  }

  /** Only the WebSocket upgrade arrives here; the Worker has checked the token already. */
  async fetch(request: Request): Promise<Response> {
    return this.feed.upgrade(request);
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    try {
      this.feed.onMessage(ws, message);
    } catch (err) {
      // A bad frame must never take the socket or the market down.
      log.error("ws_message_failed", { market: this.memory.state?.code, ...errorFields(err) });
    }
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.feed.onClose(ws, code, reason);
  }

  async webSocketError(_ws: WebSocket, error: unknown): Promise<void> {
    this.feed.onError(error);
  }
}
