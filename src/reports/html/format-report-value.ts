import type { ValueType } from '../report-document.js';

const INTEGER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const PERCENT = new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** What a missing value shows as: a dash reads as "none" where an empty cell reads as a mistake. */
export const MISSING = '–';

/**
 * A report value as a reader sees it in the HTML report: grouped digits ("1,234"), money with two
 * decimals ("1,234.50"; the currency is named once, in the heading), percentages (0–100, as the
 * report document holds them) with one decimal and a sign ("23.4 %"), text as it is (the page makes
 * it visible: see visibleText).
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

/**
 * Control characters (C0 but tab and newline, DEL, C1) and the bidi overrides and isolates that
 * reorder a line: escaping `<` and `&` does not stop these, and a name holding U+202E would show
 * the rest of its table row reversed. They show as their code (`\x1b`, `\u202e`), the way the
 * terminal output shows them (src/cli/render/inert-text.ts, which this folder may not import).
 */
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/** `text` with every character that would act instead of show replaced by its visible code. */
export function visibleText(text: string): string {
  return text.replace(ACTIVE, (character) => {
    const code = character.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
