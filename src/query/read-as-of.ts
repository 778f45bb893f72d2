import { UsageError } from '../errors.js';
import { parseDay } from '../filter/calendar.js';

/**
 * The day `--as-of` names ('YYYY-MM-DD', a real calendar day), or today in
 * UTC when it is absent: computed fields and relative dates count from it.
 */
export function readAsOf(typed: string | undefined, now: Date = new Date()): string {
  if (typed === undefined) return now.toISOString().slice(0, 10);
  const day = parseDay(typed.trim());
  if (day === undefined) throw new UsageError(`--as-of ${typed}: not a date.`, { hint: 'Write the day as YYYY-MM-DD, e.g. --as-of 2026-06-30.' });
  return day;
}
