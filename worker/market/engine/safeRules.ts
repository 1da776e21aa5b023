/**
 * Rules that act only on the next order or the next tick, so the organiser may change them
 * while the market trades (engine/settings.ts refuses the rest once trading started). A
 * module of its own so the console can import it (engine/public.ts) without the engine.
 */
import type { MarketRules } from "../../shared/messages.ts";

export const RULES_SAFE_WHILE_TRADING: readonly (keyof MarketRules)[] = [
  "maxOrderQty",
  "maxOpenOrders",
  "limitPriceBand",
  "haltBand",
  "haltWindowTicks",
  "haltTicks",
  "maxPlayers",
  "lateEntry",
];
