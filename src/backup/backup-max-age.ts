import { UsageError } from '../errors.js';
import { CLOCK_MS, describeUnits, parseDuration, type Duration } from '../normalize/parse-duration.js';

/** A backup's age is watched on the clock, so months and years (of uneven length) are not offered. */
const AGE_UNITS = ['hour', 'day', 'week'] as const;

/**
 * Reads the age past which doctor calls the newest backup too old
 * (`custdb config set backup-max-age 7d`): a whole number of hours, days or
 * weeks. Throws UsageError for anything else.
 *
 * @example readBackupMaxAge('36 hours').text // '36h'
 */
export function readBackupMaxAge(text: string): Duration<(typeof AGE_UNITS)[number]> {
  const age = parseDuration(text, AGE_UNITS);
  if (age === undefined) {
    throw new UsageError(`"${text}" is not an age such as 7d.`, { hint: `Give a whole number of ${describeUnits(AGE_UNITS)}: 36h, 7d, 2w.` });
  }
  return age;
}

/**
 * The backup-max-age in milliseconds.
 *
 * @example
 * parseBackupMaxAge('36h') // 129_600_000
 */
export function parseBackupMaxAge(text: string): number {
  const age = readBackupMaxAge(text);
  return age.amount * CLOCK_MS[age.unit];
}
