/**
 * Where the market's parts read the time. Production reads the system clock; the workerd
 * tests install a clock they step (test/support/clock.ts), so no test waits for time to
 * pass and none depends on how fast the machine is.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

let current: Clock = systemClock;

/**
 * The clock the market objects are given. It forwards to the installed clock, so a test can
 * swap clocks under a live object (objects outlive a test; storage is per file).
 */
export const marketClock: Clock = { now: () => current.now() };

/** Installs `clock` for the market objects; returns a function that puts the previous one back. */
export function useClock(clock: Clock): () => void {
  const previous = current;
  current = clock;
  return () => {
    current = previous;
  };
}
