/**
 * The live feed. The Worker checks the token and hands the upgrade to the market, which
 * accepts it (group 0: every socket, unless the feed is split into K groups) or names the
 * broadcast shard whose group holds this player (a random one for a viewer), and the
 * Worker hands it on there.
 */
import { Hono } from "hono";
import { secretsOf, verifyPlayerToken } from "../lib/auth";
import { errorBody, unwrap } from "../lib/errors";
import { rejectSocket } from "../lib/sockets";
import { FEED_GROUP_HEADER, FEED_GROUP_STATUS, FEED_GROUPS_HEADER, shardName } from "../broadcast/shards";
import { ADDRESS_HEADER, clientAddress } from "../lib/clientAddress";
import { CloseCode, FeedInput } from "../shared/protocol";
import { checkLimit, requireAdmin, valid, type AppEnv } from "./context";
import { errorResponses, operation } from "./docs";
import { FeedAnswer } from "./responses";

export const wsRouter = new Hono<AppEnv>();

wsRouter.get(
  "/ws",
  operation({
    operationId: "openFeed",
    summary: "The live feed: a WebSocket (?token= for a player)",
    description:
      "Messages as in API.md. Refusals after the upgrade are close codes with a reason: 4001 bad token, 4003 another market's token, 4004 no such market, 4029 too many connections from this address.",
    tag: "feed",
    caller: "anyone",
    query: { token: { description: "A player's token from join; without it the socket is a viewer's" } },
    ok: { 101: { description: "Switching Protocols: the socket is open and its first message is the snapshot." } },
    otherResponses: {
      426: { ...errorResponses(["VALIDATION"])[400], description: "Upgrade Required: a plain GET (VALIDATION)" },
    },
  }),
  async (c) => {
    if (c.req.header("Upgrade")?.toLowerCase() !== "websocket") {
      return c.json(errorBody("VALIDATION", "This route expects a WebSocket upgrade."), 426);
    }
    // A browser cannot read an HTTP 429 on an upgrade, so a refusal is a close with a reason.
    const limited = await checkLimit(c, "anon");
    if (!limited.ok)
      return rejectSocket(
        CloseCode.tooManySockets,
        `Too many connections from this address; retry in ${limited.retryAfterSec} s.`,
      );
    const token = c.req.query("token");
    let playerId = "";
    if (token) {
      const claims = await verifyPlayerToken(secretsOf(c.env), token);
      if (!claims) return rejectSocket(CloseCode.unauthorized, "The token is not valid or has expired. Join again.");
      if (claims.market !== c.get("code"))
        return rejectSocket(CloseCode.forbidden, "This token belongs to another market.");
      playerId = claims.playerId;
    }
    // Only the Worker can reach the objects, so these headers cannot be forged by a client.
    const headers = new Headers({ Upgrade: "websocket", [ADDRESS_HEADER]: clientAddress(c.req.raw.headers) });
    if (playerId) headers.set("X-Player-Id", playerId);
    // One call for the usual case: the market accepts the socket itself, or says which
    // shard's group it belongs to (only when the organiser split the feed).
    const upgrade = () => new Request(c.req.url, { headers });
    const answer = await c.var.market.fetch(upgrade());
    if (answer.status !== FEED_GROUP_STATUS) return answer;
    const group = Number(answer.headers.get(FEED_GROUP_HEADER));
    headers.set("X-Market-Code", c.get("code"));
    headers.set(FEED_GROUPS_HEADER, answer.headers.get(FEED_GROUPS_HEADER) ?? "");
    const ns = c.env.BROADCAST_SHARD;
    return ns.get(ns.idFromName(shardName(c.get("code"), group))).fetch(upgrade());
  },
);

/**
 * The organiser sets how many groups carry this market's feed (0 or 1: the market holds
 * every socket itself; K > 1: the market keeps one group and K-1 broadcast shard objects
 * hold the rest). Only in the lobby: a socket's group is fixed when it connects.
 */
wsRouter.put(
  "/feed",
  operation({
    operationId: "setFeedGroups",
    summary: "Broadcast shards for the feed (lobby only)",
    tag: "feed",
    caller: "organiser",
    ok: { 200: FeedAnswer },
    errors: ["VALIDATION", "NOT_FOUND", "MARKET_NOT_OPEN"],
  }),
  requireAdmin,
  valid("json", FeedInput),
  async (c) => {
    const { broadcastShards } = c.req.valid("json");
    const result = unwrap(await c.var.market.setBroadcastShards(broadcastShards));
    return c.json({ broadcastShards: result.broadcastShards });
  },
);
