/** Orders and fills: the player's own, and nobody else's. */
import { Hono } from "hono";
import { unwrap } from "../lib/errors";
import { toCents } from "../shared/money";
import { FillsQuery, OrderInput, OrdersQuery } from "../shared/protocol";
import { addressOrderLimit, marketCode, marketStub, orderLimit, requirePlayer, valid, type AppEnv } from "./context";

export const ordersRouter = new Hono<AppEnv>();
ordersRouter.use("/:code/orders", marketCode, requirePlayer);
ordersRouter.use("/:code/orders/*", marketCode, requirePlayer);
ordersRouter.use("/:code/fills", marketCode, requirePlayer);

ordersRouter.post("/:code/orders", orderLimit, addressOrderLimit, valid("json", OrderInput), async (c) => {
  const input = c.req.valid("json");
  const result = unwrap(
    await marketStub(c).placeOrder(c.get("player").playerId, {
      clientOrderId: input.clientOrderId,
      symbol: input.symbol,
      side: input.side,
      type: input.type,
      qty: input.qty,
      limitPrice: input.limitPrice === undefined ? null : toCents(input.limitPrice),
    }),
  );
  // A repeated clientOrderId answers 200 with the first order: nothing ran twice.
  return c.json({ order: result.order, portfolio: result.portfolio }, result.created ? 201 : 200);
});

ordersRouter.get("/:code/orders", valid("query", OrdersQuery), async (c) => {
  const q = c.req.valid("query");
  const { orders, next } = unwrap(
    await marketStub(c).listOrders(c.get("player").playerId, q.status === "open", q.limit ?? 100, q.before ?? null),
  );
  return c.json({ orders, next });
});

ordersRouter.delete("/:code/orders/:id", orderLimit, addressOrderLimit, async (c) => {
  const { order, portfolio } = unwrap(await marketStub(c).cancel(c.get("player").playerId, c.req.param("id")));
  return c.json({ order, portfolio });
});

ordersRouter.get("/:code/fills", valid("query", FillsQuery), async (c) => {
  const q = c.req.valid("query");
  const { fills, next } = unwrap(await marketStub(c).fills(c.get("player").playerId, q.limit ?? 50, q.before ?? null));
  return c.json({ fills, next });
});
