/**
 * The end-of-game read models: the room's results (projector) and each player's own
 * (phone), and a player's fills for their CSV. The arithmetic is the engine's
 * (engine/results.ts); this part reads the fills and tick rows it needs from SQLite.
 * Once the market is closed nothing changes any more, so the room's results are kept.
 */
import { asc, eq, or, sql } from "drizzle-orm";
import type { FillState, MarketState } from "./engine";
import {
  bestAndWorstTrades,
  bestStock,
  biggestTrade,
  netWorthSeries,
  portfolioOf,
  returnPct,
  sampleStep,
} from "./engine";
import { fromCents } from "../shared/money";
import type { MarketResults as Results, PlayerResult, TradeHighlight } from "../shared/messages";
import type { MarketDb } from "./MarketStore";
import * as schema from "./schema";
import { fillStateOf } from "./storeSql";
import { leaderOf } from "./views";
import { leaderboard } from "./engine";

const closeOf = (state: MarketState) => (symbol: string) => state.symbols.find((s) => s.symbol === symbol)?.last;

/** Points in a player's net-worth chart: enough for a phone's width. */
export const SERIES_POINTS = 120;
/** Fills a player's CSV or result reads at most (a 10-orders-a-second player needs 30 h to pass it). */
export const PLAYER_FILLS_MAX = 100_000;

function highlightOf(f: FillState, extra: Partial<TradeHighlight> = {}): TradeHighlight {
  return {
    symbol: f.symbol,
    side: f.side,
    qty: f.qty,
    price: fromCents(f.price),
    value: fromCents(f.price * f.qty),
    t: f.t,
    ...extra,
  };
}

/** While the market runs, the room's results are reused this long (one fills scan per window, however many ask). */
export const LIVE_RESULTS_MS = 5_000;

export class MarketResults {
  private final: Results | null = null;
  private live: { at: number; results: Results } | null = null;
  /** The price samples of a closed market: every phone asks for its result at the bell. */
  private finalSamples: { t: number; prices: number[] }[] | null = null;

  constructor(private readonly db: MarketDb) {}

  /** Memory was rebuilt: read again. */
  forget(): void {
    this.final = null;
    this.live = null;
    this.finalSamples = null;
  }

  room(state: MarketState, now: number): Results {
    if (this.final) return this.final;
    if (this.live && state.status !== "closed" && now - this.live.at < LIVE_RESULTS_MS) return this.live.results;
    const big = this.biggestFill();
    const best = bestStock(state.symbols);
    const results: Results = {
      status: state.status,
      players: state.players.size,
      leaders: leaderboard(state, 10).map(leaderOf),
      biggestTrade: big && highlightOf(big, { player: state.players.get(big.playerId)?.name ?? "?" }),
      bestStock: best && {
        symbol: best.symbol,
        name: best.name,
        open: fromCents(best.open),
        last: fromCents(best.last),
        changePct: best.changePct,
      },
    };
    if (state.status === "closed") this.final = results;
    else this.live = { at: now, results };
    return results;
  }

  /** The player's result as of `now` (final once the market is closed). */
  player(state: MarketState, playerId: string, now: number): PlayerResult | null {
    const player = state.players.get(playerId);
    const pf = portfolioOf(state, playerId);
    if (!player || !pf) return null;
    const fills = this.playerFills(playerId);
    const { best, worst } = bestAndWorstTrades(fills, closeOf(state));
    const symbols = state.symbols.map((s) => s.symbol);
    // The tick rows, then now: the series ends at the net worth the player sees.
    const ticks =
      state.status === "closed" ? (this.finalSamples ??= this.priceSamples(state.tick)) : this.priceSamples(state.tick);
    const samples = [...ticks, { t: now, prices: state.symbols.map((s) => s.last) }];
    const series = netWorthSeries(state.startingCash, symbols, fills, samples);
    return {
      name: player.name,
      rank: pf.rank,
      players: state.players.size,
      netWorth: fromCents(pf.netWorth),
      startingCash: fromCents(state.startingCash),
      returnPct: returnPct(pf.netWorth, state.startingCash),
      trades: fills.length,
      bestTrade: best && highlightOf(best.fill, { gain: fromCents(best.gain) }),
      worstTrade: worst && highlightOf(worst.fill, { gain: fromCents(worst.gain) }),
      netWorthSeries: series.map((p) => ({ t: p.t, netWorth: fromCents(p.netWorth) })),
    };
  }

  /** The player's fills in execution order (their CSV, their result). */
  playerFills(playerId: string): FillState[] {
    return this.db
      .select()
      .from(schema.fills)
      .where(eq(schema.fills.playerId, playerId))
      .orderBy(asc(schema.fills.no))
      .limit(PLAYER_FILLS_MAX)
      .all()
      .map(fillStateOf);
  }

  /** The fill of the largest value: one scan, read once the market is closed (then kept). */
  private biggestFill(): FillState | null {
    const rows = this.db
      .select()
      .from(schema.fills)
      .orderBy(sql`${schema.fills.price} * ${schema.fills.qty} DESC`, asc(schema.fills.no))
      .limit(1)
      .all();
    return biggestTrade(rows.map(fillStateOf));
  }

  /** Every step-th tick row and the last, by primary key. */
  private priceSamples(lastTick: number): { t: number; prices: number[] }[] {
    const step = sampleStep(lastTick, SERIES_POINTS);
    return this.db
      .select({ t: schema.ticks.t, prices: schema.ticks.prices })
      .from(schema.ticks)
      .where(or(sql`${schema.ticks.tick} % ${step} = 0`, eq(schema.ticks.tick, lastTick)))
      .orderBy(asc(schema.ticks.tick))
      .all()
      .map((r) => ({ t: r.t, prices: JSON.parse(r.prices) as number[] }));
  }
}
