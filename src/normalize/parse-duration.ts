/** A span of calendar time such as `3y`, `18m` or `90d`, as `--stale-after`, `--inactive-for` and the `retention` setting take it. */
export interface Duration {
  amount: number;
  unit: 'day' | 'month' | 'year';
  /** The span as custdb writes it back: `3y`, `18m`, `90d`. */
  text: string;
}

const DURATION = /^(\d{1,4})\s*(y|years?|m|months?|d|days?)$/i;
const UNITS = { y: 'year', m: 'month', d: 'day' } as const;

/**
 * Reads a whole number of years, months or days (`3y`, `18m`, `90d`; the long
 * words `3 years`, `18 months` too). Returns undefined for anything else,
 * zero included, so the caller can name the option in its message. Pure.
 *
 * @example parseDuration('18M') // { amount: 18, unit: 'month', text: '18m' }
 */
export function parseDuration(typed: string): Duration | undefined {
  const match = DURATION.exec(typed.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (amount === 0) return undefined;
  const letter = match[2]!.charAt(0).toLowerCase() as keyof typeof UNITS;
  return { amount, unit: UNITS[letter], text: `${amount}${letter}` };
}
