/**
 * Orders: placement, cancellation and the ledger moves of every fill.
 *
 * This is the hot path (every order is one synchronous call in the Durable Object), so
 * it is O(1) per fill: Map and property lookups, a few exp/sqrt, one order and one fill
 * object. Everything a check needs is computed before anything is written, so a refused
 * order leaves the state exactly as it was.
 *
 * Money rules:
 * - fee per fill = round(value * feeRate), in whole cents;
 * - a resting buy reserves `unit = limit + ceil(limit * feeRate)` per remaining share.
 *   A fill at p <= limit costs q*p + round(q*p*feeRate) <= q*unit, so the reservation
 *   always covers the fill; after each fill it is reset to exactly remaining * unit and
 *   the difference goes back to cash, so nothing is ever left over or short.
 *
 * Size rules (shared/bounds.ts has the arithmetic): at most MAX_ORDER_QTY shares per
 * order whatever the market's rules say, at most MAX_POSITION shares long or short per
 * symbol, and no sale that takes cash + reserved past MAX_CASH_CENTS. An order that would
 * break one at once is refused; a resting order fills only as far as they allow and
 * waits for the rest.
 */
import type { Cents, FillState, MarketState, OrderState, PlayerState, PositionState, SymbolState } from "./types.ts";
import { isHalted, type Refusal, refuse, requote, symbolOf } from "./common.ts";
import { clampLog, fillPrice, impactLog, maxFillQty } from "./pricing.ts";
import { MAX_CASH_CENTS, MAX_ORDER_QTY, MAX_POSITION } from "../../shared/bounds.ts";

/** An order as the engine executes it: money in cents (the wire's OrderInput is in decimals). */
export interface OrderRequest {
  clientOrderId: string;
  symbol: string;
  side: "buy" | "sell";
  type: "market" | "limit" | "stop" | "stop_limit";
  qty: number;
  limitPrice: Cents | null;
  /** Stop and stop-limit orders: the last price that triggers them (absent or null otherwise). */
  stopPrice?: Cents | null;
}

export type PlaceOrderResult = { ok: true; order: OrderState; fills: FillState[]; player: PlayerState } | Refusal;

export function feeOf(value: Cents, feeRate: number): Cents {
  return Math.round(value * feeRate);
}

/** Cash a resting buy holds per remaining share: the limit plus the most fee a share can cost. */
export function reserveUnit(limit: Cents, feeRate: number): Cents {
  return limit + Math.ceil(limit * feeRate);
}

export function placeOrder(state: MarketState, playerId: string, input: OrderRequest, now: number): PlaceOrderResult {
  if (state.status !== "open")
    return refuse("MARKET_NOT_OPEN", `The market is ${state.status}; orders are taken only while it is open`);
  const player = state.players.get(playerId);
  if (player === undefined) return refuse("NOT_FOUND", "No such player in this market");
  const sym = symbolOf(state, input.symbol);
  if (sym === undefined) return refuse("NOT_FOUND", `No symbol ${input.symbol} in this market`);
  if (isHalted(sym)) return refuse("SYMBOL_HALTED", `${sym.symbol} is halted`);
  const qty = input.qty;
  // The Worker validates input; these guards keep a direct caller from writing NaN into the books.
  if (!Number.isSafeInteger(qty) || qty <= 0) return refuse("VALIDATION", "qty must be a positive whole number");
  if (input.side !== "buy" && input.side !== "sell") return refuse("VALIDATION", "side must be buy or sell");
  const sizeError = sizeRefusal(state, player, sym.symbol, input.side, qty);
  if (sizeError !== null) return sizeError;
  if (input.type === "stop" || input.type === "stop_limit") return placeStop(state, player, sym, input, now);
  return execute(state, player, sym, input, now, null);
}

