/** Number formatting shared by every screen. Tabular figures keep widths steady on ticks. */
const money2 = new Intl.NumberFormat("en-US", {
  style: "currency",
  currency: "USD",
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const money0 = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const num = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export const fmtMoney = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? "–" : money2.format(n));
export const fmtMoney0 = (n: number) => money0.format(n);
export const fmtPrice = (n: number | null | undefined) => (n == null || !Number.isFinite(n) ? "–" : n.toFixed(2));
export const fmtInt = (n: number) => num.format(n);
export const fmtCompact = (n: number) => compact.format(n);

/** A signed percentage from a fraction: 0.0123 -> "+1.23%". */
export function fmtPct(frac: number | null | undefined, digits = 2): string {
  if (frac == null || !Number.isFinite(frac)) return "–";
  const s = (frac * 100).toFixed(digits);
  // A value that rounds to zero reads as 0, not as "−0.0%".
  if (Number(s) === 0) return `${(0).toFixed(digits)}%`;
  return frac > 0 ? `+${s}%` : `${s.replace("-", "−")}%`;
}

/** A leaderboard return: the wire carries percent (12.5 = +12.5%), not a fraction. */
export const fmtReturn = (pct: number | null | undefined) => fmtPct(pct == null ? pct : pct / 100, 1);

export function fmtSignedMoney(n: number): string {
  return n > 0 ? `+${money2.format(n)}` : n < 0 ? `−${money2.format(-n)}` : money2.format(0);
}

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
