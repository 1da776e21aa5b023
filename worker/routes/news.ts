/** News: publish now or on a schedule, list, cancel a scheduled item (organiser). */
import { Hono } from "hono";
import { unwrap } from "../lib/errors";
import { NewsInput } from "../shared/protocol";
import { marketCode, marketStub, requireAdmin, type AppEnv } from "./context";
import { valid } from "./context";

export const newsRouter = new Hono<AppEnv>();
newsRouter.use("/:code/news", marketCode, requireAdmin);
newsRouter.use("/:code/news/*", marketCode, requireAdmin);

newsRouter.post("/:code/news", valid("json", NewsInput), async (c) => {
  const input = c.req.valid("json");
  const publishAt = input.publishAt === undefined ? null : typeof input.publishAt === "number" ? input.publishAt : Date.parse(input.publishAt);
  const { news } = unwrap(
    await marketStub(c).publishNews({
      headline: input.headline,
      body: input.body ?? "",
      impacts: input.impacts.map((i) => ({ symbol: i.symbol, move: i.move, ticks: i.ticks ?? 1 })),
      publishAt,
    }),
  );
  return c.json({ news }, 201);
});

/** Every published item plus the scheduled ones (an extension for the console). */
newsRouter.get("/:code/news", async (c) => {
  const { news } = unwrap(await marketStub(c).listNews(true));
  return c.json({ news });
});

newsRouter.delete("/:code/news/:id", async (c) => {
  const { news } = unwrap(await marketStub(c).cancelNews(c.req.param("id")));
  return c.json({ news });
});
