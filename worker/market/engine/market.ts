/**
 * Market lifecycle: creation, players joining, the organiser's controls, halts and news.
 */
import type { ControlAction, MarketStatus } from "../../shared/protocol.ts";
import { TRANSITIONS } from "../../shared/lifecycle.ts";
import type { MarketConfig, MarketState, OrderState, PlayerState, SymbolState } from "./types.ts";
import { MANUAL_HALT } from "./types.ts";
import { isHalted, type Refusal, refuse, requote, symbolOf } from "./common.ts";
import { seedRng } from "./rng.ts";
import { releaseOrder } from "./orders.ts";
import { refreshRanks } from "./leaderboard.ts";
import { nameKey } from "../../shared/names.ts";
import { NO_SESSION, startSession } from "./session.ts";
import { checkNewName, defaultModeration } from "./moderation.ts";
import { teamForNewcomer } from "./teams.ts";

export function createMarket(config: MarketConfig, now: number): MarketState {
  const symbols: SymbolState[] = config.symbols.map((c) => {
    const logP = Math.log(c.price);
    const sym: SymbolState = {
      ...c,
      logF: logP,
      logP,
      last: c.price,
      bid: c.price,
      ask: c.price,
      open: c.price,
      high: c.price,
      low: c.price,
      volume: 0,
      haltedUntilTick: null,
      window: [c.price],
      pending: [],
      tickVolume: 0,
      lastTickVolume: 0,
    };
    requote(sym, config.rules);
    return sym;
  });
  return {
    code: config.code,
    name: config.name,
    status: "lobby",
    tickMs: config.tickMs,
    startingCash: config.startingCash,
    seed: config.seed,
    rules: { ...config.rules },
    session: { ...NO_SESSION },
    createdAt: now,
    openedAt: null,
    pausedMs: 0,
    pausedAt: null,
    tick: 0,
    seq: 0,
    rng: seedRng(config.seed),
    symbols,
    players: new Map(),
    openOrders: new Map(),
    nextOrderNo: 1,
    nextFillNo: 1,
    nextPlayerNo: 1,
    nameIndex: new Map(),
    ranks: new Map(),
    top: [],
    teams: config.teams ? { names: [...config.teams.names], assign: config.teams.assign } : null,
    teamBoard: [],
    moderation: defaultModeration(),
  };
}

/**
 * The key names are compared by: names that look alike share one (case, accents, invisible
 * characters and look-alike letters folded; worker/shared/names.ts has the rules).
 */
export { nameKey };

/**
 * A newcomer. `team` is the team asked for, in a market where players choose one; a
 * market that assigns teams gives the smallest. Refused when the market is closed or
 * full, the name is blocked, holds a banned word or looks like a player's already here.
 */
export function joinPlayer(
  state: MarketState,
  name: string,
  now: number,
  team?: string,
): { ok: true; player: PlayerState } | Refusal {
  if (state.status === "closed") return refuse("MARKET_NOT_OPEN", "The market is closed");
  if (state.status !== "lobby" && state.rules.lateEntry === false)
    return refuse("MARKET_NOT_OPEN", "Trading has started and this market takes no late entries.");
  const cap = state.rules.maxPlayers;
  if (cap !== undefined && state.players.size >= cap)
    return refuse("MARKET_FULL", `The market is full: the organiser allows at most ${cap} players`);
  const refused = checkNewName(state, name);
  if (refused) return refused;
  const assigned = teamForNewcomer(state, team);
  if ("ok" in assigned) return assigned;
  const key = nameKey(name);
  const player: PlayerState = {
    id: "p" + state.nextPlayerNo++,
    name: name.trim(),
    cash: state.startingCash,
    reserved: 0,
    positions: {},
    openOrders: 0,
    joinedAt: now,
    ...(assigned.team !== null ? { team: assigned.team } : {}),
  };
  state.players.set(player.id, player);
  state.nameIndex.set(key, player.id);
  return { ok: true, player };
}

export function applyControl(
  state: MarketState,
  action: ControlAction,
  now: number,
): { ok: true; status: MarketStatus; cancelled: OrderState[]; players: PlayerState[] } | Refusal {
  const step = TRANSITIONS[action];
  if (!step.from.includes(state.status))
    return refuse("MARKET_NOT_OPEN", `Cannot ${action} a market that is ${state.status}`);
  const wasLobby = state.status === "lobby";
  state.status = step.to;
  const cancelled: OrderState[] = [];
  const players: PlayerState[] = [];
  // The news script counts trading time from the first open; pauses hold it.
  if (action === "open" && wasLobby) state.openedAt = now;
  if (action === "pause") state.pausedAt = now;
  if ((action === "resume" || action === "close") && state.pausedAt !== null) {
    state.pausedMs += now - state.pausedAt;
    state.pausedAt = null;
  }
  if (action === "open" && wasLobby) {
    // The session statistics start when trading starts, not when the market was created.
    for (const sym of state.symbols) {
      sym.open = sym.high = sym.low = sym.last;
    }
    startSession(state, now);
  }
  if (action === "close") {
    const touched = new Set<PlayerState>();
    for (const order of [...state.openOrders.values()]) {
      const player = state.players.get(order.playerId)!;
      releaseOrder(state, order, player, "cancelled", now);
      cancelled.push(order);
      touched.add(player);
    }
    players.push(...touched);
    // Standings freeze at close, so rank them on the final books.
    refreshRanks(state);
  }
  return { ok: true, status: state.status, cancelled, players };
}

/**
 * Organiser halt or resume. A manual halt stays until resumed by hand; halting a symbol
 * the circuit breaker already halted turns it into a manual halt. `changed` says whether
 * the symbol's halt state changed at all (so the shell knows to persist and announce).
 */
export function setHalt(state: MarketState, symbol: string, halted: boolean): { ok: true; changed: boolean } | Refusal {
  const sym = symbolOf(state, symbol);
  if (sym === undefined) return refuse("NOT_FOUND", `No symbol ${symbol} in this market`);
  if (halted) {
    if (sym.haltedUntilTick === MANUAL_HALT) return { ok: true, changed: false };
    sym.haltedUntilTick = MANUAL_HALT;
    return { ok: true, changed: true };
  }
  if (!isHalted(sym)) return { ok: true, changed: false };
  sym.haltedUntilTick = null;
  // A fresh window, so the move that caused a halt does not halt it again at once.
  sym.window = [sym.last];
  return { ok: true, changed: true };
}

/**
 * Queue news moves. Each adds ln(1 + move) to both logF and logP, spread by stepTick over
 * `ticks` ticks: the market reprices on the news and, since F moved too, stays there.
 */
export function applyNews(state: MarketState, impacts: { symbol: string; move: number; ticks: number }[]): void {
  for (const impact of impacts) {
    const sym = symbolOf(state, impact.symbol);
    // -100% or worse has no log; the API caps moves at -90%, this only guards direct callers.
    if (sym === undefined || !(impact.move > -1) || !Number.isFinite(impact.move)) continue;
    const ticks = Math.max(1, Math.floor(impact.ticks || 1));
    // `|| 0`: a move of -0 must not store -0, which JSON would turn into 0 (replay must be exact).
    sym.pending.push({ logLeft: Math.log1p(impact.move) || 0, ticksLeft: ticks });
  }
}
