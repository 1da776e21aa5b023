/**
 * MarketState to JSON and back. Maps become arrays of entries (insertion order kept,
 * since Map order is the orders' time priority and the players' join order), everything
 * else is plain data already. The revived state is deep-equal to the original and carries
 * on the same sequence of prices and fills.
 */
import type { LeaderEntry, MarketState, OrderState, PlayerState } from "./types.ts";
import { nameKey } from "./market.ts";
import { refreshRanks } from "./leaderboard.ts";

interface MarketJson extends Omit<MarketState, "players" | "openOrders" | "nameIndex" | "ranks"> {
  v: 1;
  players: [string, PlayerState][];
  openOrders: [string, OrderState][];
  nameIndex: [string, string][];
  ranks: [string, number][];
  top: LeaderEntry[];
}

export function serializeMarket(state: MarketState): string {
  const json: MarketJson = {
    ...state,
    v: 1,
    players: [...state.players],
    openOrders: [...state.openOrders],
    nameIndex: [...state.nameIndex],
    ranks: [...state.ranks],
  };
  return JSON.stringify(json);
}

export function reviveMarket(text: string): MarketState {
  const { v, players, openOrders, nameIndex, ranks, ...rest } = JSON.parse(text) as MarketJson;
  if (v !== 1) throw new Error(`Unknown market state version ${String(v)}`);
  return {
    ...rest,
    players: new Map(players),
    // States saved before stop orders have none of their fields.
    openOrders: new Map(openOrders.map(([id, o]) => [id, withStopFields(o)])),
    nameIndex: new Map(nameIndex),
    ranks: new Map(ranks),
  };
}

/** An order saved before stop orders existed: no stop price, never triggered, no reason. */
export function withStopFields(o: OrderState): OrderState {
  return {
    ...o,
    stopPrice: o.stopPrice ?? null,
    triggeredAt: o.triggeredAt ?? null,
    rejectReason: o.rejectReason ?? null,
  };
}

/**
 * Rebuild what is derived from the players (the name index and the ranking) on a state
 * loaded from rows rather than revived from JSON. Safe to call on any state.
 */
export function rebuildDerived(state: MarketState): void {
  state.nameIndex = new Map();
  for (const p of state.players.values()) state.nameIndex.set(nameKey(p.name), p.id);
  refreshRanks(state);
}
