/** A count or sum as the database returns it (PostgreSQL's bigint and numeric come as text; SUM over nothing is NULL): a number, 0 for none. */
export function toNumber(value: unknown): number {
  return value === null || value === undefined ? 0 : Number(value);
}

/** `part` of `whole` as a percentage rounded to one decimal; null when the whole is 0. */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Minor units (cents) as major units: 123456 → 1234.56. */
export function majorUnits(minor: number): number {
  return minor / 100;
}
