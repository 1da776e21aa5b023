/**
 * The market's state as outbox payloads (worker/history/outboxTypes.ts), field by field.
 *
 * The outbox is read by whichever Worker drains it, possibly the next deploy, so its
 * payloads never spread an engine object: a field renamed or added in the engine changes
 * nothing here until it is mapped on purpose (and the compiler points at this file when
 * a mapped field goes away).
 */
import {
  OUTBOX_VERSION,
  type FillPayload,
  type MarketPayload,
  type NewsPayload,
  type OrderPayload,
  type PlayerPayload,
  type StandingsPayload,
  type TickPayload,
} from "../history/outboxTypes";
import {
  standings,
  type FillState,
  type MarketState,
  type NewsRecord,
  type OrderState,
  type PlayerState,
} from "./engine";

export function marketPayload(state: MarketState): MarketPayload {
  return {
    v: OUTBOX_VERSION.market,
    marketCode: state.code,
    name: state.name,
    status: state.status,
    startingCash: state.startingCash,
    tickMs: state.tickMs,
    seed: state.seed,
    createdAt: state.createdAt,
    rules: { ...state.rules },
    symbols: state.symbols.map((s) => ({
      symbol: s.symbol,
      name: s.name,
      sector: s.sector,
      price: s.price,
      volatility: s.volatility,
      liquidity: s.liquidity,
    })),
  };
}

export function playerPayload(state: MarketState, p: PlayerState): PlayerPayload {
  return { v: OUTBOX_VERSION.player, marketCode: state.code, id: p.id, name: p.name, joinedAt: p.joinedAt };
}

/** What the order is; the cash it holds back (`reservedCash`) stays in the market. */
export function orderPayload(state: MarketState, o: OrderState): OrderPayload {
  return {
    v: OUTBOX_VERSION.order,
    marketCode: state.code,
    id: o.id,
    playerId: o.playerId,
    clientOrderId: o.clientOrderId,
    symbol: o.symbol,
    side: o.side,
    type: o.type,
    qty: o.qty,
    limitPrice: o.limitPrice,
    status: o.status,
    filledQty: o.filledQty,
    filledValue: o.filledValue,
    createdAt: o.createdAt,
    updatedAt: o.updatedAt,
  };
}

export function fillPayload(state: MarketState, f: FillState): FillPayload {
  return {
    v: OUTBOX_VERSION.fill,
    marketCode: state.code,
    id: f.id,
    orderId: f.orderId,
    playerId: f.playerId,
    symbol: f.symbol,
    side: f.side,
    qty: f.qty,
    price: f.price,
    fee: f.fee,
    t: f.t,
    tick: f.tick,
  };
}

export function newsPayload(state: MarketState, item: NewsRecord): NewsPayload {
  return {
    v: OUTBOX_VERSION.news,
    marketCode: state.code,
    id: item.id,
    headline: item.headline,
    body: item.body,
    impacts: item.impacts.map((i) => ({ symbol: i.symbol, move: i.move, ticks: i.ticks })),
    publishAt: item.publishAt,
    status: item.status,
  };
}

export function tickPayload(state: MarketState, now: number): TickPayload {
  const prices: Record<string, number> = {};
  const volumes: Record<string, number> = {};
  for (const s of state.symbols) {
    prices[s.symbol] = s.last;
    // What traded since the previous tick; the engine keeps it, so it survives a restart.
    volumes[s.symbol] = s.lastTickVolume;
  }
  return { v: OUTBOX_VERSION.tick, marketCode: state.code, tick: state.tick, t: now, prices, volumes };
}

export function standingsPayload(state: MarketState, now: number): StandingsPayload {
  return {
    v: OUTBOX_VERSION.standings,
    marketCode: state.code,
    closedAt: now,
    standings: standings(state).map((l) => ({
      playerId: l.playerId,
      name: l.name,
      rank: l.rank,
      netWorth: l.netWorth,
      cash: state.players.get(l.playerId)!.cash,
    })),
  };
}
