import type { ValueType } from '../../reports/report-document.js';
import { formatCount } from './format-count.js';

/** A report value as text for people: counts with thousands separators, money with two decimals, percentages with one; '–' for none. */
export function formatReportValue(value: number | string | null, type: ValueType): string {
  if (value === null) return '–';
  if (typeof value === 'string') return value;
  switch (type) {
    case 'integer':
      return formatCount(value);
    case 'money':
      return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    case 'percent':
      return `${value.toFixed(1)} %`;
    case 'number':
      return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
    default:
      return String(value);
  }
}
