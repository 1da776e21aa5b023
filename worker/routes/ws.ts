/**
 * The live feed. The Worker checks the token, asks the market where its sockets live, and
 * hands the upgrade to the market itself or, when the market's feed is split into K groups,
 * to the group that holds this player (a random one for a viewer): group 0 is the market
 * object, groups 1..K-1 are broadcast shard objects.
 */
import { Hono } from "hono";
import { secretsOf, verifyPlayerToken } from "../lib/auth";
import { errorBody, unwrap } from "../lib/errors";
import { rejectSocket } from "../lib/sockets";
import { shardIndex, shardName } from "../broadcast/shards";
import { CloseCode, FeedInput } from "../shared/protocol";
import { checkLimit, marketCode, marketStub, requireAdmin, valid, type AppEnv } from "./context";

export const wsRouter = new Hono<AppEnv>();

wsRouter.get("/:code/ws", marketCode, async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
    return c.json(errorBody("VALIDATION", "This route expects a WebSocket upgrade."), 426);
  }
  // A browser cannot read an HTTP 429 on an upgrade, so a refusal is a close with a reason.
  const limited = await checkLimit(c, "anon");
  if (!limited.ok) return rejectSocket(CloseCode.tooManySockets, `Too many connections from this address; retry in ${limited.retryAfterSec} s.`);
  const token = c.req.query("token");
  let playerId = "";
  if (token) {
    const claims = await verifyPlayerToken(secretsOf(c.env), token);
    if (!claims) return rejectSocket(CloseCode.unauthorized, "The token is not valid or has expired. Join again.");
    if (claims.market !== c.get("code")) return rejectSocket(CloseCode.forbidden, "This token belongs to another market.");
    playerId = claims.playerId;
  }
  // Only the Worker can reach the objects, so these headers cannot be forged by a client.
  const headers = new Headers({ Upgrade: "websocket" });
  if (playerId) headers.set("X-Player-Id", playerId);
  const market = marketStub(c);
  const route = await market.feedRoute(playerId || null);
  if (!route.ok) return rejectSocket(route.code === "NOT_FOUND" ? CloseCode.notFound : CloseCode.unauthorized, route.message);
  // A player always lands in the group the market sends their fills to; a viewer anywhere.
  // Group 0 is the market object itself, groups 1..K-1 are broadcast shard objects.
  const index = shardIndex(playerId || crypto.randomUUID(), route.shards);
  if (index === 0) return market.fetch(new Request(c.req.url, { headers }));
  headers.set("X-Market-Code", c.get("code"));
  const ns = c.env.BROADCAST_SHARD;
  return ns.get(ns.idFromName(shardName(c.get("code"), index))).fetch(new Request(c.req.url, { headers }));
});

/**
 * The organiser sets how many groups carry this market's feed (0 or 1: the market holds
 * every socket itself; K > 1: the market keeps one group and K-1 broadcast shard objects
 * hold the rest). Only in the lobby: a socket's group is fixed when it connects.
 */
wsRouter.put("/:code/feed", marketCode, requireAdmin, valid("json", FeedInput), async (c) => {
  const { broadcastShards } = c.req.valid("json");
  const result = unwrap(await marketStub(c).setBroadcastShards(broadcastShards));
  return c.json({ broadcastShards: result.broadcastShards });
});
