/** Turns the organiser's request into the engine's market configuration, with defaults. */
import { toCents } from "../shared/money";
import { type CreateMarketInput, DEFAULT_LOCALE_OF } from "../shared/protocol";
import type { ScriptItem } from "./MarketCommands";
import {
  DEFAULT_LIQUIDITY,
  DEFAULT_RULES,
  DEFAULT_TICK_MS,
  DEFAULT_VOLATILITY,
  type MarketConfig,
} from "./engine/types";

export function marketConfigFrom(input: CreateMarketInput, code: string, seed: number): MarketConfig {
  return {
    code,
    name: input.name,
    startingCash: toCents(input.startingCash),
    tickMs: input.tickMs ?? DEFAULT_TICK_MS,
    seed: input.seed ?? seed,
    rules: withNumberFormat({ ...DEFAULT_RULES, ...(input.rules ?? {}) }),
    ...(input.session ? { session: input.session } : {}),
    ...(input.teams ? { teams: { names: input.teams.names, assign: input.teams.assign } } : {}),
    symbols: input.symbols.map((s) => ({
      symbol: s.symbol,
      name: s.name,
      sector: s.sector ?? "General",
      price: toCents(s.price),
      volatility: s.volatility ?? DEFAULT_VOLATILITY,
      liquidity: s.liquidity ?? DEFAULT_LIQUIDITY,
    })),
  };
}

/** Every new market names its currency and number format, so clients never guess. */
function withNumberFormat(rules: MarketConfig["rules"]): MarketConfig["rules"] {
  const currency = rules.currency ?? "USD";
  return { ...rules, currency, locale: rules.locale ?? DEFAULT_LOCALE_OF[currency] };
}

/** The create body's news script, as the market stores it (every item waits for the open). */
export function scriptFrom(input: CreateMarketInput): ScriptItem[] {
  return (input.news ?? []).map((n) => ({
    afterOpenMs: n.afterOpenMs,
    headline: n.headline,
    body: n.body ?? "",
    impacts: n.impacts.map((i) => ({ symbol: i.symbol, move: i.move, ticks: i.ticks ?? 1 })),
  }));
}

/** Unambiguous characters only (no 0/O, 1/I), so a code read off a projector types right. */
const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function generateMarketCode(length = 6): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join("");
}

export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}
