/**
 * A news script as the console's inputs: each item's time after the open as "m:ss", its
 * text, and its impacts with moves in percent; and back to the API's items.
 */
import type { ScriptNewsInput } from "../../../worker/shared/protocol";
import { decimalText } from "./numberText";

export interface ImpactRow {
  symbol: string;
  /** Percent, as typed: "8" = +8%. */
  move: string;
  ticks: string;
}

export interface ScriptRow {
  /** "m:ss" (or minutes: "2.5") after the open. */
  at: string;
  headline: string;
  body: string;
  impacts: ImpactRow[];
}

/** "m:ss" for a time after the open. */
export function clockText(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** "5", "5:30", "5.5" or "1:02:03" as ms; NaN when it is none of those. */
export function parseClock(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 60_000);
  const m = /^(?:(\d+):)?(\d+):([0-5]\d)$/.exec(t);
  if (!m) return Number.NaN;
  return ((Number(m[1] ?? 0) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000;
}

export const emptyImpact = (symbol = ""): ImpactRow => ({ symbol, move: "5", ticks: "1" });

export function scriptRowOf(n: {
  afterOpenMs: number;
  headline: string;
  body?: string;
  impacts: { symbol: string; move: number; ticks?: number }[];
}): ScriptRow {
  return {
    at: clockText(n.afterOpenMs),
    headline: n.headline,
    body: n.body ?? "",
    impacts: n.impacts.map((i) => ({ symbol: i.symbol, move: decimalText(i.move * 100), ticks: String(i.ticks ?? 1) })),
  };
}

const num = (text: string): number => (text.trim() === "" ? Number.NaN : Number(text.replace(",", ".")));

export function scriptItemOf(r: ScriptRow): ScriptNewsInput {
  return {
    afterOpenMs: parseClock(r.at),
    headline: r.headline.trim(),
    ...(r.body.trim() ? { body: r.body.trim() } : {}),
    impacts: r.impacts.map((i) => ({
      symbol: i.symbol.trim().toUpperCase(),
      move: num(i.move) / 100,
      ...(i.ticks.trim() ? { ticks: num(i.ticks) } : {}),
    })),
  };
}

/** The rows sorted by time (a row whose time does not parse stays where it is relative to the rest). */
export function byTime(rows: ScriptRow[]): ScriptRow[] {
  return rows
    .map((r, i) => ({ r, i, t: parseClock(r.at) }))
    .sort((a, b) => (Number.isNaN(a.t) || Number.isNaN(b.t) ? a.i - b.i : a.t - b.t || a.i - b.i))
    .map((x) => x.r);
}
