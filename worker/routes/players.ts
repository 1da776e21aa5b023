/** Players: join (anyone), portfolio (the player), leaderboard (anyone). */
import { Hono } from "hono";
import { secretsOf, signPlayerToken } from "../lib/auth";
import { unwrap } from "../lib/errors";
import { JoinInput, LeaderboardQuery } from "../shared/protocol";
import { marketCode, marketStub, requirePlayer, valid, type AppEnv } from "./context";

export const playersRouter = new Hono<AppEnv>();
playersRouter.use("/:code/*", marketCode);

playersRouter.post("/:code/join", valid("json", JoinInput), async (c) => {
  const { name } = c.req.valid("json");
  const secrets = secretsOf(c.env);
  const { player } = unwrap(await marketStub(c).join(name));
  const token = await signPlayerToken(secrets, { playerId: player.id, market: c.get("code"), name: player.name });
  return c.json({ token, player }, 201);
});

playersRouter.get("/:code/portfolio", requirePlayer, async (c) => {
  const { portfolio } = unwrap(await marketStub(c).portfolio(c.get("player").playerId));
  return c.json(portfolio);
});

playersRouter.get("/:code/leaderboard", valid("query", LeaderboardQuery), async (c) => {
  const { limit } = c.req.valid("query");
  const { leaders } = unwrap(await marketStub(c).leaders(limit ?? 10));
  return c.json({ leaders });
});
