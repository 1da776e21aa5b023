/**
 * Engine state (integer cents) to the contract's shapes (decimal money). The only place
 * where the market's numbers are turned into what clients see.
 */
import type { Fill, Leader, MarketInfo, NewsItem, Order, Portfolio, SymbolQuote, TickPrice } from "../shared/protocol";
import { fromCents } from "../shared/money";
import {
  isHalted,
  type FillState,
  type MarketState,
  type NewsRecord,
  type OrderState,
  type PortfolioCents,
  type SymbolState,
} from "./engine";

export function marketInfoOf(state: MarketState, withRules = false): MarketInfo {
  return {
    code: state.code,
    name: state.name,
    status: state.status,
    tickMs: state.tickMs,
    startingCash: fromCents(state.startingCash),
    createdAt: state.createdAt,
    players: state.players.size,
    ...(withRules ? { rules: state.rules } : {}),
    session: { ...state.session },
    ...(state.teams ? { teams: { names: [...state.teams.names], assign: state.teams.assign } } : {}),
  };
}

/** When a halted symbol resumes by itself, or null for a manual halt or a trading symbol. */
export function haltedUntilOf(state: MarketState, s: SymbolState, lastTickAt: number): number | null {
  if (s.haltedUntilTick === null || s.haltedUntilTick < 0) return null;
  return lastTickAt + (s.haltedUntilTick - state.tick) * state.tickMs;
}

export function symbolQuoteOf(state: MarketState, s: SymbolState, lastTickAt: number): SymbolQuote {
  const change = s.last - s.open;
  return {
    symbol: s.symbol,
    name: s.name,
    sector: s.sector,
    price: fromCents(s.last),
    bid: fromCents(s.bid),
    ask: fromCents(s.ask),
    open: fromCents(s.open),
    high: fromCents(s.high),
    low: fromCents(s.low),
    change: fromCents(change),
    changePct: s.open > 0 ? Math.round((change / s.open) * 10_000) / 10_000 : 0,
    volume: s.volume,
    halted: isHalted(s),
    haltedUntil: haltedUntilOf(state, s, lastTickAt),
    liquidity: s.liquidity,
    volatility: s.volatility,
  };
}

export function tickPriceOf(s: SymbolState): TickPrice {
  return {
    symbol: s.symbol,
    price: fromCents(s.last),
    bid: fromCents(s.bid),
    ask: fromCents(s.ask),
    volume: s.volume,
    change: fromCents(s.last - s.open),
  };
}

export function orderOf(o: OrderState): Order {
  return {
    id: o.id,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    limitPrice: o.limitPrice === null ? null : fromCents(o.limitPrice),
    stopPrice: o.stopPrice === null ? null : fromCents(o.stopPrice),
    triggeredAt: o.triggeredAt,
    rejectReason: o.rejectReason,
    status: o.status,
    filledQty: o.filledQty,
    // The average is shown in cents precision; the exact value stays in filledValue.
    avgPrice: o.filledQty > 0 ? Math.round(o.filledValue / o.filledQty) / 100 : null,
    createdAt: o.createdAt,
  };
}

export function fillOf(f: FillState): Fill {
  return {
    id: f.id,
    orderId: f.orderId,
    symbol: f.symbol,
    side: f.side,
    qty: f.qty,
    price: fromCents(f.price),
    fee: fromCents(f.fee),
    t: f.t,
  };
}

export function portfolioViewOf(p: PortfolioCents): Portfolio {
  return {
    cash: fromCents(p.cash),
    reserved: fromCents(p.reserved),
    positions: p.positions.map((pos) => ({
      symbol: pos.symbol,
      qty: pos.qty,
      reservedQty: pos.reservedQty,
      avgCost: fromCents(pos.avgCost),
      price: fromCents(pos.price),
      value: fromCents(pos.value),
      pnl: fromCents(pos.pnl),
    })),
    netWorth: fromCents(p.netWorth),
    rank: p.rank,
    startingCash: fromCents(p.startingCash),
  };
}

export function leaderOf(l: {
  rank: number;
  name: string;
  netWorth: number;
  returnPct: number;
  team?: string;
}): Leader {
  return {
    rank: l.rank,
    name: l.name,
    netWorth: fromCents(l.netWorth),
    // Already in percent with two decimals (12.5 = +12.5%).
    returnPct: l.returnPct,
    ...(l.team !== undefined ? { team: l.team } : {}),
  };
}

/** `shownAt`: the time to show for a scheduled script item (engine newsShownAt); else its publishAt. */
export function newsOf(item: NewsRecord, shownAt?: number): NewsItem {
  return {
    id: item.id,
    headline: item.headline,
    body: item.body,
    impacts: item.impacts,
    t: shownAt ?? item.publishAt,
    status: item.status,
    ...(item.afterOpenMs !== null ? { afterOpenMs: item.afterOpenMs } : {}),
  };
}
