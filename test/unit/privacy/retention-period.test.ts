import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { formatRetentionPeriod, parseRetentionPeriod, retentionCutoff } from '../../../src/privacy/retention-period.js';

describe('retention periods', () => {
  it.each([
    ['3y', { amount: 3, unit: 'y' }],
    [' 18M ', { amount: 18, unit: 'm' }],
    ['90 d', { amount: 90, unit: 'd' }],
  ])('reads %j', (text, period) => {
    expect(parseRetentionPeriod(text)).toEqual(period);
    expect(formatRetentionPeriod(parseRetentionPeriod(text))).toBe(`${period.amount}${period.unit}`);
  });

  it.each(['', '3', 'y', '0y', '3w', '3 years', '-1y', '1.5y'])('refuses %j, naming the forms it takes', (text) => {
    expect(() => parseRetentionPeriod(text)).toThrow(UsageError);
    expect(() => parseRetentionPeriod(text)).toThrow(/is not a retention period/);
  });

  it.each([
    ['2026-12-01', '3y', '2023-12-01'],
    ['2028-02-29', '1y', '2027-02-28'],
    ['2026-03-31', '1m', '2026-02-28'],
    ['2026-01-15', '18m', '2024-07-15'],
    ['2026-03-01', '1d', '2026-02-28'],
    ['2026-01-01', '90d', '2025-10-03'],
  ])('counts back from %s by %s to %s, by the calendar', (asOf, period, cutoff) => {
    expect(retentionCutoff(asOf, parseRetentionPeriod(period))).toBe(cutoff);
  });
});
