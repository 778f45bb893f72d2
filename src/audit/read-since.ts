import { UsageError } from '../errors.js';
import { moveDay, parseDay, parseTimestamp, startOfDay } from '../filter/calendar.js';
import type { CalendarUnit } from '../filter/filter-ast.js';

const UNITS: Readonly<Record<string, CalendarUnit | 'hour'>> = { h: 'hour', d: 'day', w: 'week', m: 'month', y: 'year' };

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
  const relative = /^(\d{1,5})\s*([hdwmy])$/i.exec(text);
  if (relative) {
    const amount = Number(relative[1]);
    const unit = UNITS[relative[2]!.toLowerCase()]!;
    const nowIso = now.toISOString();
    if (unit === 'hour') return new Date(now.getTime() - amount * 3_600_000).toISOString();
    return `${moveDay(nowIso.slice(0, 10), -amount, unit)}${nowIso.slice(10)}`;
  }
  throw new UsageError(`--since ${typed}: not a date or a time back.`, { hint: 'Write a day (--since 2026-11-01) or how long back (--since 30d; h, d, w, m for months, y).' });
}
