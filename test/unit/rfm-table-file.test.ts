import { describe, expect, it } from 'vitest';
import { formatRfmTable, parseRfmTableJson } from '../../src/analytics/rfm-table-file.js';
import { DEFAULT_RFM_TABLE } from '../../src/db/rfm-table.js';
import { UsageError } from '../../src/errors.js';

const GRID = { 1: ['a', 'b', 'c', 'd', 'e'], 2: ['f', 'g', 'h', 'i', 'j'], 3: ['k', 'l', 'm', 'n', 'o'], 4: ['p', 'q', 'r', 's', 't'], 5: ['u', 'v', 'w', 'x', ' y '] };

function refusal(text: string): UsageError {
  try {
    parseRfmTableJson(text, 'mine.json');
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).hint).toMatch(/keys "1" to "5"/);
    return error as UsageError;
  }
  throw new Error(`accepted: ${text}`);
}

describe('parseRfmTableJson', () => {
  it('reads a table by recency row and frequency column, trimming names', () => {
    const table = parseRfmTableJson(JSON.stringify(GRID), 'mine.json');
    expect(table[0]).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(table[4]![4]).toBe('y');
  });

  it('round-trips the default table through its stored form', () => {
    expect(parseRfmTableJson(formatRfmTable(DEFAULT_RFM_TABLE), 'stored')).toEqual(DEFAULT_RFM_TABLE);
    expect(JSON.parse(formatRfmTable(DEFAULT_RFM_TABLE))['5']).toEqual(['New Customers', 'Potential Loyalists', 'Potential Loyalists', 'Champions', 'Champions']);
  });

  it('refuses an incomplete or malformed table, saying what to fix (exit 2)', () => {
    expect(refusal('{"1": [').message).toMatch(/^mine\.json is not an RFM table: it is not valid JSON/);
    expect(refusal('[]').message).toMatch(/not a JSON object/);
    const { 3: _dropped, ...withoutThree } = GRID;
    expect(refusal(JSON.stringify(withoutThree)).message).toMatch(/recency score "3" is missing/);
    expect(refusal(JSON.stringify({ ...GRID, 6: GRID[1] })).message).toMatch(/unexpected key "6"/);
    expect(refusal(JSON.stringify({ ...GRID, 2: ['f', 'g'] })).message).toMatch(/recency "2" must list exactly 5 names/);
    expect(refusal(JSON.stringify({ ...GRID, 2: ['f', 'g', 7, 'i', 'j'] })).message).toMatch(/recency "2", frequency 3 has no segment name/);
    expect(refusal(JSON.stringify({ ...GRID, 1: ['a', 'b', 'c', 'd', 'x'.repeat(61)] })).message).toMatch(/at most 60 characters/);
  });
});
