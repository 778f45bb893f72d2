import { UsageError } from '../errors.js';
import { moveDay, parseDay, parseTimestamp, startOfDay } from '../filter/calendar.js';
import { ALL_UNITS, CLOCK_MS, describeUnits, parseDuration } from '../normalize/parse-duration.js';

/**
 * The instant `--since` names, as stored timestamps are written: a day (its first instant, UTC), a UTC
 * timestamp, or a time back from `now` (`12h`, `30d`, `2w`, `6m` months, `1y`). Throws UsageError otherwise.
 * @example readSince('30d', new Date('2026-12-05T10:00:00Z')) // '2026-11-05T10:00:00.000Z'
 */
export function readSince(typed: string, now: Date = new Date()): string {
  const text = typed.trim();
  const day = parseDay(text);
  if (day !== undefined) return startOfDay(day);
  const instant = parseTimestamp(text);
  if (instant !== undefined) return instant;
  const back = parseDuration(text, ALL_UNITS);
  if (back !== undefined) {
    // Hours are on the clock; the longer units follow the calendar, keeping the time of day.
    if (back.unit === 'hour') return new Date(now.getTime() - back.amount * CLOCK_MS.hour).toISOString();
    const nowIso = now.toISOString();
    return `${moveDay(nowIso.slice(0, 10), -back.amount, back.unit)}${nowIso.slice(10)}`;
  }
  throw new UsageError(`--since ${typed}: not a date or a time back.`, {
    hint: `Write a day (--since 2026-11-01) or how long back in ${describeUnits(ALL_UNITS)} (--since 30d; h, d, w, m for months, y).`,
  });
}
