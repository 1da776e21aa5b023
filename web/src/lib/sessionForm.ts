/**
 * The timed-session fields of the console, as typed, and the request they make. Times are
 * the browser's local time (datetime-local inputs); the server checks them against its
 * clock (not in the past, the close after the open, 10 s to 7 days).
 */
import type { MarketSession, SessionInput } from "../../../worker/shared/protocol";

export type OpenMode = "manual" | "at";
export type CloseMode = "manual" | "after" | "at";

export interface SessionFormValues {
  openMode: OpenMode;
  /** datetime-local text, e.g. "2026-12-02T18:30:00". */
  opensAt: string;
  closeMode: CloseMode;
  /** Minutes, as typed (decimals allowed: 0.5 = 30 s). */
  minutes: string;
  closesAt: string;
}

export const manualSession = (): SessionFormValues => ({
  openMode: "manual",
  opensAt: "",
  closeMode: "manual",
  minutes: "30",
  closesAt: "",
});

/** A local datetime-local value from epoch ms (seconds shown, so a start a few seconds ahead reads right). */
export function localInputOf(t: number): string {
  const d = new Date(t);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const timeOf = (text: string) => (text.trim() ? new Date(text).getTime() : Number.NaN);

/**
 * The request: every field said out loud (null = by hand), so the same body also clears an
 * earlier schedule. An unreadable time or duration goes as NaN, which the server refuses by field.
 */
export function sessionBody(v: SessionFormValues, trading = false): SessionInput {
  const body: SessionInput = {};
  if (!trading) body.opensAt = v.openMode === "at" ? timeOf(v.opensAt) : null;
  if (v.closeMode === "after") body.durationMs = Math.round(Number(v.minutes.replace(",", ".")) * 60_000);
  else if (v.closeMode === "at") body.closesAt = timeOf(v.closesAt);
  else {
    body.closesAt = null;
    body.durationMs = null;
  }
  return body;
}

/** The form as it should show a market's current session. */
export function formOf(s: MarketSession | undefined): SessionFormValues {
  const v = manualSession();
  if (!s) return v;
  if (s.opensAt !== null) {
    v.openMode = "at";
    v.opensAt = localInputOf(s.opensAt);
  }
  if (s.durationMs !== null) {
    v.closeMode = "after";
    v.minutes = String(Number((s.durationMs / 60_000).toFixed(3)));
  } else if (s.closesAt !== null) {
    v.closeMode = "at";
    v.closesAt = localInputOf(s.closesAt);
  }
  return v;
}

/** What is missing or unreadable before anything is sent (JSON would turn NaN into null: "by hand"). */
export function sessionFormProblem(v: SessionFormValues, trading = false): string | null {
  if (!trading && v.openMode === "at" && Number.isNaN(timeOf(v.opensAt))) return "Pick the opening time.";
  if (v.closeMode === "at" && Number.isNaN(timeOf(v.closesAt))) return "Pick the closing time.";
  if (v.closeMode === "after" && !(Number(v.minutes.replace(",", ".")) > 0))
    return "Give the minutes of trading as a number above 0.";
  return null;
}
