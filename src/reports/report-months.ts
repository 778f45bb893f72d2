import { moveDay } from '../filter/calendar.js';

/** The month ('YYYY-MM') of a day or timestamp. */
export function monthOf(dayOrTimestamp: string): string {
  return dayOrTimestamp.slice(0, 7);
}

/** `month` moved by `count` months (negative: back). */
export function addMonths(month: string, count: number): string {
  return moveDay(`${month}-01`, count, 'month').slice(0, 7);
}

/** The `count` months ending with `last`, oldest first. */
export function monthsEndingWith(last: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => addMonths(last, i - count + 1));
}

/** Whole months from `from` to `to` ('2026-01' to '2026-03' is 2). */
export function monthsBetween(from: string, to: string): number {
  const index = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7));
  return index(to) - index(from);
}