/** The size rules every order meets, when placed and again when a stop triggers. */
function sizeRefusal(
  state: MarketState,
  player: PlayerState,
  symbol: string,
  side: "buy" | "sell",
  qty: number,
): Refusal | null {
  // The hard cap also covers markets created before it, whose rules may allow more.
  const maxQty = Math.min(state.rules.maxOrderQty, MAX_ORDER_QTY);
  if (qty > maxQty) return refuse("ORDER_LIMIT", `At most ${maxQty} shares per order`);
  return positionLimitError(player, symbol, side, qty);
}

/** A market or limit order (or a triggered stop, `stop` being the waiting order it becomes). */
function execute(
  state: MarketState,
  player: PlayerState,
  sym: SymbolState,
  input: OrderRequest,
  now: number,
  stop: OrderState | null,
): PlaceOrderResult {
  if (input.type === "market") return placeMarket(state, player, sym, input, now, stop);
  if (input.type !== "limit") return refuse("VALIDATION", "type must be market, limit, stop or stop_limit");
  return placeLimit(state, player, sym, input, now, stop);
}

/** Whether an order is a stop that has not triggered yet (it rests, holds nothing, never matches). */
export function isWaitingStop(order: OrderState): boolean {
  return order.stopPrice !== null && order.triggeredAt === null;
}

/** Whether `last` reaches a stop: a buy stop at or above its stop price, a sell stop at or below. */
export function stopReached(order: OrderState, last: Cents): boolean {
  return order.side === "buy" ? last >= order.stopPrice! : last <= order.stopPrice!;
}

/**
 * A stop or stop-limit order waits in the open orders holding nothing; the tick triggers
 * it (triggerStop). Its stop price must lie on the far side of the last price (otherwise
 * it would trigger at once and the player meant a market or limit order) and within the
 * limit band, like a limit price.
 */
function placeStop(
  state: MarketState,
  player: PlayerState,
  sym: SymbolState,
  input: OrderRequest,
  now: number,
): PlaceOrderResult {
  const rules = state.rules;
  const stop = input.stopPrice ?? null;
  if (stop === null || !Number.isSafeInteger(stop) || stop < 1)
    return refuse("VALIDATION", "A stop order needs a stop price of at least 1 cent");
  if (input.type === "stop_limit") {
    const limit = input.limitPrice;
    if (limit === null || !Number.isSafeInteger(limit) || limit < 1)
      return refuse("VALIDATION", "A stop_limit order needs a limit price of at least 1 cent");
  } else if (input.limitPrice !== null) {
    return refuse("VALIDATION", "A stop order has no limit price (use stop_limit)");
  }
  if (input.side === "buy" ? stop <= sym.last : stop >= sym.last)
    return refuse(
      "VALIDATION",
      input.side === "buy"
        ? "A buy stop's stop price must be above the last price"
        : "A sell stop's stop price must be below the last price",
    );
  for (const price of [stop, input.limitPrice]) {
    if (price !== null && Math.abs(price - sym.last) > rules.limitPriceBand * sym.last)
      return refuse(
        "ORDER_LIMIT",
        `The stop or limit price is too far from the current price (band ${rules.limitPriceBand * 100}%)`,
      );
  }
  if (player.openOrders >= rules.maxOpenOrders)
    return refuse("ORDER_LIMIT", `At most ${rules.maxOpenOrders} open orders`);
  const order = newOrder(state, player, input, input.limitPrice, "open", now);
  order.stopPrice = stop;
  player.openOrders++;
  state.openOrders.set(order.id, order);
  return { ok: true, order, fills: [], player };
}

/**
 * Trigger a waiting stop: it leaves the open orders and is placed again as a market
 * order (stop) or a limit order (stop_limit) under every rule a new order meets, keeping
 * its id. A stop-limit that rests joins the back of the queue, its time priority being
 * its trigger. An order the rules refuse ends "rejected" with the refusal as its reason.
 */
