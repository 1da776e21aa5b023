/** Players: join (anyone), portfolio (the player), leaderboard (anyone), the list (organiser). */
import { Hono } from "hono";
import { secretsOf, signPlayerToken } from "../lib/auth";
import { unwrap } from "../lib/errors";
import { getSnapshotCache } from "../lib/snapshotCache";
import { JoinInput, LeaderboardQuery, type MarketSnapshot } from "../shared/protocol";
import { anonLimit, requireAdmin, requirePlayer, valid, type AppEnv } from "./context";
import { operation } from "./docs";
import { Joined, Leaderboard, PlayerList, Portfolio } from "./responses";

/** Leaders carried by every snapshot and tick (the projector's top ten). */
const SNAPSHOT_LEADERS = 10;

export const playersRouter = new Hono<AppEnv>();

playersRouter.post(
  "/join",
  operation({
    operationId: "joinMarket",
    summary: "Join with a nickname",
    description:
      "Answers the player's token for the player routes and the feed. Nicknames are unique per market, ignoring case and surrounding spaces.",
    tag: "players",
    caller: "anyone",
    limited: true,
    ok: { 201: Joined },
    errors: ["VALIDATION", "NOT_FOUND", "MARKET_NOT_OPEN", "NAME_TAKEN", "MARKET_FULL"],
  }),
  anonLimit,
  valid("json", JoinInput),
  async (c) => {
    const { name } = c.req.valid("json");
    const secrets = secretsOf(c.env);
    const { player, ordersPerSecond } = unwrap(await c.var.market.join(name));
    const token = await signPlayerToken(secrets, {
      playerId: player.id,
      market: c.get("code"),
      name: player.name,
      ordersPerSecond,
    });
    return c.json({ token, player }, 201);
  },
);

playersRouter.get(
  "/portfolio",
  operation({
    operationId: "getPortfolio",
    summary: "The player's portfolio",
    tag: "players",
    caller: "player",
    ok: { 200: Portfolio },
    errors: ["NOT_FOUND"],
  }),
  requirePlayer,
  async (c) => {
    const { portfolio } = unwrap(await c.var.market.portfolio(c.get("player").playerId));
    return c.json(portfolio);
  },
);

playersRouter.get(
  "/leaderboard",
  operation({
    operationId: "getLeaderboard",
    summary: "Leaders by net worth",
    tag: "players",
    caller: "anyone",
    limited: true,
    ok: { 200: Leaderboard },
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  anonLimit,
  valid("query", LeaderboardQuery),
  async (c) => {
    const limit = c.req.valid("query").limit ?? SNAPSHOT_LEADERS;
    // The cached snapshot carries the top ten; a longer list asks the market.
    if (limit <= SNAPSHOT_LEADERS) {
      const cached = await getSnapshotCache(c.env)?.get(c.get("code"));
      if (cached) return c.json({ leaders: (JSON.parse(cached) as MarketSnapshot).leaders.slice(0, limit) });
    }
    const { leaders } = unwrap(await c.var.market.leaders(limit));
    return c.json({ leaders });
  },
);

playersRouter.get(
  "/players",
  operation({
    operationId: "listPlayers",
    summary: "Players with cash, net worth and rank",
    tag: "players",
    caller: "organiser",
    ok: { 200: PlayerList },
    errors: ["NOT_FOUND"],
  }),
  requireAdmin,
  async (c) => {
    const { players } = unwrap(await c.var.market.players());
    return c.json({ players });
  },
);
