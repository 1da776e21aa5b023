/** News: publish now or on a schedule, list, cancel a scheduled item (organiser). */
import { Hono } from "hono";
import { unwrap } from "../lib/errors";
import { NewsEditInput, NewsInput } from "../shared/protocol";
import { requireAdmin, valid, type AppEnv } from "./context";
import { operation } from "./docs";
import { NewsAnswer, NewsList } from "./responses";

export const newsRouter = new Hono<AppEnv>();

const epochOf = (at: string | number): number => (typeof at === "number" ? at : Date.parse(at));

newsRouter.post(
  "/news",
  operation({
    operationId: "publishNews",
    summary: "Publish news now, at publishAt, or afterOpenMs into trading (the news script)",
    tag: "news",
    caller: "organiser",
    ok: { 201: NewsAnswer },
    errors: ["VALIDATION", "NOT_FOUND", "MARKET_NOT_OPEN"],
  }),
  requireAdmin,
  valid("json", NewsInput),
  async (c) => {
    const input = c.req.valid("json");
    const publishAt = input.publishAt === undefined ? null : epochOf(input.publishAt);
    const { news } = unwrap(
      await c.var.market.publishNews({
        headline: input.headline,
        body: input.body ?? "",
        impacts: input.impacts.map((i) => ({ symbol: i.symbol, move: i.move, ticks: i.ticks ?? 1 })),
        publishAt,
        afterOpenMs: input.afterOpenMs ?? null,
      }),
    );
    return c.json({ news }, 201);
  },
);

/** Every published item plus the scheduled ones (an extension for the console). */
newsRouter.get(
  "/news",
  operation({
    operationId: "listNews",
    summary: "Published and scheduled news",
    tag: "news",
    caller: "organiser",
    ok: { 200: NewsList },
    errors: ["NOT_FOUND"],
  }),
  requireAdmin,
  async (c) => {
    const { news } = unwrap(await c.var.market.listNews(true));
    return c.json({ news });
  },
);

newsRouter.patch(
  "/news/:id",
  operation({
    operationId: "editNews",
    summary: "Change a scheduled news item (text, impacts, time)",
    description:
      "Only an item still scheduled. `afterOpenMs` makes it a script item, `publishAt` a wall-clock one; a time already passed publishes it at once.",
    tag: "news",
    caller: "organiser",
    params: { id: { description: "The news item's id" } },
    ok: { 200: NewsAnswer },
    errors: ["VALIDATION", "NOT_FOUND", "MARKET_NOT_OPEN"],
  }),
  requireAdmin,
  valid("json", NewsEditInput),
  async (c) => {
    const input = c.req.valid("json");
    const { news } = unwrap(
      await c.var.market.editNews(c.req.param("id"), {
        ...(input.headline !== undefined ? { headline: input.headline } : {}),
        ...(input.body !== undefined ? { body: input.body } : {}),
        ...(input.impacts !== undefined
          ? { impacts: input.impacts.map((i) => ({ symbol: i.symbol, move: i.move, ticks: i.ticks ?? 1 })) }
          : {}),
        ...(input.publishAt !== undefined ? { publishAt: epochOf(input.publishAt) } : {}),
        ...(input.afterOpenMs !== undefined ? { afterOpenMs: input.afterOpenMs } : {}),
      }),
    );
    return c.json({ news });
  },
);

newsRouter.delete(
  "/news/:id",
  operation({
    operationId: "cancelNews",
    summary: "Cancel a scheduled news item",
    tag: "news",
    caller: "organiser",
    params: { id: { description: "The news item's id" } },
    ok: { 200: NewsAnswer },
    errors: ["NOT_FOUND"],
  }),
  requireAdmin,
  async (c) => {
    const { news } = unwrap(await c.var.market.cancelNews(c.req.param("id")));
    return c.json({ news });
  },
);