export function triggerStop(state: MarketState, order: OrderState, now: number): FillState[] {
  const player = state.players.get(order.playerId)!;
  const sym = symbolOf(state, order.symbol)!;
  state.openOrders.delete(order.id);
  player.openOrders--;
  order.triggeredAt = now;
  order.updatedAt = now;
  const input: OrderRequest = {
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type === "stop_limit" ? "limit" : "market",
    qty: order.qty,
    limitPrice: order.type === "stop_limit" ? order.limitPrice : null,
    stopPrice: null,
  };
  const result: PlaceOrderResult =
    sizeRefusal(state, player, order.symbol, order.side, order.qty) ?? execute(state, player, sym, input, now, order);
  if (!result.ok) {
    order.status = "rejected";
    order.rejectReason = result.message;
    return [];
  }
  return result.fills;
}

function placeMarket(
  state: MarketState,
  player: PlayerState,
  sym: SymbolState,
  input: OrderRequest,
  now: number,
  stop: OrderState | null,
): PlaceOrderResult {
  const rules = state.rules;
  const { side, qty } = input;
  const post = clampLog(sym.logP + impactLog(side, qty, sym.liquidity, rules.impact));
  const price = fillPrice(sym.logP, post, side, rules.halfSpread);
  if (side === "buy") {
    const value = qty * price;
    if (value + feeOf(value, rules.feeRate) > player.cash)
      return refuse("INSUFFICIENT_FUNDS", "Not enough cash for this order");
  } else if (!rules.allowShort && availableShares(player, sym.symbol) < qty) {
    return refuse("INSUFFICIENT_SHARES", `Not enough ${sym.symbol} shares to sell`);
  } else if (passesCashCap(player, qty * price, rules.feeRate)) {
    return cashCapError();
  }
  const order = stop ?? newOrder(state, player, input, null, "filled", now);
  order.status = "filled";
  const fills = [applyFill(state, sym, player, order, qty, price, post, false, now)];
  return { ok: true, order, fills, player };
}

function placeLimit(
  state: MarketState,
  player: PlayerState,
  sym: SymbolState,
  input: OrderRequest,
  now: number,
  stop: OrderState | null,
): PlaceOrderResult {
  const rules = state.rules;
  const { side, qty } = input;
  const limit = input.limitPrice;
  if (limit === null || !Number.isSafeInteger(limit) || limit < 1)
    return refuse("VALIDATION", "A limit order needs a limit price of at least 1 cent");
  if (Math.abs(limit - sym.last) > rules.limitPriceBand * sym.last)
    return refuse(
      "ORDER_LIMIT",
      `The limit price is too far from the current price (band ${rules.limitPriceBand * 100}%)`,
    );

  // Fill now as much as stays within the limit; the rest rests.
  const now0 = maxFillQty(sym.logP, side, limit, qty, sym.liquidity, rules.impact, rules.halfSpread);
  const rest = qty - now0;
  if (rest > 0 && player.openOrders >= rules.maxOpenOrders)
    return refuse("ORDER_LIMIT", `At most ${rules.maxOpenOrders} open orders`);
  let post = sym.logP;
  let price = 0;
  if (now0 > 0) {
    post = clampLog(sym.logP + impactLog(side, now0, sym.liquidity, rules.impact));
    price = fillPrice(sym.logP, post, side, rules.halfSpread);
  }
  const unit = reserveUnit(limit, rules.feeRate);
  if (side === "buy") {
    const value = now0 * price;
    if (value + feeOf(value, rules.feeRate) + rest * unit > player.cash)
      return refuse("INSUFFICIENT_FUNDS", "Not enough cash for this order");
  } else if (!rules.allowShort && availableShares(player, sym.symbol) < qty) {
    return refuse("INSUFFICIENT_SHARES", `Not enough ${sym.symbol} shares to sell`);
  } else if (passesCashCap(player, now0 * price, rules.feeRate)) {
    return cashCapError();
  }

  const status = rest === 0 ? "filled" : now0 > 0 ? "partially_filled" : "open";
  const order = stop ?? newOrder(state, player, input, limit, status, now);
  order.status = status;
  const fills: FillState[] = [];
  if (now0 > 0) fills.push(applyFill(state, sym, player, order, now0, price, post, false, now));
  if (rest > 0) {
    if (side === "buy") {
      order.reservedCash = rest * unit;
      player.cash -= order.reservedCash;
      player.reserved += order.reservedCash;
    } else {
      positionFor(player, sym.symbol).reservedQty += rest;
    }
    player.openOrders++;
    state.openOrders.set(order.id, order);
  }
  return { ok: true, order, fills, player };
}

