import type { ValueType } from './report-document.js';

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** What a missing value shows as: a dash reads as "none" where an empty cell reads as a mistake. */
export const MISSING = '–';

/**
 * A report value as a reader sees it, in the terminal and in the HTML report alike: grouped digits
 * ("1,234"), money with two decimals ("1,234.50"; the currency is named once, in the heading),
 * percentages (0–100, as the report document holds them) with one decimal and a sign ("23.4 %"),
 * text as it is (each renderer makes it inert where it writes it: see inertText).
 *
 * @example formatReportValue(1234.5, 'money') // '1,234.50'
 */
export function formatReportValue(value: number | string | null, type: ValueType): string {
  if (value === null) return MISSING;
  if (typeof value === 'string') return value;
  switch (type) {
    case 'integer':
      return INTEGER.format(value);
    case 'money':
      return MONEY.format(value);
    case 'percent':
      return `${PERCENT.format(value)} %`;
    default:
      return NUMBER.format(value);
  }
}

