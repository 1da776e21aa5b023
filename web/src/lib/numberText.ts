/**
 * A decimal as a person types it. `0.035 * 100` is 3.5000000000000004 in floating point,
 * which reads badly and which a browser's step check may refuse; 6 significant decimals
 * are more than any field needs.
 */
export const decimalText = (n: number) => String(Number(n.toFixed(6)));