export function cancelOrder(
  state: MarketState,
  playerId: string,
  orderId: string,
  now: number,
): { ok: true; order: OrderState; player: PlayerState } | Refusal {
  const order = state.openOrders.get(orderId);
  // Finished orders are not kept in memory (the shell has them in SQLite), so an unknown
  // id and another player's order look the same here: NOT_FOUND either way.
  if (order === undefined || order.playerId !== playerId) return refuse("NOT_FOUND", "No such open order");
  const player = state.players.get(playerId)!;
  releaseOrder(state, order, player, "cancelled", now);
  return { ok: true, order, player };
}

/** Take an open order off the book and give back what it still holds. */
export function releaseOrder(
  state: MarketState,
  order: OrderState,
  player: PlayerState,
  status: "cancelled",
  now: number,
): void {
  if (isWaitingStop(order)) {
    // holds nothing until it triggers
  } else if (order.side === "buy") {
    player.cash += order.reservedCash;
    player.reserved -= order.reservedCash;
    order.reservedCash = 0;
  } else {
    player.positions[order.symbol].reservedQty -= order.qty - order.filledQty;
  }
  order.status = status;
  order.updatedAt = now;
  player.openOrders--;
  state.openOrders.delete(order.id);
}

/**
 * Match one resting limit order against the current quote (called by the tick, in time
 * priority). Fills as much as keeps its execution price within the limit; returns the
 * fill or null when the quote does not reach it.
 */
export function matchRestingOrder(
  state: MarketState,
  order: OrderState,
  sym: SymbolState,
  player: PlayerState,
  now: number,
): FillState | null {
  const rules = state.rules;
  const remaining = Math.min(order.qty - order.filledQty, positionRoom(player, order.symbol, order.side));
  const q = maxFillQty(
    sym.logP,
    order.side,
    order.limitPrice!,
    remaining,
    sym.liquidity,
    rules.impact,
    rules.halfSpread,
  );
  if (q === 0) return null;
  const post = clampLog(sym.logP + impactLog(order.side, q, sym.liquidity, rules.impact));
  const price = fillPrice(sym.logP, post, order.side, rules.halfSpread);
  if (order.side === "sell" && passesCashCap(player, q * price, rules.feeRate)) return null;
  const fill = applyFill(state, sym, player, order, q, price, post, true, now);
  if (order.filledQty === order.qty) {
    order.status = "filled";
    player.openOrders--;
    state.openOrders.delete(order.id);
  } else {
    order.status = "partially_filled";
  }
  return fill;
}

/**
 * Shares a fill on `side` may still move the position by before it passes MAX_POSITION
 * (long for a buy, short for a sale; without shorting a sale never gets near it).
 */
function positionRoom(player: PlayerState, symbol: string, side: "buy" | "sell"): number {
  const held = player.positions[symbol]?.qty ?? 0;
  return side === "buy" ? MAX_POSITION - held : MAX_POSITION + held;
}

function positionLimitError(player: PlayerState, symbol: string, side: "buy" | "sell", qty: number): Refusal | null {
  if (qty <= positionRoom(player, symbol, side)) return null;
  return refuse(
    "ORDER_LIMIT",
    `A position holds at most ${MAX_POSITION} shares of one stock, ${side === "buy" ? "long" : "short"}`,
  );
}

