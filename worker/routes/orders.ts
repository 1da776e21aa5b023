/** Orders and fills: the player's own, and nobody else's. */
import { Hono } from "hono";
import { unwrap } from "../lib/errors";
import { toCents } from "../shared/money";
import { FillsQuery, OrderInput, OrdersQuery } from "../shared/protocol";
import { addressOrderLimit, orderLimit, requirePlayer, valid, type AppEnv } from "./context";
import { operation } from "./docs";
import { FillPage, OrderPage, OrderWithPortfolio } from "./responses";

export const ordersRouter = new Hono<AppEnv>();

ordersRouter.post(
  "/orders",
  operation({
    operationId: "placeOrder",
    summary: "Place an order (idempotent on clientOrderId)",
    description:
      "201 for a new order; 200 with the first order when the same order comes again under its clientOrderId (nothing runs twice); 409 IDEMPOTENCY_MISMATCH, naming the first order, when the clientOrderId was used for a different order.",
    tag: "orders",
    caller: "player",
    limited: true,
    ok: { 201: OrderWithPortfolio, 200: OrderWithPortfolio },
    errors: [
      "VALIDATION",
      "NOT_FOUND",
      "MARKET_NOT_OPEN",
      "SYMBOL_HALTED",
      "IDEMPOTENCY_MISMATCH",
      "INSUFFICIENT_FUNDS",
      "INSUFFICIENT_SHARES",
      "ORDER_LIMIT",
    ],
  }),
  requirePlayer,
  orderLimit,
  addressOrderLimit,
  valid("json", OrderInput),
  async (c) => {
    const input = c.req.valid("json");
    const result = unwrap(
      await c.var.market.placeOrder(c.get("player").playerId, {
        clientOrderId: input.clientOrderId,
        symbol: input.symbol,
        side: input.side,
        type: input.type,
        qty: input.qty,
        limitPrice: input.limitPrice === undefined ? null : toCents(input.limitPrice),
        stopPrice: input.stopPrice === undefined ? null : toCents(input.stopPrice),
      }),
    );
    // A repeated clientOrderId answers 200 with the first order: nothing ran twice.
    return c.json({ order: result.order, portfolio: result.portfolio }, result.created ? 201 : 200);
  },
);

ordersRouter.get(
  "/orders",
  operation({
    operationId: "listOrders",
    summary: "The player's orders, newest first",
    tag: "orders",
    caller: "player",
    ok: { 200: OrderPage },
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  requirePlayer,
  valid("query", OrdersQuery),
  async (c) => {
    const q = c.req.valid("query");
    const { orders, next } = unwrap(
      await c.var.market.listOrders(c.get("player").playerId, q.status === "open", q.limit ?? 100, q.before ?? null),
    );
    return c.json({ orders, next });
  },
);

ordersRouter.delete(
  "/orders/:id",
  operation({
    operationId: "cancelOrder",
    summary: "Cancel an open order",
    tag: "orders",
    caller: "player",
    limited: true,
    params: { id: { description: "The order's id" } },
    ok: { 200: OrderWithPortfolio },
    errors: ["NOT_FOUND", "ORDER_NOT_OPEN"],
  }),
  requirePlayer,
  orderLimit,
  addressOrderLimit,
  async (c) => {
    const { order, portfolio } = unwrap(await c.var.market.cancel(c.get("player").playerId, c.req.param("id")));
    return c.json({ order, portfolio });
  },
);

ordersRouter.get(
  "/fills",
  operation({
    operationId: "listFills",
    summary: "The player's fills, newest first",
    tag: "orders",
    caller: "player",
    ok: { 200: FillPage },
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  requirePlayer,
  valid("query", FillsQuery),
  async (c) => {
    const q = c.req.valid("query");
    const { fills, next } = unwrap(await c.var.market.fills(c.get("player").playerId, q.limit ?? 50, q.before ?? null));
    return c.json({ fills, next });
  },
);
