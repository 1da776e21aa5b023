/**
 * The market's read models: what REST answers and what the sockets are sent, built from
 * the in-memory state and, for history (news, orders, fills, ticks), from SQLite. Nothing
 * here changes the market.
 */
import type { Clock } from "../lib/clock";
import { fromCents } from "../shared/money";
import {
  CANDLE_INTERVAL_MS,
  PROTOCOL_VERSION,
  type Candle,
  type CandleInterval,
  type Fill,
  type Leader,
  type MarketSnapshot,
  type NewsItem,
  type Order,
  type PlayerSummary,
  type Portfolio,
  type ServerMessage,
  type TeamStanding,
} from "../shared/protocol";
import { ok, refuse, type Result } from "../shared/result";
import {
  candlesFromTicks,
  candleWindow,
  cursorNo,
  isHalted,
  leaderboard,
  newsShownAt,
  pageOf,
  portfolioOf,
  type MarketState,
} from "./engine";
import { playerSummaries } from "./exports";
import type { MarketMemory } from "./MarketMemory";
import {
  fillOf,
  haltedUntilOf,
  leaderOf,
  marketInfoOf,
  newsOf,
  orderOf,
  portfolioViewOf,
  symbolQuoteOf,
} from "./views";

/** How many news items a snapshot carries. */
const SNAPSHOT_NEWS = 20;
/** How many published items the organiser's news list shows. */
const LISTED_NEWS = 100;
/** How many leaders ride along with every tick and snapshot: the projector's top ten. */
export const TICK_LEADERS = 10;

export class MarketReads {
  /**
   * The latest published news for snapshots, read from SQLite once and kept until news is
   * published or memory is rebuilt: a hall of phones (re)connecting at once would otherwise
   * run the same query once per socket (~15% of a connection's cost, profiled).
   */
  private snapshotNews: NewsItem[] | null = null;

  constructor(
    private readonly memory: MarketMemory,
    private readonly clock: Clock,
  ) {}

  /** News was published, or memory rebuilt: the next snapshot reads the news again. */
  forgetNews(): void {
    this.snapshotNews = null;
  }

  portfolio(state: MarketState, playerId: string): Portfolio {
    const pf = portfolioOf(state, playerId);
    if (!pf) throw new Error(`player ${playerId} vanished`);
    return portfolioViewOf(pf);
  }

  leaders(state: MarketState, limit = TICK_LEADERS): Leader[] {
    return leaderboard(state, limit).map(leaderOf);
  }

  /** The team leaderboard as a message's `teams` field: present only in a market with teams. */
  teamsPart(state: MarketState): { teams?: TeamStanding[] } {
    return state.teams ? { teams: state.teamBoard ?? [] } : {};
  }

  publicSnapshot(state: MarketState): MarketSnapshot {
    const lastTickAt = this.memory.lastTickAt;
    return {
      // Rules are public: players' tickets need impact, spread, fees and limits to estimate.
      market: marketInfoOf(state, true),
      seq: state.seq,
      symbols: state.symbols.map((s) => symbolQuoteOf(state, s, lastTickAt)),
      news: (this.snapshotNews ??= this.memory.store.recentNews(SNAPSHOT_NEWS).map((n) => newsOf(n))),
      leaders: this.leaders(state),
      ...this.teamsPart(state),
    };
  }

  snapshotMessage(state: MarketState, playerId: string | null): ServerMessage {
    const pf = playerId ? portfolioOf(state, playerId) : null;
    return {
      type: "snapshot",
      v: PROTOCOL_VERSION,
      ...this.publicSnapshot(state),
      ...(pf && playerId ? { portfolio: portfolioViewOf(pf), playerId } : {}),
    };
  }

  statusMessage(state: MarketState): ServerMessage {
    const haltedUntil: Record<string, number> = {};
    const halted: string[] = [];
    for (const s of state.symbols) {
      if (!isHalted(s)) continue;
      halted.push(s.symbol);
      const until = haltedUntilOf(state, s, this.memory.lastTickAt);
      if (until !== null) haltedUntil[s.symbol] = until;
    }
    return {
      type: "status",
      seq: state.seq,
      status: state.status,
      halted,
      haltedUntil,
      session: { ...state.session },
      t: this.clock.now(),
    };
  }

  /** Published news, newest first; with `includeScheduled`, the scheduled items first, soonest first. */
  news(state: MarketState, includeScheduled: boolean, now: number): NewsItem[] {
    const store = this.memory.store;
    const published = store.recentNews(LISTED_NEWS).map((n) => newsOf(n));
    if (!includeScheduled) return published;
    const scheduled = store
      .scheduledNews()
      .map((n) => newsOf(n, newsShownAt(state, n, now)))
      .sort((a, b) => a.t - b.t || (a.afterOpenMs ?? 0) - (b.afterOpenMs ?? 0));
    return [...scheduled, ...published];
  }

  players(state: MarketState): PlayerSummary[] {
    return playerSummaries(state);
  }

  orders(
    playerId: string,
    onlyOpen: boolean,
    limit: number,
    before: string | null,
  ): { orders: Order[]; next: string | null } {
    const rows = this.memory.store.listOrders(playerId, onlyOpen, limit + 1, cursorNo("o", before));
    const { page, next } = pageOf(rows, limit);
    return { orders: page.map(orderOf), next };
  }

  fills(playerId: string, limit: number, before: string | null): { fills: Fill[]; next: string | null } {
    const rows = this.memory.store.listFills(playerId, limit + 1, cursorNo("f", before));
    const { page, next } = pageOf(rows, limit);
    return { fills: page.map(fillOf), next };
  }

  candles(
    state: MarketState,
    symbol: string,
    interval: CandleInterval,
    from: number | null,
    to: number | null,
    now: number,
  ): Result<{ candles: Candle[] }> {
    const index = state.symbols.findIndex((s) => s.symbol === symbol);
    if (index < 0) return refuse("NOT_FOUND", `No symbol ${symbol} in this market.`);
    const bucketMs = CANDLE_INTERVAL_MS[interval];
    const window = candleWindow(state, bucketMs || state.tickMs, from, to, now);
    const rows = this.memory.store.ticksBetween(window.fromTick, window.start, window.end);
    const candles = candlesFromTicks(rows, index, bucketMs, window).map((c) => ({
      t: c.t,
      o: fromCents(c.o),
      h: fromCents(c.h),
      l: fromCents(c.l),
      c: fromCents(c.c),
      v: c.v,
    }));
    return ok({ candles });
  }
}
