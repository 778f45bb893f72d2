/** `part` of `whole` as a percentage rounded to one decimal; null when the whole is 0. */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Minor units (cents) as major units: 123456 → 1234.56. */
export function majorUnits(minor: number): number {
  return minor / 100;
}
