import { describe, expect, it } from 'vitest';
import { readBackupMaxAge } from '../../../src/backup/backup-max-age.js';
import { readDuration } from '../../../src/cli/command-helpers.js';
import { ALL_UNITS, CALENDAR_UNITS, describeUnits, parseDuration } from '../../../src/normalize/parse-duration.js';

describe('parseDuration', () => {
  it.each([
    ['3y', { amount: 3, unit: 'year', text: '3y' }],
    ['18m', { amount: 18, unit: 'month', text: '18m' }],
    ['90d', { amount: 90, unit: 'day', text: '90d' }],
    [' 18M ', { amount: 18, unit: 'month', text: '18m' }],
    ['3W', { amount: 3, unit: 'week', text: '3w' }],
    ['3 weeks', { amount: 3, unit: 'week', text: '3w' }],
    ['2 years', { amount: 2, unit: 'year', text: '2y' }],
    ['1 month', { amount: 1, unit: 'month', text: '1m' }],
    ['30 days', { amount: 30, unit: 'day', text: '30d' }],
    ['9999d', { amount: 9999, unit: 'day', text: '9999d' }],
  ])('reads %j in the calendar units', (typed, expected) => {
    expect(parseDuration(typed, CALENDAR_UNITS)).toEqual(expected);
  });

  it.each(['', '3', 'y', '0d', '00w', '-3d', '+3d', '3x', '1.5d', '1,5d', '3y2m', '12345d', '3 fortnights', 'a week', '36h', '1 hour'])('refuses %j in the calendar units', (typed) => {
    expect(parseDuration(typed, CALENDAR_UNITS)).toBeUndefined();
  });

  it('reads hours, and the long words for them, only where a caller takes hours', () => {
    expect(parseDuration('36h', ALL_UNITS)).toEqual({ amount: 36, unit: 'hour', text: '36h' });
    expect(parseDuration('1 Hour', ALL_UNITS)).toEqual({ amount: 1, unit: 'hour', text: '1h' });
    expect(parseDuration('36h', ['day', 'week'])).toBeUndefined();
    expect(parseDuration('6m', ['hour', 'day', 'week'])).toBeUndefined();
  });

  it('names the units it was given, largest first', () => {
    expect(describeUnits(CALENDAR_UNITS)).toBe('years, months, weeks or days');
    expect(describeUnits(['week', 'hour', 'day'])).toBe('weeks, days or hours');
    expect(describeUnits(['day'])).toBe('days');
  });

  it('says which units an option takes when given one it does not', () => {
    expect(() => readDuration('--inactive-for', '36h')).toThrow(/--inactive-for 36h: not a length of time/);
    expect(() => readDuration('--inactive-for', '36h')).toThrow(expect.objectContaining({ hint: expect.stringContaining('years, months, weeks or days') }));
    expect(() => readBackupMaxAge('6m')).toThrow(expect.objectContaining({ hint: expect.stringContaining('weeks, days or hours') }));
  });
});
