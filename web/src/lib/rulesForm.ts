/**
 * The market rules as the console's inputs: one entry per rule the engine knows, with
 * the input's unit, bounds and step (the server's zod schema in worker/shared/protocol.ts
 * decides; these only keep the browser from calling a valid value invalid), the text the
 * inputs hold, and the rules object they make.
 */
import type { MarketRules } from "../../../worker/shared/messages";
import { DEFAULT_RULES, RULES_SAFE_WHILE_TRADING } from "../../../worker/market/engine/public";
import { decimalText } from "./numberText";

export type RuleKey = keyof MarketRules;

export interface RuleField {
  key: RuleKey;
  label: string;
  /** percent: the rule is a fraction, the input shows it times 100. */
  kind: "bool" | "int" | "percent";
  /** Bounds of the input, in its own unit (percent for a percent rule). */
  min?: number;
  max?: number;
  help: string;
  /** May be left empty (no value: the rule is off). */
  optional?: boolean;
  /** Under "Price model" (advanced), not with the rules players feel. */
  advanced?: boolean;
}

export const RULE_FIELDS: RuleField[] = [
  { key: "allowShort", label: "Short selling", kind: "bool", help: "Players may sell shares they do not own." },
  { key: "lateEntry", label: "Late entry", kind: "bool", help: "Players may still join after the market opens." },
  {
    key: "feeRate",
    label: "Fee per trade (%)",
    kind: "percent",
    min: 0,
    max: 10,
    help: "Of each fill's value, 0 to 10%.",
  },
  { key: "maxOrderQty", label: "Most shares per order", kind: "int", min: 1, max: 1_000_000, help: "1 to 1,000,000." },
  {
    key: "maxOpenOrders",
    label: "Most open orders",
    kind: "int",
    min: 1,
    max: 1000,
    help: "Resting limit orders per player, 1 to 1,000.",
  },
  {
    key: "ordersPerSecond",
    label: "Orders per second",
    kind: "int",
    min: 1,
    max: 1000,
    help: "Per player, 1 to 1,000.",
  },
  {
    key: "limitPriceBand",
    label: "Limit-price band (%)",
    kind: "percent",
    min: 0,
    max: 1000,
    help: "Limit prices further than this from the price are refused (above 0, at most 1,000%).",
  },
  {
    key: "haltBand",
    label: "Halt when a price moves (%)",
    kind: "percent",
    min: 0,
    max: 1000,
    help: "A move this large within the window halts the stock (above 0, at most 1,000%).",
  },
  { key: "haltWindowTicks", label: "Halt window (ticks)", kind: "int", min: 1, max: 1000, help: "1 to 1,000 ticks." },
  { key: "haltTicks", label: "Halt lasts (ticks)", kind: "int", min: 1, max: 10_000, help: "1 to 10,000 ticks." },
  {
    key: "maxPlayers",
    label: "Most players",
    kind: "int",
    min: 1,
    max: 1_000_000,
    optional: true,
    help: "Leave empty for no cap.",
  },
  {
    key: "impact",
    label: "Price impact (%)",
    kind: "percent",
    min: 0,
    max: 100,
    advanced: true,
    help: "How far an order of a stock's liquidity moves its price, 0 to 100%.",
  },
  {
    key: "reversion",
    label: "Mean reversion per tick (%)",
    kind: "percent",
    min: 0,
    max: 100,
    advanced: true,
    help: "How fast prices drift back to their value, 0 to 100%.",
  },
  {
    key: "halfSpread",
    label: "Half spread (%)",
    kind: "percent",
    min: 0,
    max: 10,
    advanced: true,
    help: "Half the gap between bid and ask, 0 to 10%.",
  },
];

/** Whether a rule may still change once trading has started (the engine's own list). */
export const safeWhileTrading = (key: RuleKey | "startingCash" | "tickMs" | "name"): boolean =>
  key === "name" || (RULES_SAFE_WHILE_TRADING as readonly string[]).includes(key);

/** What each rule input holds: "on"/"" for a switch, else the number as typed. */
export type RulesText = Record<RuleKey, string>;

export function rulesText(rules: Partial<MarketRules> = {}): RulesText {
  const all = { ...DEFAULT_RULES, ...rules } as MarketRules;
  const out = {} as RulesText;
  for (const f of RULE_FIELDS) {
    const v = all[f.key];
    if (f.kind === "bool") out[f.key] = v ? "on" : "";
    else if (v === undefined || v === null) out[f.key] = "";
    else out[f.key] = f.kind === "percent" ? decimalText(Number(v) * 100) : String(v);
  }
  return out;
}

const num = (text: string): number => (text.trim() === "" ? Number.NaN : Number(text.replace(",", ".")));

/** The rules object the inputs make; an empty optional rule is left out (a cap turned off). */
export function rulesOf(text: RulesText): Partial<MarketRules> {
  const out: Record<string, number | boolean> = {};
  for (const f of RULE_FIELDS) {
    const t = text[f.key] ?? "";
    if (f.kind === "bool") out[f.key] = t === "on";
    else if (f.optional && t.trim() === "") continue;
    else out[f.key] = f.kind === "percent" ? num(t) / 100 : num(t);
  }
  return out as Partial<MarketRules>;
}

/** Only the rules whose text differs from `before` (for a PATCH). */
export function changedRules(before: RulesText, after: RulesText): Partial<MarketRules> {
  const all = rulesOf(after);
  const out: Record<string, unknown> = {};
  for (const f of RULE_FIELDS) if (before[f.key] !== after[f.key] && f.key in all) out[f.key] = all[f.key];
  return out as Partial<MarketRules>;
}

/** In plain words, for the server's VALIDATION details (`rules.feeRate`). */
export function ruleHelp(key: string): string | undefined {
  return RULE_FIELDS.find((f) => f.key === key)?.help;
}
