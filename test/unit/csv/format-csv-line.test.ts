import { describe, expect, it } from 'vitest';
import { formatCsvLine } from '../../../src/csv/format-csv-line.js';

describe('formatCsvLine with formulas neutralised', () => {
  it.each([
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1 555', "'+1 555"],
    ['-2+3+cmd|x', "'-2+3+cmd|x"],
    ['@here', "'@here"],
    ["'quoted", "''quoted"],
  ])('%j, which a spreadsheet would run, is written %j', (cell, written) => {
    expect(formatCsvLine([cell], true)).toBe(written);
  });

  it.each(['-12.5', '-3', '0', '42.10'])('the plain number %j stays a number', (cell) => {
    expect(formatCsvLine([cell], true)).toBe(cell);
  });
});
