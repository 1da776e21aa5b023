/**
 * The organiser's changes to a market after creation. In the lobby nobody has traded, so
 * everything may change (starting cash is handed to everyone who already joined). Once
 * trading has started, only the rules that act on the next order or the next tick may
 * change; the ones that would rewrite what players already hold or reserved are refused.
 */
import type { MarketRules } from "../../shared/messages.ts";
import { type Refusal, refuse, requote } from "./common.ts";
import { refreshRanks } from "./leaderboard.ts";
import { RULES_SAFE_WHILE_TRADING } from "./safeRules.ts";
import type { Cents, MarketState, PlayerState } from "./types.ts";

export interface SettingsChange {
  name?: string;
  startingCash?: Cents;
  tickMs?: number;
  rules?: Partial<MarketRules>;
}

/** Why a setting is fixed once trading starts, said to the organiser. */
const FIXED_WHY: Record<string, string> = {
  startingCash: "players have traded with it",
  tickMs: "prices and halts are counted in ticks",
  allowShort: "positions and reservations depend on it",
  feeRate: "open orders reserved cash for their fees",
  ordersPerSecond: "players carry it in their tokens",
  impact: "the price model must stay the same for everyone",
  reversion: "the price model must stay the same for everyone",
  halfSpread: "the price model must stay the same for everyone",
};

/**
 * Applies `change` to `state`, or refuses it whole. Returns the players whose rows changed
 * (a new starting cash in the lobby).
 */
export function applySettings(
  state: MarketState,
  change: SettingsChange,
): { ok: true; players: PlayerState[] } | Refusal {
  if (state.status === "closed") return refuse("MARKET_NOT_OPEN", "The market is closed; its settings are final.");
  const rules = change.rules ?? {};
  if (state.status !== "lobby") {
    const fixed = [
      ...(change.startingCash !== undefined ? ["startingCash"] : []),
      ...(change.tickMs !== undefined ? ["tickMs"] : []),
      ...Object.keys(rules).filter((k) => !RULES_SAFE_WHILE_TRADING.includes(k as keyof MarketRules)),
    ];
    if (fixed.length > 0)
      return refuse(
        "MARKET_NOT_OPEN",
        `Trading has started, so ${fixed.map((k) => `${k} (${FIXED_WHY[k] ?? "fixed once trading starts"})`).join(", ")} can no longer change. Only ${RULES_SAFE_WHILE_TRADING.join(", ")} and the name may.`,
      );
  }
  if (
    rules.ordersPerSecond !== undefined &&
    rules.ordersPerSecond !== state.rules.ordersPerSecond &&
    state.players.size > 0
  )
    return refuse(
      "MARKET_NOT_OPEN",
      "ordersPerSecond can change only before anyone joins: each player carries the rate in their token.",
    );
  if (rules.maxPlayers !== undefined && rules.maxPlayers < state.players.size)
    return refuse("MARKET_FULL", `maxPlayers cannot be below the ${state.players.size} players who already joined.`);

  if (change.name !== undefined) state.name = change.name;
  if (change.tickMs !== undefined) state.tickMs = change.tickMs;
  state.rules = { ...state.rules, ...rules };
  if (rules.halfSpread !== undefined) for (const sym of state.symbols) requote(sym, state.rules);
  const players: PlayerState[] = [];
  if (change.startingCash !== undefined && change.startingCash !== state.startingCash) {
    // In the lobby nobody holds anything but cash, and nobody has reserved any.
    state.startingCash = change.startingCash;
    for (const p of state.players.values()) {
      p.cash = change.startingCash;
      players.push(p);
    }
    refreshRanks(state);
  }
  return { ok: true, players };
}
