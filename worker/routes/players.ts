/** Players: join (anyone), portfolio (the player), leaderboard (anyone). */
import { Hono } from "hono";
import { secretsOf, signPlayerToken } from "../lib/auth";
import { unwrap } from "../lib/errors";
import { JoinInput, LeaderboardQuery, type MarketSnapshot } from "../shared/protocol";

/** Leaders carried by every snapshot and tick (the projector's top ten). */
const SNAPSHOT_LEADERS = 10;
import { anonLimit, marketCode, marketStub, requirePlayer, valid, type AppEnv } from "./context";
import { getSnapshotCache } from "../lib/snapshotCache";

export const playersRouter = new Hono<AppEnv>();
playersRouter.use("/:code/*", marketCode);

playersRouter.post("/:code/join", anonLimit, valid("json", JoinInput), async (c) => {
  const { name } = c.req.valid("json");
  const secrets = secretsOf(c.env);
  const { player, ordersPerSecond } = unwrap(await marketStub(c).join(name));
  const token = await signPlayerToken(secrets, { playerId: player.id, market: c.get("code"), name: player.name, ordersPerSecond });
  return c.json({ token, player }, 201);
});

playersRouter.get("/:code/portfolio", requirePlayer, async (c) => {
  const { portfolio } = unwrap(await marketStub(c).portfolio(c.get("player").playerId));
  return c.json(portfolio);
});

playersRouter.get("/:code/leaderboard", anonLimit, valid("query", LeaderboardQuery), async (c) => {
  const limit = c.req.valid("query").limit ?? SNAPSHOT_LEADERS;
  // The cached snapshot carries the top ten; a longer list asks the market.
  if (limit <= SNAPSHOT_LEADERS) {
    const cached = await getSnapshotCache(c.env)?.get(c.get("code"));
    if (cached) return c.json({ leaders: (JSON.parse(cached) as MarketSnapshot).leaders.slice(0, limit) });
  }
  const { leaders } = unwrap(await marketStub(c).leaders(limit));
  return c.json({ leaders });
});
