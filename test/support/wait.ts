/**
 * Waiting for a condition, never for a fixed time: a busy machine is slower, not wrong.
 * The limit only catches a condition that never comes; it is far above any idle figure.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  // performance.now, not Date.now: a test may have frozen the wall clock (freezeWallClock).
  const deadline = performance.now() + timeoutMs;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, delay));
  }
}