/** Whether a sale of this value would take the player's cash plus reservations past MAX_CASH_CENTS. */
function passesCashCap(player: PlayerState, value: Cents, feeRate: number): boolean {
  return player.cash + player.reserved + value - feeOf(value, feeRate) > MAX_CASH_CENTS;
}

function cashCapError(): Refusal {
  return refuse("ORDER_LIMIT", `A player holds at most ${MAX_CASH_CENTS / 100} in cash; this sale would pass it`);
}

function availableShares(player: PlayerState, symbol: string): number {
  const pos = player.positions[symbol];
  return pos === undefined ? 0 : pos.qty - pos.reservedQty;
}

function positionFor(player: PlayerState, symbol: string): PositionState {
  let pos = player.positions[symbol];
  if (pos === undefined) {
    pos = { qty: 0, reservedQty: 0, cost: 0 };
    player.positions[symbol] = pos;
  }
  return pos;
}

function newOrder(
  state: MarketState,
  player: PlayerState,
  input: OrderRequest,
  limit: Cents | null,
  status: OrderState["status"],
  now: number,
): OrderState {
  return {
    id: "o" + state.nextOrderNo++,
    playerId: player.id,
    clientOrderId: input.clientOrderId,
    symbol: input.symbol,
    side: input.side,
    type: input.type,
    qty: input.qty,
    limitPrice: limit,
    stopPrice: null,
    triggeredAt: null,
    rejectReason: null,
    status,
    filledQty: 0,
    filledValue: 0,
    reservedCash: 0,
    createdAt: now,
    updatedAt: now,
  };
}

/**
 * Book one fill: cash, shares, cost basis, the symbol's price (its impact) and the order.
 * `resting` says the order's cash or shares were reserved beforehand.
 */
function applyFill(
  state: MarketState,
  sym: SymbolState,
  player: PlayerState,
  order: OrderState,
  qty: number,
  price: Cents,
  post: number,
  resting: boolean,
  now: number,
): FillState {
  const rules = state.rules;
  const value = qty * price;
  const fee = feeOf(value, rules.feeRate);
  const pos = positionFor(player, sym.symbol);
  if (order.side === "buy") {
    if (resting) {
      const keep = (order.qty - order.filledQty - qty) * reserveUnit(order.limitPrice!, rules.feeRate);
      const release = order.reservedCash - keep;
      order.reservedCash = keep;
      player.reserved -= release;
      player.cash += release - value - fee;
    } else {
      player.cash -= value + fee;
    }
    movePosition(pos, qty, price);
  } else {
    if (resting) pos.reservedQty -= qty;
    player.cash += value - fee;
    movePosition(pos, -qty, price);
  }
  sym.logP = post;
  requote(sym, rules);
  sym.volume += qty;
  sym.tickVolume += qty;
  order.filledQty += qty;
  order.filledValue += value;
  order.updatedAt = now;
  return {
    id: "f" + state.nextFillNo++,
    orderId: order.id,
    playerId: player.id,
    symbol: sym.symbol,
    side: order.side,
    qty,
    price,
    fee,
    t: now,
    tick: state.tick,
  };
}

/**
 * Average-cost bookkeeping: adding to a position adds qty * price to its cost; reducing
 * it removes the same share of the cost it had, so avgCost is unchanged by a sale. (Fees
 * are not part of the cost basis; they show in cash and net worth.) Works through zero
 * for markets that allow shorting.
 */
function movePosition(pos: PositionState, signedQty: number, price: Cents): void {
  const q = pos.qty;
  if (q === 0 || q > 0 === signedQty > 0) {
    pos.cost += signedQty * price;
    pos.qty = q + signedQty;
    return;
  }
  const held = Math.abs(q);
  const moved = Math.abs(signedQty);
  if (moved < held) {
    pos.cost -= Math.round((pos.cost * moved) / held);
    pos.qty = q + signedQty;
    return;
  }
  // Closes the position, and opens one the other way with what is left.
  pos.qty = q + signedQty;
  pos.cost = pos.qty * price;
}
