/** ln(eᵘ + eᵛ) without overflow or underflow; −∞ when both are −∞. */
export function logSumExp(u: number, v: number): number {
  const high = Math.max(u, v);
  if (high === Number.NEGATIVE_INFINITY) return high;
  return high + Math.log1p(Math.exp(Math.min(u, v) - high));
}

/** ln(eᵘ − eᵛ) for v ≤ u, keeping precision when v is close to u; −∞ when they are equal. */
export function logDiffExp(u: number, v: number): number {
  if (v === Number.NEGATIVE_INFINITY) return u;
  return u + Math.log(-Math.expm1(v - u));
}
