/**
 * One tick: news, the price step, circuit breakers, then stop orders triggered (below),
 * then resting limit orders matched
 * against the new quotes in time priority, then the ranking. O(symbols + open orders +
 * players log players) once per tick; nothing here runs per order.
 */
import type { FillState, MarketState, OrderState, PlayerState, SymbolState } from "./types.ts";
import { MANUAL_HALT } from "./types.ts";
import { isHalted, requote, symbolOf } from "./common.ts";
import { clampLog } from "./pricing.ts";
import { nextGaussian } from "./rng.ts";
import { isWaitingStop, matchRestingOrder, stopReached, triggerStop } from "./orders.ts";
import { refreshRanks } from "./leaderboard.ts";

export interface TickResult {
  fills: FillState[];
  orders: OrderState[];
  players: PlayerState[];
  halted: string[];
  resumed: string[];
}

/** Volatility is stated per 10 minutes; a tick's share scales with sqrt(time) (random walk). */
const VOLATILITY_HORIZON_MS = 600_000;

export function stepTick(state: MarketState, now: number): TickResult {
  const result: TickResult = { fills: [], orders: [], players: [], halted: [], resumed: [] };
  if (state.status !== "open") return result;
  state.tick++;
  const rules = state.rules;
  const sqrtDt = Math.sqrt(state.tickMs / VOLATILITY_HORIZON_MS);

  for (const sym of state.symbols) {
    if (sym.haltedUntilTick !== null) {
      if (sym.haltedUntilTick === MANUAL_HALT || state.tick < sym.haltedUntilTick) continue; // frozen, news waits
      sym.haltedUntilTick = null;
      sym.window = [sym.last];
      result.resumed.push(sym.symbol);
    }
    // The pull towards F uses the gap before this tick's news: news moves F and P alike,
    // so it must not also widen the gap (that would overshoot by theta * news).
    const gap = sym.logF - sym.logP;
    const news = takeNewsShare(sym);
    sym.logF = clampLog(sym.logF + news);
    const z = nextGaussian(state.rng);
    sym.logP = clampLog(sym.logP + rules.reversion * gap + sym.volatility * sqrtDt * z + news);
    requote(sym, rules);
    if (tripsBreaker(sym, rules.haltBand, rules.haltWindowTicks)) {
      sym.haltedUntilTick = state.tick + rules.haltTicks;
      result.halted.push(sym.symbol);
    }
  }

  // One set for both steps: a player whose stop triggered and whose limit order filled
  // is saved once, not twice.
  const touched = new Set<PlayerState>();
  triggerStops(state, now, result, touched);
  matchRestingOrders(state, now, result, touched);
  result.players.push(...touched);

  for (const sym of state.symbols) {
    sym.lastTickVolume = sym.tickVolume;
    sym.tickVolume = 0;
  }
  refreshRanks(state);
  return result;
}

/**
 * This tick's part of the pending news, front-loaded: half of what is left each tick
 * and all of it on the last, so most of the move lands at once and the rest follows.
 */
function takeNewsShare(sym: SymbolState): number {
  if (sym.pending.length === 0) return 0;
  let share = 0;
  for (const p of sym.pending) {
    const part = p.ticksLeft <= 1 ? p.logLeft : p.logLeft / 2;
    share += part;
    p.logLeft -= part;
    p.ticksLeft--;
  }
  sym.pending = sym.pending.filter((p) => p.ticksLeft > 0);
  return share;
}

/**
 * Push the new last price onto the rolling window and check it: a move of more than
 * `band` from the highest or lowest price of the window (relative to that price) trips.
 */
function tripsBreaker(sym: SymbolState, band: number, windowTicks: number): boolean {
  const w = sym.window;
  w.push(sym.last);
  if (w.length > windowTicks) w.splice(0, w.length - windowTicks);
  let max = w[0];
  let min = w[0];
  for (const p of w) {
    if (p > max) max = p;
    if (p < min) min = p;
  }
  return max - sym.last > band * max || sym.last - min > band * min;
}

/**
 * Stops are checked once per tick, against each symbol's last price after the price step
 * (so a news move triggers them on the tick that carries it). The order is fixed: in
 * rounds, every waiting stop the current prices reach triggers, in placement order; the
 * fills of one round move prices, and the stops those moves reach trigger in the next
 * round, until a round triggers none. Each stop triggers once (it leaves the waiting set),
 * so this ends within as many rounds as there are stops. A halted symbol's stops wait.
 */
function triggerStops(state: MarketState, now: number, result: TickResult, touched: Set<PlayerState>): void {
  for (;;) {
    const due: OrderState[] = [];
    for (const order of state.openOrders.values()) {
      if (!isWaitingStop(order)) continue;
      const sym = symbolOf(state, order.symbol)!;
      if (!isHalted(sym) && stopReached(order, sym.last)) due.push(order);
    }
    if (due.length === 0) break;
    for (const order of due) {
      result.fills.push(...triggerStop(state, order, now));
      result.orders.push(order);
      touched.add(state.players.get(order.playerId)!);
    }
  }
}

/** Resting orders in placement order (Map order = time priority), each fill with its own impact. */
function matchRestingOrders(state: MarketState, now: number, result: TickResult, touched: Set<PlayerState>): void {
  if (state.openOrders.size === 0) return;
  // Deleting the current entry while iterating a Map is safe and visits everything else once.
  for (const order of state.openOrders.values()) {
    if (isWaitingStop(order)) continue;
    const sym = symbolOf(state, order.symbol)!;
    if (isHalted(sym)) continue;
    // Cheap pre-check against the quote before the exact fill-size search.
    if (order.side === "buy" ? sym.ask > order.limitPrice! : sym.bid < order.limitPrice!) continue;
    const player = state.players.get(order.playerId)!;
    const fill = matchRestingOrder(state, order, sym, player, now);
    if (fill === null) continue;
    result.fills.push(fill);
    result.orders.push(order);
    touched.add(player);
  }
}
