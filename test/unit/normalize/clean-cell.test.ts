import { describe, expect, it } from 'vitest';
import { isScientificNotation, stripExcelApostrophe } from '../../../src/normalize/clean-cell.js';

describe('stripExcelApostrophe', () => {
  it.each([
    ["'0123", '0123'],
    ["''quoted", "'quoted"],
    ['0123', '0123'],
    ["O'Brien", "O'Brien"],
    ['', ''],
  ])('%j → %j', (raw, expected) => {
    expect(stripExcelApostrophe(raw)).toBe(expected);
  });
});

describe('isScientificNotation', () => {
  it.each(['7.98535E+12', '4.41E+11', '4.47712e+11', ' 1E5 ', '-2.5E-3', '4,47712E+11'])('%j is scientific', (raw) => {
    expect(isScientificNotation(raw)).toBe(true);
  });
  it.each(['4471234567', '+44 7700 900123', 'E+11', '1.5', 'EXT 12', '12E'])('%j is not', (raw) => {
    expect(isScientificNotation(raw)).toBe(false);
  });
});
