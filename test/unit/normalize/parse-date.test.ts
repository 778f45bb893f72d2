import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectDateOrder, parseDate, parseTimestamp, type DateOrder } from '../../../src/normalize/parse-date.js';

describe('parseDate', () => {
  it.each<[string, DateOrder | null, string]>([
    ['2024-03-07', null, '2024-03-07'],
    ['2024-3-7', null, '2024-03-07'],
    ['2024/03/07', null, '2024-03-07'],
    ['2024-03-07T10:00:00Z', null, '2024-03-07'],
    ['2025-12-06 23:37:33 -0500', null, '2025-12-06'],
    ['2023-09-08 00:33', null, '2023-09-08'],
    ['20240307', null, '2024-03-07'],
    ['3/7/2024', 'mdy', '2024-03-07'],
    ['03/07/24', 'mdy', '2024-03-07'],
    ['07.03.2024', 'dmy', '2024-03-07'],
    ['07/03/2024', 'dmy', '2024-03-07'],
    ['7-3-2024', 'dmy', '2024-03-07'],
    ['13/03/2024', null, '2024-03-13'],
    ['03/13/2024', null, '2024-03-13'],
    ['05/05/2024', null, '2024-05-05'],
    ['3/7/2024 2:30 PM', 'mdy', '2024-03-07'],
    ['7 Mar 2024', null, '2024-03-07'],
    ['7 March 2024', null, '2024-03-07'],
    ['07-Mar-2024', null, '2024-03-07'],
    ['7th March 2024', null, '2024-03-07'],
    ['March 7, 2024', null, '2024-03-07'],
    ['Sept 30 2024', null, '2024-09-30'],
    ['Thu, 07 Mar 2024 10:00:00 +0000', null, '2024-03-07'],
    ['2024-02-29', null, '2024-02-29'],
    ['2000-02-29', null, '2000-02-29'],
  ])('%j (order %s) → %s', (raw, order, date) => {
    expect(parseDate(raw, order)).toEqual({ date, warnings: [] });
  });

  it.each([
    ['01/02/69', '2069-02-01'],
    ['01/02/70', '1970-02-01'],
    ['01/02/99', '1999-02-01'],
    ['01/02/00', '2000-02-01'],
  ])('two-digit year %j → %s (00–69 is 20xx, 70–99 is 19xx)', (raw, date) => {
    expect(parseDate(raw, 'dmy').date).toBe(date);
  });

  it('refuses an ambiguous date when the file order is unknown', () => {
    expect(parseDate('03/07/2024', null)).toEqual({
      date: null,
      warnings: ['ambiguous date 03/07/2024: 3 July or March 7; use --date-format dmy|mdy'],
    });
    expect(parseDate('03/07/2024', 'ymd').date).toBeNull();
  });

  it.each(['2023-02-30', '2023-02-29', '1900-02-29', '2024-13-01', '2024-04-31', '31/04/2024', '20240230'])(
    'rejects the impossible date %j',
    (raw) => {
      expect(parseDate(raw, 'dmy')).toEqual({ date: null, warnings: [`not a real calendar date: ${raw}`] });
    },
  );

  it('rejects a value that contradicts the file order', () => {
    expect(parseDate('13/03/2024', 'mdy')).toEqual({
      date: null,
      warnings: ['date 13/03/2024 cannot be month-day-year like the rest of the file'],
    });
    expect(parseDate('03/13/2024', 'dmy').date).toBeNull();
  });

  it.each(['yesterday', '2024', '12/2024', '32/13/2024', 'n/a', '2024-03-07 25:00'])('%j is not a date', (raw) => {
    const result = parseDate(raw, 'dmy');
    expect(result.date).toBeNull();
    expect(result.warnings).toHaveLength(1);
  });

  it('blank is no date and no warning', () => {
    expect(parseDate('  ')).toEqual({ date: null, warnings: [] });
  });

  it('round-trips any valid ISO date', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        expect(parseDate(iso, null)).toEqual({ date: iso, warnings: [] });
        expect(parseDate(iso.replaceAll('-', ''), null).date).toBe(iso);
      }),
    );
  });
});

