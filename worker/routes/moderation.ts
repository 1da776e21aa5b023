/**
 * Moderation and teams (organiser): rename or remove a player, the market's name rules
 * (blocked names, banned words), and the teams before the market opens.
 */
import { Hono } from "hono";
import { ApiError, unwrap } from "../lib/errors";
import { DEFAULT_BANNED_WORDS } from "../shared/nameRules";
import { ModerationInput, RemovePlayerQuery, RenamePlayerInput, SetTeamsInput } from "../shared/protocol";
import { registryStub, requireAdmin, valid, type AppEnv } from "./context";
import { operation } from "./docs";
import { MarketAnswer, ModerationAnswer, PlayerAnswer, RemovedPlayer } from "./responses";

export const moderationRouter = new Hono<AppEnv>();

const PLAYER_PARAM = { playerId: { description: "A player's id (`p` and a number)", pattern: "^p[0-9]{1,12}$" } };

function playerParam(raw: string | undefined): string {
  if (!raw || !/^p[0-9]{1,12}$/.test(raw))
    throw new ApiError("VALIDATION", "The player id is not valid.", [{ field: "playerId", message: "p and a number" }]);
  return raw;
}

moderationRouter.patch(
  "/players/:playerId",
  operation({
    operationId: "renamePlayer",
    summary: "Rename a player",
    description:
      "The new name follows the nickname rules and the market's name rules; the player's phone is told (a private `renamed` message).",
    tag: "moderation",
    caller: "organiser",
    params: PLAYER_PARAM,
    ok: { 200: PlayerAnswer },
    errors: ["VALIDATION", "NOT_FOUND", "NAME_TAKEN", "NAME_BLOCKED", "NAME_NOT_ALLOWED"],
  }),
  requireAdmin,
  valid("json", RenamePlayerInput),
  async (c) => {
    const id = playerParam(c.req.param("playerId"));
    const { player } = unwrap(await c.var.market.renamePlayer(id, c.req.valid("json").name));
    return c.json({ player });
  },
);

moderationRouter.delete(
  "/players/:playerId",
  operation({
    operationId: "removePlayer",
    summary: "Remove a player (and optionally block the name)",
    description:
      "Cancels the player's open orders (their reservations go back to the player's cash), drops them from the standings, and closes their sockets with 4010. `?block=1` also blocks the name and every look-alike.",
    tag: "moderation",
    caller: "organiser",
    params: PLAYER_PARAM,
    query: { block: { description: "1 or true: also block the player's name" } },
    ok: { 200: RemovedPlayer },
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  requireAdmin,
  valid("query", RemovePlayerQuery),
  async (c) => {
    const id = playerParam(c.req.param("playerId"));
    const block = ["1", "true"].includes(c.req.valid("query").block ?? "");
    const result = unwrap(await c.var.market.removePlayer(id, block));
    return c.json({ removed: result.removed, cancelledOrders: result.cancelledOrders, blocked: result.blocked });
  },
);

moderationRouter.get(
  "/moderation",
  operation({
    operationId: "getModeration",
    summary: "The market's blocked names and banned words",
    tag: "moderation",
    caller: "organiser",
    ok: { 200: ModerationAnswer },
    errors: ["NOT_FOUND"],
  }),
  requireAdmin,
  async (c) => {
    const { moderation } = unwrap(await c.var.market.getModeration());
    return c.json({ moderation, defaultBannedWords: [...DEFAULT_BANNED_WORDS] });
  },
);

moderationRouter.put(
  "/moderation",
  operation({
    operationId: "setModeration",
    summary: "Replace the blocked names and/or the banned words",
    description:
      "A list left out stays as it is. Players already in keep their names; the rules apply to joins and renames.",
    tag: "moderation",
    caller: "organiser",
    ok: { 200: ModerationAnswer },
    errors: ["VALIDATION", "NOT_FOUND"],
  }),
  requireAdmin,
  valid("json", ModerationInput),
  async (c) => {
    const input = c.req.valid("json");
    const current = unwrap(await c.var.market.getModeration()).moderation;
    const { moderation } = unwrap(
      await c.var.market.setModeration({
        blockedNames: input.blockedNames ?? current.blockedNames,
        bannedWords: input.bannedWords ?? current.bannedWords,
      }),
    );
    return c.json({ moderation, defaultBannedWords: [...DEFAULT_BANNED_WORDS] });
  },
);

moderationRouter.put(
  "/teams",
  operation({
    operationId: "setTeams",
    summary: "Set the teams before the market opens",
    description:
      "`{teams: {names, assign}}` or `{teams: null}`. A team someone plays for cannot be dropped (409 TEAM_IN_USE); with `auto`, players without a team are given one.",
    tag: "moderation",
    caller: "organiser",
    ok: { 200: MarketAnswer },
    errors: ["VALIDATION", "NOT_FOUND", "MARKET_NOT_OPEN", "TEAM_IN_USE"],
  }),
  requireAdmin,
  valid("json", SetTeamsInput),
  async (c) => {
    const { teams } = c.req.valid("json");
    const { market } = unwrap(await c.var.market.setTeams(teams));
    await registryStub(c.env).record(market);
    return c.json({ market });
  },
);
