import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, calendarPeriod, moveDay, parseDay, parseTimestamp } from '../../../src/filter/calendar.js';

describe('calendar days', () => {
  it('knows real days from impossible ones', () => {
    expect(['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31'].map(parseDay)).toEqual(['2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31']);
    expect(['1900-02-29', '2026-04-31', '0000-01-01', '2026-1-01', '2026-01-01x'].map(parseDay)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('normalises timestamps to milliseconds and Z', () => {
    expect(parseTimestamp('2026-01-31T09:30')).toBe('2026-01-31T09:30:00.000Z');
    expect(parseTimestamp('2026-01-31T09:30:05.12Z')).toBe('2026-01-31T09:30:05.120Z');
    expect(parseTimestamp('2026-01-31T09:30:05.1234Z')).toBeUndefined();
    expect(parseTimestamp('2026-02-30T09:30')).toBeUndefined();
  });

  it('moves by months and years to the same day, or the month\'s last', () => {
    expect(moveDay('2026-03-31', -1, 'month')).toBe('2026-02-28');
    expect(moveDay('2024-03-31', -1, 'month')).toBe('2024-02-29');
    expect(moveDay('2026-01-15', -13, 'month')).toBe('2024-12-15');
    expect(moveDay('2024-02-29', -4, 'year')).toBe('2020-02-29');
    expect(moveDay('2024-02-29', -1, 'year')).toBe('2023-02-28');
    expect(moveDay('2026-01-03', -2, 'week')).toBe('2025-12-20');
    // Before year 1 the result is no day parseDay accepts, which is how the checker refuses it.
    expect(parseDay(moveDay('0001-01-05', -10, 'day'))).toBeUndefined();
    expect(parseDay(moveDay('0001-03-05', -3, 'month'))).toBeUndefined();
  });

  it('names calendar months and years around the as-of day', () => {
    expect(calendarPeriod('2026-03-15', 'this month')).toEqual({ first: '2026-03-01', last: '2026-03-31' });
    expect(calendarPeriod('2026-03-15', 'last month')).toEqual({ first: '2026-02-01', last: '2026-02-28' });
    expect(calendarPeriod('2026-01-15', 'last month')).toEqual({ first: '2025-12-01', last: '2025-12-31' });
    expect(calendarPeriod('2026-03-15', 'last year')).toEqual({ first: '2025-01-01', last: '2025-12-31' });
  });

  it('adds days as the Date class counts them', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -5000, max: 5000 }), (at, days) => {
        const day = at.toISOString().slice(0, 10);
        expect(addDays(day, days)).toBe(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10));
      }),
    );
  });
});