describe('parseTimestamp', () => {
  it.each([
    ['2024-03-07T10:00:00Z', '2024-03-07T10:00:00.000Z', true],
    ['2024-03-07T10:00:00.123456+01:00', '2024-03-07T09:00:00.123Z', true],
    ['2025-12-06 10:37:33 -0500', '2025-12-06T15:37:33.000Z', true],
    ['2025-12-06 23:37:33 -0500', '2025-12-07T04:37:33.000Z', true],
    ['2024-03-07 10:00 +0530', '2024-03-07T04:30:00.000Z', true],
    ['2024-03-07 10:00 UTC', '2024-03-07T10:00:00.000Z', true],
    ['2023-09-08 00:33', '2023-09-08T00:33:00.000Z', true],
    ['3/7/2024 12:15 AM', '2024-03-07T00:15:00.000Z', true],
    ['3/7/2024 12:15 PM', '2024-03-07T12:15:00.000Z', true],
    ['2024-03-07', '2024-03-07T00:00:00.000Z', false],
  ])('%j → %s', (raw, timestamp, hasTime) => {
    expect(parseTimestamp(raw, 'mdy')).toEqual({ timestamp, hasTime, warnings: [] });
  });

  it('rejects an impossible time', () => {
    expect(parseTimestamp('2024-03-07 13:00 PM').timestamp).toBeNull();
    expect(parseTimestamp('2024-03-07 10:61').timestamp).toBeNull();
  });

  it('round-trips any instant written as ISO', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        expect(parseTimestamp(iso).timestamp).toBe(iso);
      }),
    );
  });
});

describe('detectDateOrder', () => {
  it('finds day-first from a day above 12', () => {
    expect(detectDateOrder(['03/07/2024', '13/03/2024', '01/01/2024'])).toEqual({
      order: 'dmy',
      evidence: '"13/03/2024" can only be day-month-year (1 such, none month-first)',
    });
  });

  it('finds month-first from a second part above 12', () => {
    expect(detectDateOrder(['03/07/2024', '3/13/2024 10:00']).order).toBe('mdy');
  });

  it('refuses to choose when samples disagree', () => {
    expect(detectDateOrder(['13/03/2024', '03/13/2024'])).toEqual({
      order: null,
      evidence: 'conflicting dates: "13/03/2024" can only be day-month-year but "03/13/2024" can only be month-day-year',
    });
  });

  it('refuses to choose when every numeric date reads both ways', () => {
    const guess = detectDateOrder(['03/07/2024', '04/05/2024', '2024-01-31']);
    expect(guess.order).toBeNull();
    expect(guess.evidence).toContain('use --date-format dmy|mdy');
  });

  it('says year-first when all dates are ISO', () => {
    expect(detectDateOrder(['2024-03-07', '20240308', '2024-03-09T10:00:00Z']).order).toBe('ymd');
  });

  it('says nothing without dates', () => {
    expect(detectDateOrder(['', 'n/a'])).toEqual({ order: null, evidence: 'no dates to judge by' });
  });

  it('never claims an order that a sample contradicts', () => {
    const sample = fc.oneof(
      fc
        .tuple(fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1, max: 31 }), fc.integer({ min: 1990, max: 2030 }), fc.constantFrom('/', '.', '-'))
        .map(([a, b, y, sep]) => `${a}${sep}${b}${sep}${y}`),
      fc.date({ noInvalidDate: true, min: new Date('1990-01-01'), max: new Date('2030-01-01') }).map((d) => d.toISOString().slice(0, 10)),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 30 }), (samples) => {
        const { order } = detectDateOrder(samples);
        if (order === null) return;
        for (const s of samples) {
          const result = parseDate(s, order);
          for (const warning of result.warnings) {
            expect(warning).not.toMatch(/cannot be|ambiguous/);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
