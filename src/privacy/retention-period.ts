import { UsageError } from '../errors.js';

/** How long a customer may go without an order, interaction or edit before they are due for erasure: `3y`, `18m`, `90d`. */
export interface RetentionPeriod {
  amount: number;
  unit: 'y' | 'm' | 'd';
}

/** Reads `3y`, `18m` or `90d` (spaces and case do not matter); throws UsageError naming the form otherwise. Pure. */
export function parseRetentionPeriod(text: string): RetentionPeriod {
  const match = /^(\d{1,4})\s*([ymd])$/i.exec(text.trim());
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount === 0) {
    throw new UsageError(`"${text}" is not a retention period.`, { hint: 'Give a whole number of years, months or days: 3y, 18m or 90d.' });
  }
  return { amount, unit: match[2]!.toLowerCase() as RetentionPeriod['unit'] };
}

export function formatRetentionPeriod(period: RetentionPeriod): string {
  return `${period.amount}${period.unit}`;
}

/**
 * The first day that still counts as recent: `asOf` ('YYYY-MM-DD') less the
 * period, by the calendar (a month back from 31 March is 28 or 29 February). Pure.
 * @example retentionCutoff('2026-03-31', { amount: 1, unit: 'm' }) // '2026-02-28'
 */
export function retentionCutoff(asOf: string, period: RetentionPeriod): string {
  const [year, month, day] = asOf.split('-').map(Number) as [number, number, number];
  if (period.unit === 'd') return new Date(Date.UTC(year, month - 1, day - period.amount)).toISOString().slice(0, 10);
  const months = year * 12 + (month - 1) - (period.unit === 'y' ? period.amount * 12 : period.amount);
  const targetYear = Math.floor(months / 12);
  const targetMonth = months % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay))).toISOString().slice(0, 10);
}
