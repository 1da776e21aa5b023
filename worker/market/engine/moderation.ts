/**
 * The organiser's moderation: which names may be used (blocked names, banned words; the
 * rules are in shared/nameRules.ts), renaming a player, and removing one.
 *
 * Removing a player takes them out of the game as if they had never been in the
 * standings: their open orders are cancelled and what those orders held goes back to
 * their cash (so their own ledger still balances: cash + reserved + holdings match their
 * fills), and they leave the players, the name index and the ranking. Their fills stay in
 * the market's history (the fills export), under the name they had.
 */
import type { ModerationSettings } from "../../shared/messages.ts";
import { checkName, DEFAULT_BANNED_WORDS, type NameRules, nameRulesOf } from "../../shared/nameRules.ts";
import { nameKey } from "../../shared/names.ts";
import { type Refusal, refuse } from "./common.ts";
import { refreshRanks } from "./leaderboard.ts";
import { releaseOrder } from "./orders.ts";
import type { MarketState, OrderState, PlayerState } from "./types.ts";

/** What a market starts with: nothing blocked, the default word list. */
export function defaultModeration(): ModerationSettings {
  return { blockedNames: [], bannedWords: [...DEFAULT_BANNED_WORDS] };
}

export function moderationOf(state: MarketState): ModerationSettings {
  return (state.moderation ??= defaultModeration());
}

/** Folded rules per settings object; settings are replaced, never edited, so the cache stays right. */
const rulesCache = new WeakMap<ModerationSettings, NameRules>();

function nameRules(state: MarketState): NameRules {
  const settings = moderationOf(state);
  let rules = rulesCache.get(settings);
  if (!rules) rulesCache.set(settings, (rules = nameRulesOf(settings.blockedNames, settings.bannedWords)));
  return rules;
}

/**
 * Whether `name` (normalised) may be taken by a player: not blocked, no banned word, and
 * no other player (`self` aside, for a rename) has a name that looks the same.
 */
export function checkNewName(state: MarketState, name: string, self?: string): Refusal | null {
  const verdict = checkName(nameRules(state), name);
  if (!verdict.ok) return refuse(verdict.code, verdict.message);
  const holder = state.nameIndex.get(nameKey(name));
  if (holder !== undefined && holder !== self)
    return refuse("NAME_TAKEN", `The name "${name.trim()}" is already taken in this market`);
  return null;
}

/** The organiser replaces the market's blocked names and banned words (each list deduplicated by its fold). */
export function setModeration(state: MarketState, settings: ModerationSettings): ModerationSettings {
  const blocked = new Map<string, string>();
  for (const n of settings.blockedNames) if (!blocked.has(nameKey(n))) blocked.set(nameKey(n), n.trim());
  const words = [...new Set(settings.bannedWords.map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0))];
  state.moderation = { blockedNames: [...blocked.values()], bannedWords: words };
  return state.moderation;
}

/** Adds a name to the blocked list (no change when it, or a look-alike, is there already). */
export function blockName(state: MarketState, name: string): ModerationSettings {
  const current = moderationOf(state);
  if (current.blockedNames.some((n) => nameKey(n) === nameKey(name))) return current;
  return setModeration(state, { ...current, blockedNames: [...current.blockedNames, name] });
}

export function renamePlayer(
  state: MarketState,
  playerId: string,
  name: string,
): { ok: true; player: PlayerState; changed: boolean } | Refusal {
  const player = state.players.get(playerId);
  if (!player) return refuse("NOT_FOUND", "No such player in this market");
  const next = name.trim();
  if (next === player.name) return { ok: true, player, changed: false };
  const refused = checkNewName(state, next, playerId);
  if (refused) return refused;
  state.nameIndex.delete(nameKey(player.name));
  state.nameIndex.set(nameKey(next), playerId);
  player.name = next;
  // The cached leaderboard carries names: the room sees the new one at once, not next tick.
  for (const entry of state.top) if (entry.playerId === playerId) entry.name = next;
  return { ok: true, player, changed: true };
}

export function removePlayer(
  state: MarketState,
  playerId: string,
  now: number,
): { ok: true; player: PlayerState; cancelled: OrderState[] } | Refusal {
  const player = state.players.get(playerId);
  if (!player) return refuse("NOT_FOUND", "No such player in this market");
  const cancelled: OrderState[] = [];
  for (const order of [...state.openOrders.values()]) {
    if (order.playerId !== playerId) continue;
    releaseOrder(state, order, player, "cancelled", now);
    cancelled.push(order);
  }
  state.players.delete(playerId);
  if (state.nameIndex.get(nameKey(player.name)) === playerId) state.nameIndex.delete(nameKey(player.name));
  // Everyone below moves up a place now, not at the next tick.
  refreshRanks(state);
  return { ok: true, player, cancelled };
}
