/**
 * Every number a screen shows goes through here: money, prices, quantities, percentages,
 * in the market's currency and number format (its `rules.currency` and `rules.locale`,
 * carried in every snapshot), through `Intl.NumberFormat`. en-IN groups 1,00,000.00,
 * de-DE writes 1.234,56 €.
 *
 * Two layers: pure functions that take the format (`formatMoney(n, spec)`, unit-tested in
 * Node), and the `fmt*` shorthands the screens use, which read the format of the market
 * on screen (`setMarketFormat`, called by the live feed when a snapshot arrives). A
 * screen shows one market at a time, so one current format is enough.
 *
 * Formatters are costly to build and cheap to use, so each is built once per locale and
 * options and kept. Tabular figures (CSS) keep widths steady on ticks.
 */
import { createSignal } from "solid-js";
import {
  DEFAULT_LOCALE_OF,
  MARKET_CURRENCIES,
  MARKET_LOCALES,
  type MarketCurrency,
  type MarketLocale,
} from "../../../worker/shared/messages";

export interface NumberFormatSpec {
  currency: MarketCurrency;
  locale: MarketLocale;
}

export const USD_FORMAT: NumberFormatSpec = { currency: "USD", locale: "en-US" };

/** The format a market's rules name; a market created before these rules shows dollars, en-US. */
export function formatSpecOf(rules?: { currency?: string; locale?: string } | null): NumberFormatSpec {
  const currency = (MARKET_CURRENCIES as readonly string[]).includes(rules?.currency ?? "")
    ? (rules!.currency as MarketCurrency)
    : "USD";
  const locale = (MARKET_LOCALES as readonly string[]).includes(rules?.locale ?? "")
    ? (rules!.locale as MarketLocale)
    : DEFAULT_LOCALE_OF[currency];
  return { currency, locale };
}

const formatters = new Map<string, Intl.NumberFormat>();

function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

const MISSING = "–";
const ok = (n: number | null | undefined): n is number => n != null && Number.isFinite(n);
/** A typographic minus for signed figures ("−1.20%"), which reads better than a hyphen on a projector. */
const typographicMinus = (s: string) => s.replace("-", "\u2212");

export function formatMoney(n: number | null | undefined, spec: NumberFormatSpec, digits: 0 | 2 = 2): string {
  if (!ok(n)) return MISSING;
  return nf(spec.locale, {
    style: "currency",
    currency: spec.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(n);
}

/** Money with its sign always shown: "+$12.00", "−$3.50", "$0.00". */
export function formatSignedMoney(n: number | null | undefined, spec: NumberFormatSpec): string {
  if (!ok(n)) return MISSING;
  const f = nf(spec.locale, { style: "currency", currency: spec.currency, signDisplay: "exceptZero" });
  return typographicMinus(f.format(n));
}

/** A price without the currency sign (lists, tickers): two decimals, the locale's grouping. */
export function formatPrice(n: number | null | undefined, spec: NumberFormatSpec): string {
  if (!ok(n)) return MISSING;
  return nf(spec.locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
}

/** A whole number (shares, players, volume) in the locale's grouping. */
export function formatNumber(n: number | null | undefined, spec: NumberFormatSpec): string {
  if (!ok(n)) return MISSING;
  return nf(spec.locale, { maximumFractionDigits: 0 }).format(n);
}

export function formatCompact(n: number | null | undefined, spec: NumberFormatSpec): string {
  if (!ok(n)) return MISSING;
  return nf(spec.locale, { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** A signed percentage from a fraction: 0.0123 -> "+1.23%"; a value that rounds to zero reads "0.00%". */
export function formatPercent(frac: number | null | undefined, spec: NumberFormatSpec, digits = 2): string {
  if (!ok(frac)) return MISSING;
  const f = nf(spec.locale, {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
    signDisplay: "exceptZero",
  });
  return typographicMinus(f.format(frac));
}

/** The currency's sign as the locale writes it ("$", "₹", "€", "£"), for labels such as "Starting cash (₹)". */
export function currencySymbol(spec: NumberFormatSpec): string {
  const parts = nf(spec.locale, { style: "currency", currency: spec.currency }).formatToParts(0);
  return parts.find((p) => p.type === "currency")?.value ?? spec.currency;
}

// ---------------------------------------------------------------- the market on screen

const [current, setCurrent] = createSignal<NumberFormatSpec>(USD_FORMAT);

/** The number format of the market on screen. */
export const marketFormat = current;

/** Called when a market's rules arrive (the live feed's snapshot). */
export function setMarketFormat(spec: NumberFormatSpec): void {
  const now = current();
  if (now.currency !== spec.currency || now.locale !== spec.locale) setCurrent(spec);
}

export const fmtMoney = (n: number | null | undefined) => formatMoney(n, current());
export const fmtMoney0 = (n: number) => formatMoney(n, current(), 0);
export const fmtSignedMoney = (n: number) => formatSignedMoney(n, current());
export const fmtPrice = (n: number | null | undefined) => formatPrice(n, current());
export const fmtInt = (n: number) => formatNumber(n, current());
export const fmtCompact = (n: number) => formatCompact(n, current());
export const fmtPct = (frac: number | null | undefined, digits = 2) => formatPercent(frac, current(), digits);
/** A leaderboard return: the wire carries percent (12.5 = +12.5%), not a fraction. */
export const fmtReturn = (pct: number | null | undefined) => fmtPct(pct == null ? pct : pct / 100, 1);

/** A price as an input's value: plain digits and a dot, whatever the display format (inputs parse it back). */
export const priceInputText = (n: number) => n.toFixed(2);

export const trend = (n: number) => (n > 0 ? "up" : n < 0 ? "down" : "flat");
/** The colour of a percent value as shown with one decimal (−0.04% shows as 0.0%, so flat). */
export const trendPct = (pct: number) => trend(Math.round(pct * 10) / 10);

/** Remaining time as m:ss. */
export function fmtLeft(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export function fmtClock(t: number): string {
  return new Date(t).toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23",
  });
}

/** Cents arithmetic for display totals (money crosses the wire as decimals). */
export const cents = (n: number) => Math.round(n * 100);
export const dollars = (c: number) => c / 100;
