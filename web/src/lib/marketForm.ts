/**
 * The create-market form's data: what the inputs hold (text, as typed), the request they
 * make, and the server's validation errors turned into plain words for each field.
 */
import type { CreateMarketInput, MarketRulesInput, SymbolInput, TeamAssign } from "../../../worker/shared/protocol";
import { ApiError } from "./api";
import { formatMoney, type NumberFormatSpec } from "./format";
import { decimalText } from "./numberText";
import { type RulesText, ruleHelp, rulesOf } from "./rulesForm";
import { type ScriptRow, scriptItemOf } from "./scriptForm";

/** The money formats the create form offers: a currency and how its numbers are written. */
export const MONEY_FORMATS: { id: string; label: string; spec: NumberFormatSpec }[] = (
  [
    ["US dollar", { currency: "USD", locale: "en-US" }],
    ["Indian rupee", { currency: "INR", locale: "en-IN" }],
    ["Euro", { currency: "EUR", locale: "de-DE" }],
    ["Euro", { currency: "EUR", locale: "en-IE" }],
    ["British pound", { currency: "GBP", locale: "en-GB" }],
  ] as [string, NumberFormatSpec][]
).map(([name, spec]) => ({
  id: `${spec.currency}:${spec.locale}`,
  label: `${name}: ${formatMoney(100000, spec)}`,
  spec,
}));

export const moneyFormatOf = (id: string): NumberFormatSpec =>
  (MONEY_FORMATS.find((f) => f.id === id) ?? MONEY_FORMATS[0]).spec;

export type SymbolRow = {
  symbol: string;
  name: string;
  price: string;
  volatility: string;
  liquidity: string;
  sector: string;
};

export { decimalText };

export const toRow = (s: SymbolInput): SymbolRow => ({
  symbol: s.symbol,
  name: s.name,
  price: s.price.toFixed(2),
  volatility: s.volatility != null ? decimalText(s.volatility * 100) : "",
  liquidity: s.liquidity != null ? decimalText(s.liquidity) : "",
  sector: s.sector ?? "",
});

export const emptyRow = (): SymbolRow => ({
  symbol: "",
  name: "",
  price: "10.00",
  volatility: "5",
  liquidity: "10000",
  sector: "",
});

export interface MarketFormValues {
  name: string;
  code: string;
  cash: string;
  tickSeconds: string;
  rows: SymbolRow[];
  /** An id of MONEY_FORMATS. */
  moneyFormat?: string;
  /** Team names, one per line, when teams are on. */
  teams?: { names: string; assign: TeamAssign } | null;
  rules: RulesText;
  script: ScriptRow[];
  /** Create-body fields the form has no inputs for (from a scenario), sent as they came. */
  extra?: Record<string, unknown>;
}

/** A number field as typed; an empty or unreadable one goes to the server as null, which it refuses by field. */
const num = (text: string): number => (text.trim() === "" ? Number.NaN : Number(text.replace(",", ".")));

export function createMarketBody(v: MarketFormValues): CreateMarketInput {
  const tick = num(v.tickSeconds);
  return {
    ...(v.extra ?? {}),
    name: v.name.trim(),
    startingCash: num(v.cash),
    tickMs: Number.isFinite(tick) ? Math.round(tick * 1000) : tick,
    symbols: v.rows.map((r) => ({
      symbol: r.symbol.trim().toUpperCase(),
      name: r.name.trim(),
      price: num(r.price),
      ...(r.volatility.trim() ? { volatility: num(r.volatility) / 100 } : {}),
      ...(r.liquidity.trim() ? { liquidity: num(r.liquidity) } : {}),
      ...(r.sector.trim() ? { sector: r.sector.trim() } : {}),
    })),
    rules: { ...rulesOf(v.rules), ...(v.moneyFormat ? moneyFormatOf(v.moneyFormat) : {}) } as MarketRulesInput,
    news: v.script.map(scriptItemOf),
    ...(v.code.trim() ? { code: v.code.trim().toUpperCase() } : {}),
    ...(v.teams
      ? {
          teams: {
            names: v.teams.names
              .split("\n")
              .map((l) => l.trim())
              .filter((l) => l.length > 0),
            assign: v.teams.assign,
          },
        }
      : {}),
  };
}

/** What each field accepts, said the way the form labels it (the server's zod schema decides). */
const FIELD_TEXT: Record<string, string> = {
  name: "Give the market a name of up to 80 characters.",
  code: "A code is 4 to 12 letters or digits. Or leave it empty for a generated one.",
  startingCash: "Starting cash must be more than {zero}, with at most 2 decimals.",
  tickMs: "A tick lasts from 0.25 to 60 seconds.",
  symbol: "1 to 8 letters, A to Z.",
  stockName: "Give the stock a name of up to 64 characters.",
  price: "A price above {zero}, with at most 2 decimals.",
  volatility: "From 0 to 200 %.",
  liquidity: "A number of shares above 0.",
  sector: "Up to 32 characters, or leave it empty.",
  "teams.names": "Give 2 to 20 teams different names of up to 24 characters, one per line.",
};

/** "news.2.impacts.0.move" as the script editor's words. */
function scriptFieldName(field: string): string {
  const parts = field.split(".");
  const what: Record<string, string> = {
    afterOpenMs: "Time after the open",
    headline: "Headline",
    body: "Text",
    symbol: "Stock",
    move: "Move",
    ticks: "Ticks",
    impacts: "Impacts",
  };
  const impact = parts[2] === "impacts" && parts[3] !== undefined ? `Impact ${Number(parts[3]) + 1}, ` : "";
  return `${impact}${what[parts[parts.length - 1]] ?? parts[parts.length - 1]}`;
}

/** Field keys the form uses: `name`, `startingCash`, … and `symbols.2.price` for a stock's cell. */
export type FieldErrors = Record<string, string>;

/**
 * The server's VALIDATION details (`[{field: "symbols.2.price", message}]`) as a message per
 * form field. Whole-list problems (`symbols`: none, too many, a symbol twice) come back
 * under `symbols`.
 */
export function fieldErrorsOf(err: unknown, money: NumberFormatSpec = MONEY_FORMATS[0].spec): FieldErrors {
  // "$0" in the market's own currency: "₹0", "0 €".
  const said = (text: string | undefined) => text?.replace("{zero}", formatMoney(0, money, 0));
  if (!(err instanceof ApiError) || err.code !== "VALIDATION" || !Array.isArray(err.details)) return {};
  const out: FieldErrors = {};
  for (const d of err.details as { field?: unknown; message?: unknown }[]) {
    const field = typeof d.field === "string" ? d.field : "";
    const message = String(d.message ?? "");
    const cell = /^symbols\.(\d+)\.(\w+)$/.exec(field);
    const rule = /^rules\.(\w+)$/.exec(field);
    const script = /^news\.(\d+)\.(\w+)/.exec(field);
    if (rule) {
      out[field] ??= ruleHelp(rule[1]) ?? message;
    } else if (script) {
      out[`news.${script[1]}`] ??= `${scriptFieldName(field)}: ${message}`;
    } else if (cell) {
      const key = cell[2] === "name" ? "stockName" : cell[2];
      out[field] ??= said(FIELD_TEXT[key]) ?? message;
    } else if (field === "symbols") {
      out.symbols ??= /unique/.test(message)
        ? "Each stock needs its own symbol: one is listed twice."
        : "Add from 1 to 50 stocks.";
    } else if (field) {
      out[field] ??= said(FIELD_TEXT[field]) ?? message;
    }
  }
  return out;
}
