/**
 * Timed sessions: a market that opens and closes by itself. The shell asks `sessionDueAt`
 * when to wake (worker/market/wakeups.ts, reason "session") and `sessionActionDue` what to
 * do when it wakes; the organiser's changes go through `setSession`, which checks them
 * against the time it is given (the engine never reads a clock).
 */
import type { MarketSession, MarketStatus } from "../../shared/messages.ts";
import { SESSION_MAX_MS, SESSION_MIN_MS, SESSION_OPEN_AHEAD_MAX_MS } from "../../shared/messages.ts";
import { type Refusal, refuse } from "./common.ts";
import type { MarketState } from "./types.ts";

export const NO_SESSION: MarketSession = { opensAt: null, closesAt: null, durationMs: null };

/** A change to the session: a field left out keeps its value, null clears it. */
export interface SessionPatch {
  opensAt?: number | null;
  closesAt?: number | null;
  durationMs?: number | null;
}

const minutes = (ms: number) => `${Math.round(ms / 60_000)} minutes`;

/**
 * Applies `patch` to the market's session, or refuses with what is wrong (and changes
 * nothing). In the lobby every field may change; once trading has started only the close
 * may (a duration then counts from `now`: "close in ten minutes"); a closed market's
 * session is final.
 */
export function setSession(
  state: MarketState,
  patch: SessionPatch,
  now: number,
): { ok: true; session: MarketSession } | Refusal {
  if (state.status === "closed") return refuse("MARKET_NOT_OPEN", "The market is closed: its session is over");
  const trading = state.status !== "lobby";
  if (trading && patch.opensAt != null)
    return refuse("VALIDATION", "opensAt: the market is already open, so it cannot be scheduled to open");
  const next: MarketSession = { ...state.session };
  if (patch.opensAt !== undefined && !trading) next.opensAt = patch.opensAt;
  if (patch.closesAt !== undefined) {
    next.closesAt = patch.closesAt;
    if (patch.closesAt !== null) next.durationMs = null;
  }
  if (patch.durationMs !== undefined) {
    next.durationMs = patch.durationMs;
    if (patch.durationMs !== null) next.closesAt = trading ? now + patch.durationMs : null;
  }
  if (!trading && next.opensAt !== null) {
    if (next.opensAt < now) return refuse("VALIDATION", "opensAt: that time has already passed");
    if (next.opensAt > now + SESSION_OPEN_AHEAD_MAX_MS)
      return refuse("VALIDATION", `opensAt: at most ${SESSION_OPEN_AHEAD_MAX_MS / 86_400_000} days ahead`);
  }
  if (next.closesAt !== null) {
    const start = trading ? now : (next.opensAt ?? now);
    if (next.closesAt < now) return refuse("VALIDATION", "closesAt: that time has already passed");
    if (next.closesAt < start + SESSION_MIN_MS)
      return refuse(
        "VALIDATION",
        `closesAt: must be at least ${SESSION_MIN_MS / 1000} s after ${trading || next.opensAt === null ? "now" : "opensAt"}`,
      );
    if (next.closesAt > start + SESSION_MAX_MS)
      return refuse("VALIDATION", `closesAt: a session lasts at most ${minutes(SESSION_MAX_MS)}`);
  }
  state.session = next;
  return { ok: true, session: next };
}

/** At the open (by hand or on time): the open time is recorded and a duration becomes the close. */
export function startSession(state: MarketState, now: number): void {
  const s = state.session;
  state.session = {
    opensAt: now,
    closesAt: s.durationMs !== null && s.closesAt === null ? now + s.durationMs : s.closesAt,
    durationMs: s.durationMs,
  };
}

/** When the session next needs the market: its open in the lobby, its close while trading. */
export function sessionDueAt(status: MarketStatus, session: MarketSession): number | null {
  if (status === "lobby") return session.opensAt;
  if (status === "open" || status === "paused") return session.closesAt;
  return null;
}

/** What the session asks for at `now`, if anything. A close that is due wins over the open. */
export function sessionActionDue(state: MarketState, now: number): "open" | "close" | null {
  const { status, session } = state;
  if (status === "lobby") {
    if (session.opensAt !== null && now >= session.opensAt) return "open";
    return null;
  }
  if ((status === "open" || status === "paused") && session.closesAt !== null && now >= session.closesAt)
    return "close";
  return null;
}
