export type DurationUnit = 'hour' | 'day' | 'week' | 'month' | 'year';
type CalendarDurationUnit = Exclude<DurationUnit, 'hour'>;

/**
 * A length of time such as `36h`, `2w`, `18m` (months) or `3y`, as an option or setting takes it.
 * `U` is the units the reader took; without it, the calendar units most options take.
 */
export interface Duration<U extends DurationUnit = CalendarDurationUnit> {
  amount: number;
  unit: U;
  /** The length as custdb writes it back: `36h`, `90d`, `2w`, `18m`, `3y`. */
  text: string;
}

/** What `--stale-after`, `--inactive-for` and the `retention` setting take: spans a customer's history is measured in. */
export const CALENDAR_UNITS: readonly CalendarDurationUnit[] = ['day', 'week', 'month', 'year'];
export const ALL_UNITS: readonly DurationUnit[] = ['hour', ...CALENDAR_UNITS];

/** The units of a fixed length, in milliseconds; months and years are calendar arithmetic instead. */
export const CLOCK_MS: Readonly<Record<'hour' | 'day' | 'week', number>> = { hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

const LETTER: Readonly<Record<DurationUnit, string>> = { hour: 'h', day: 'd', week: 'w', month: 'm', year: 'y' };
const BY_LETTER = new Map(Object.entries(LETTER).map(([unit, letter]) => [letter, unit as DurationUnit]));
// Four digits reach past any history custdb keeps; more is a typing slip.
const LENGTH = /^(\d{1,4})\s*(h|hours?|d|days?|w|weeks?|m|months?|y|years?)$/i;

/**
 * Reads a whole number and a unit (`36h`, `90d`, `2w`, `18m` for months, `3y`; the long words
 * `3 weeks`, `1 hour` too) when the unit is one of `units`. Returns undefined for anything else,
 * zero included, so the caller can name its option in the message (see describeUnits). Pure.
 *
 * @example parseDuration('18M', CALENDAR_UNITS) // { amount: 18, unit: 'month', text: '18m' }
 */
export function parseDuration<U extends DurationUnit>(typed: string, units: readonly U[]): Duration<U> | undefined {
  const match = LENGTH.exec(typed.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = BY_LETTER.get(match[2]!.charAt(0).toLowerCase())!;
  if (amount === 0 || !isOneOf(unit, units)) return undefined;
  return { amount, unit, text: `${amount}${LETTER[unit]}` };
}

/** The units a message offers, largest first: `years, months, weeks or days`. */
export function describeUnits(units: readonly DurationUnit[]): string {
  const words = ALL_UNITS.filter((unit) => units.includes(unit))
    .reverse()
    .map((unit) => `${unit}s`);
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words.at(-1)!}`;
}

function isOneOf<U extends DurationUnit>(unit: DurationUnit, units: readonly U[]): unit is U {
  return (units as readonly DurationUnit[]).includes(unit);
}
