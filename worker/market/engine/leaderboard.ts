/**
 * Net worth, portfolios and the ranking. Ranking sorts every player, so it runs once per
 * tick (and at close), never per order; between ticks ranks and leaders are read from
 * the cache it leaves on the state.
 */
import type { Cents, LeaderEntry, MarketState, PlayerState } from "./types.ts";
import { LEADERBOARD_CACHE } from "./types.ts";
import { symbolOf } from "./common.ts";
import { boardWithNewcomer, teamStandings, type TeamMember } from "./teams.ts";

export interface PortfolioCents {
  cash: Cents;
  reserved: Cents;
  positions: {
    symbol: string;
    qty: number;
    reservedQty: number;
    avgCost: Cents;
    price: Cents;
    value: Cents;
    pnl: Cents;
  }[];
  netWorth: Cents;
  rank: number;
  startingCash: Cents;
}

/** cash + reserved + sum(qty * last). */
export function netWorth(state: MarketState, player: PlayerState): Cents {
  let worth = player.cash + player.reserved;
  for (const symbol in player.positions) {
    const qty = player.positions[symbol].qty;
    if (qty !== 0) worth += qty * symbolOf(state, symbol)!.last;
  }
  return worth;
}

/** Return on the starting cash in percent, 2 decimals (12.5 = +12.5%). */
export function returnPct(worth: Cents, startingCash: Cents): number {
  if (!(startingCash > 0)) return 0;
  // `|| 0` turns -0 into 0: JSON cannot carry -0, and a revived state must equal the original.
  return Math.round(((worth - startingCash) / startingCash) * 10_000) / 100 || 0;
}

/**
 * Rank everyone by net worth, best first; equal net worth ranks the earlier joiner first
 * (by join time, then by player number, so the order does not depend on how a loaded
 * state's Map happened to be filled). Ranks are 1, 2, 3... with no shared places, so a
 * rank always names one player.
 */
export function refreshRanks(state: MarketState): void {
  const players = [...state.players.values()];
  const n = players.length;
  // Prices looked up once per ranking, not once per position.
  const price = new Map<string, Cents>();
  for (const sym of state.symbols) price.set(sym.symbol, sym.last);
  const worth = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = players[i];
    let w = p.cash + p.reserved;
    for (const symbol in p.positions) {
      const qty = p.positions[symbol].qty;
      if (qty !== 0) w += qty * price.get(symbol)!;
    }
    worth[i] = w;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => worth[b] - worth[a] || earlierJoiner(players[a], players[b]));
  const ranks = new Map<string, number>();
  const top: LeaderEntry[] = [];
  for (let r = 0; r < order.length; r++) {
    const p = players[order[r]];
    ranks.set(p.id, r + 1);
    if (r < LEADERBOARD_CACHE) {
      const w = worth[order[r]];
      top.push(
        withTeam(
          { rank: r + 1, playerId: p.id, name: p.name, netWorth: w, returnPct: returnPct(w, state.startingCash) },
          p,
        ),
      );
    }
  }
  state.ranks = ranks;
  state.top = top;
  if (state.teams) {
    // The members' returns as everyone sees them, so a team of one shows its member's figure.
    const members: TeamMember[] = players.map((p, i) => ({
      team: p.team,
      returnPct: returnPct(worth[i], state.startingCash),
    }));
    state.teamBoard = teamStandings(state.teams, members);
  } else if (state.teamBoard !== undefined) state.teamBoard = [];
}

/** A leaderboard entry carries the player's team when they have one (and no key at all otherwise). */
function withTeam(entry: LeaderEntry, p: PlayerState): LeaderEntry {
  if (p.team !== undefined) entry.team = p.team;
  return entry;
}

/**
 * Ranks a player who has just joined. Before the market opens nobody can trade, so everyone
 * is worth their starting cash and the ranking is the join order: the newcomer, normally
 * the latest joiner, simply goes last. That takes one pass over the players instead of a
 * sort of all of them, which is what a hall joining at once costs (`npm run bench:engine`:
 * 10,000 joins ranked this way take 0.19 s, with a full sort after each 7.6 s). Anywhere
 * else, or if a clock step put the newcomer ahead of someone, it is a full refresh; the
 * result is always exactly what `refreshRanks` would give.
 */
export function rankNewcomer(state: MarketState, player: PlayerState): void {
  const n = state.players.size;
  const appendable =
    state.status === "lobby" &&
    state.ranks.size === n - 1 &&
    !state.ranks.has(player.id) &&
    netWorth(state, player) === state.startingCash &&
    everyoneJoinedBefore(state, player);
  if (!appendable) return refreshRanks(state);
  state.ranks.set(player.id, n);
  if (state.top.length < LEADERBOARD_CACHE)
    state.top.push(
      withTeam(
        {
          rank: n,
          playerId: player.id,
          name: player.name,
          netWorth: state.startingCash,
          returnPct: returnPct(state.startingCash, state.startingCash),
        },
        player,
      ),
    );
  if (state.teams && player.team !== undefined)
    state.teamBoard = boardWithNewcomer(state.teams, state.teamBoard ?? [], player.team);
}

function everyoneJoinedBefore(state: MarketState, newcomer: PlayerState): boolean {
  for (const p of state.players.values()) if (p !== newcomer && earlierJoiner(newcomer, p) < 0) return false;
  return true;
}

function earlierJoiner(a: PlayerState, b: PlayerState): number {
  // Player ids are "p" + join number.
  return a.joinedAt - b.joinedAt || Number(a.id.slice(1)) - Number(b.id.slice(1));
}

/**
 * Every player in rank order as of the last ranking (anyone who joined since goes last),
 * valued at the current prices: the organiser's table, the standings export and the final
 * standings. Unlike `leaderboard`, never cut at LEADERBOARD_CACHE.
 */
export function standings(state: MarketState): LeaderEntry[] {
  const unranked = state.players.size;
  const all: LeaderEntry[] = [];
  for (const p of state.players.values()) {
    const w = netWorth(state, p);
    all.push(
      withTeam(
        {
          rank: state.ranks.get(p.id) ?? unranked,
          playerId: p.id,
          name: p.name,
          netWorth: w,
          returnPct: returnPct(w, state.startingCash),
        },
        p,
      ),
    );
  }
  return all.sort(
    (a, b) => a.rank - b.rank || earlierJoiner(state.players.get(a.playerId)!, state.players.get(b.playerId)!),
  );
}

/** The best `limit` players as of the last ranking (at most LEADERBOARD_CACHE). */
export function leaderboard(state: MarketState, limit: number): LeaderEntry[] {
  return state.top.slice(0, Math.max(0, limit));
}

export function portfolioOf(state: MarketState, playerId: string): PortfolioCents | null {
  const player = state.players.get(playerId);
  if (player === undefined) return null;
  const positions: PortfolioCents["positions"] = [];
  for (const symbol in player.positions) {
    const pos = player.positions[symbol];
    if (pos.qty === 0 && pos.reservedQty === 0) continue;
    const price = symbolOf(state, symbol)!.last;
    const value = pos.qty * price;
    positions.push({
      symbol,
      qty: pos.qty,
      reservedQty: pos.reservedQty,
      avgCost: pos.qty !== 0 ? Math.round(pos.cost / pos.qty) : 0,
      price,
      value,
      pnl: value - pos.cost,
    });
  }
  return {
    cash: player.cash,
    reserved: player.reserved,
    positions,
    netWorth: netWorth(state, player),
    // Someone who joined after the last ranking goes after everyone ranked.
    rank: state.ranks.get(playerId) ?? state.players.size,
    startingCash: state.startingCash,
  };
}
