/**
 * Money crosses the wire as decimal numbers with at most 2 decimals and lives inside as
 * integer cents, so that sums never drift. These are the only two conversions.
 */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}
