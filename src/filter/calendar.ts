import type { CalendarPeriod, CalendarUnit } from './filter-ast.js';

/**
 * Calendar arithmetic on 'YYYY-MM-DD' days (UTC, proleptic Gregorian), for
 * relative dates. Moving by months or years keeps the day of the month where
 * it exists and takes the month's last day where it does not (31 March − 1
 * month = 28 or 29 February).
 */
const DAY_MS = 86_400_000;

/** The day, when `text` is a real calendar day written 'YYYY-MM-DD' (years 0001–9999); otherwise undefined. */
export function parseDay(text: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return text;
}

/**
 * The instant, normalised to 'YYYY-MM-DDTHH:MM:SS.sssZ', when `text` is a
 * UTC timestamp 'YYYY-MM-DDTHH:MM[:SS[.s…]][Z]' of a real day and time
 * (at most millisecond precision); otherwise undefined.
 */
export function parseTimestamp(text: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z?$/.exec(text);
  if (!match || parseDay(match[1]!) === undefined) return undefined;
  const [hours, minutes, seconds] = [Number(match[2]), Number(match[3]), Number(match[4] ?? '0')];
  if (hours > 23 || minutes > 59 || seconds > 59) return undefined;
  return `${match[1]}T${match[2]}:${match[3]}:${match[4] ?? '00'}.${(match[5] ?? '').padEnd(3, '0')}Z`;
}

/** The first instant of `day`, as stored timestamps are written. */
export function startOfDay(day: string): string {
  return `${day}T00:00:00.000Z`;
}

export function addDays(day: string, days: number): string {
  return formatDay(new Date(toTime(day) + days * DAY_MS));
}

/** `day` moved by `amount` units (negative: back). */
export function moveDay(day: string, amount: number, unit: CalendarUnit): string {
  if (unit === 'day') return addDays(day, amount);
  if (unit === 'week') return addDays(day, amount * 7);
  const [year, month, date] = splitDay(day);
  const months = year * 12 + (month - 1) + (unit === 'month' ? amount : amount * 12);
  const toYear = Math.floor(months / 12);
  const toMonth = (months % 12) + 1;
  return joinDay(toYear, toMonth, Math.min(date, daysInMonth(toYear, toMonth)));
}

/** First and last day of a calendar month or year seen from `asOf`. */
export function calendarPeriod(asOf: string, which: CalendarPeriod): { first: string; last: string } {
  const [year, month] = splitDay(asOf);
  switch (which) {
    case 'this month':
      return { first: joinDay(year, month, 1), last: joinDay(year, month, daysInMonth(year, month)) };
    case 'last month': {
      const first = moveDay(joinDay(year, month, 1), -1, 'month');
      const [y, m] = splitDay(first);
      return { first, last: joinDay(y, m, daysInMonth(y, m)) };
    }
    case 'this year':
      return { first: joinDay(year, 1, 1), last: joinDay(year, 12, 31) };
    case 'last year':
      return { first: joinDay(year - 1, 1, 1), last: joinDay(year - 1, 12, 31) };
  }
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function splitDay(day: string): [number, number, number] {
  return [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];
}

function joinDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function toTime(day: string): number {
  const [year, month, date] = splitDay(day);
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, date);
  return at.getTime();
}

function formatDay(at: Date): string {
  return joinDay(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate());
}
