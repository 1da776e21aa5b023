/**
 * The timed session's countdowns, as pure functions (unit-tested in Node): before the bell
 * "opens in", while trading "time left" (the last minute is the final countdown), and
 * nothing once the market is closed, so no countdown outlives the game.
 */
import type { MarketSession, MarketStatus } from "../../../worker/shared/messages";

/** The last stretch, shown big and red. */
export const FINAL_MS = 60_000;

export type Countdown = { kind: "opens"; ms: number } | { kind: "left"; ms: number; final: boolean } | null;

export function sessionCountdown(
  status: MarketStatus | undefined,
  session: MarketSession | undefined,
  now: number,
): Countdown {
  if (!status || !session || status === "closed") return null;
  if (status === "lobby")
    return session.opensAt === null ? null : { kind: "opens", ms: Math.max(0, session.opensAt - now) };
  if (session.closesAt === null) return null;
  const ms = Math.max(0, session.closesAt - now);
  return { kind: "left", ms, final: ms <= FINAL_MS };
}

/** 0:59, 12:04, 1:02:03; rounded up, so "0:00" shows only at the bell. */
export function fmtCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** A session length for people: "30 min", "1 h 30 min", "45 s". */
export function fmtDuration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  const secs = Math.round((ms % 60_000) / 1000);
  if (ms < 600_000 && secs) return `${Math.floor(ms / 60_000)} min ${secs} s`;
  if (min < 60) return `${min} min`;
  return min % 60 ? `${Math.floor(min / 60)} h ${min % 60} min` : `${min / 60} h`;
}

/**
 * How far this device's clock is behind the server's, from a message the server stamped
 * (`t`) as it arrives: countdowns on a phone whose clock is off still ring with the bell.
 * Network delay only ever makes `t` look older, so the largest recent estimate wins; it
 * gives up a second per message, so a clock that drifts is followed.
 */
export function skewFrom(previous: number | null, serverT: number, localNow: number): number {
  const sample = serverT - localNow;
  return previous === null ? sample : Math.max(sample, previous - 1000);
}
