/**
 * The clock the workerd tests step by hand. `test/support/workerdSetup.ts` installs a fresh
 * one for the market objects (worker/lib/clock.ts) before every test, and `testClock()`
 * hands the current one to the test.
 *
 * It starts a year ahead of the real clock: every alarm a market sets from it lies a year
 * in the real future, so no alarm fires on its own during a test; the test runs each tick
 * with `runDurableObjectAlarm`, after stepping the time it needs with `advance`.
 */
import { onTestFinished, vi } from "vitest";
import { useClock, type Clock } from "../../worker/lib/clock";

const YEAR_MS = 365 * 24 * 3600 * 1000;

export class ManualClock implements Clock {
  constructor(private t = Date.now() + YEAR_MS) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

let current: ManualClock | null = null;
let restore: () => void = () => {};

/** Installs a fresh ManualClock for the market objects (before each test). */
export function installManualClock(): ManualClock {
  restore();
  current = new ManualClock();
  restore = useClock(current);
  return current;
}

/** Puts the system clock back (after each test). */
export function uninstallManualClock(): void {
  restore();
  restore = () => {};
  current = null;
}

/** The clock the markets read in this test. */
export function testClock(): ManualClock {
  if (!current)
    throw new Error("no test clock installed: is test/support/workerdSetup.ts in the project's setupFiles?");
  return current;
}

/**
 * Freezes this isolate's wall clock (Date.now) until the test ends. The Worker's rate limits
 * read it, in process and through @upstash/ratelimit alike, so a flood is counted against
 * a bucket that does not refill while a busy machine is still sending it; `advance` steps
 * the time a test wants to pass (a Retry-After, say) without waiting for it.
 */
export function freezeWallClock(): { advance(ms: number): void } {
  let t = Date.now();
  const spy = vi.spyOn(Date, "now").mockImplementation(() => t);
  onTestFinished(() => spy.mockRestore());
  return {
    advance(ms: number) {
      t += ms;
    },
  };
}
