import {
  applyControl,
  createMarket,
  DEFAULT_RULES,
  joinPlayer,
  placeOrder,
  type MarketConfig,
  type MarketState,
  type OrderRequest,
} from "../../worker/market/engine";
import type { MarketRules } from "../../worker/shared/protocol";

/** A small market: two symbols at $100.00 and $20.00, $10,000.00 starting cash. */
export function config(rules: Partial<MarketRules> = {}, extra: Partial<MarketConfig> = {}): MarketConfig {
  return {
    code: "TEST",
    name: "Test market",
    startingCash: 1_000_000,
    tickMs: 2000,
    seed: 7,
    rules: { ...DEFAULT_RULES, ...rules },
    symbols: [
      { symbol: "ACME", name: "Acme", sector: "Industry", price: 10_000, volatility: 0.03, liquidity: 10_000 },
      { symbol: "BOLT", name: "Bolt", sector: "Energy", price: 2_000, volatility: 0.05, liquidity: 5_000 },
    ],
    ...extra,
  };
}

/** An open market with the named players joined (ids p1, p2, ... in order). */
export function openMarket(
  players: string[] = ["ann", "bob"],
  rules: Partial<MarketRules> = {},
  extra: Partial<MarketConfig> = {},
): MarketState {
  const state = createMarket(config(rules, extra), 0);
  for (const name of players) must(joinPlayer(state, name, 0));
  must(applyControl(state, "open", 0));
  return state;
}

export function must<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r)}`);
  return r as Extract<T, { ok: true }>;
}

export function market(symbol: string, side: "buy" | "sell", qty: number): OrderRequest {
  return { clientOrderId: `m-${symbol}-${side}-${qty}`, symbol, side, type: "market", qty, limitPrice: null };
}

export function limit(symbol: string, side: "buy" | "sell", qty: number, limitPrice: number): OrderRequest {
  return { clientOrderId: `l-${symbol}-${side}-${qty}-${limitPrice}`, symbol, side, type: "limit", qty, limitPrice };
}

export function buy(state: MarketState, playerId: string, symbol: string, qty: number, now = 1) {
  return must(placeOrder(state, playerId, market(symbol, "buy", qty), now));
}

export function sym(state: MarketState, symbol: string) {
  return state.symbols.find((s) => s.symbol === symbol)!;
}
