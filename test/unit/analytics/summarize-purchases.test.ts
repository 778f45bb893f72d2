import { describe, expect, it } from 'vitest';
import { summarizePurchases } from '../../../src/analytics/summarize-purchases.js';
import { CDNOW_AS_OF, readCdnowPurchases, readPublishedSummary } from './cdnow.js';

describe('summarizePurchases', () => {
  it('reproduces every row of the published CDNOW summary (x, tₓ, T in weeks and z̄, to two decimals)', () => {
    // Half a cent, not toFixed: z̄ like 23.475 is 23.474999… in binary and rounds down here, up there.
    const sameToTwoDecimals = (ours: number, theirs: number): boolean => Math.abs(ours - theirs) <= 0.005 + 1e-9;
    const summaries = summarizePurchases(readCdnowPurchases(), { asOf: CDNOW_AS_OF, unit: 'weeks' });
    const published = readPublishedSummary();
    expect(published).toHaveLength(2357);
    expect(summaries.customerIds).toHaveLength(2357);
    const rowOf = new Map(Array.from(summaries.customerIds, (id, row) => [id, row]));
    const mismatches = published.filter((p) => {
      const row = rowOf.get(p.id)!;
      return (
        summaries.frequency[row] !== p.x ||
        !sameToTwoDecimals(summaries.recency[row]!, p.tx) ||
        !sameToTwoDecimals(summaries.age[row]!, p.T) ||
        !sameToTwoDecimals(summaries.monetary[row]!, p.zbar)
      );
    });
    expect(mismatches).toEqual([]);
  });

  it('merges same-day purchases, ignores those after as-of, and leaves out customers who first bought after it', () => {
    const summaries = summarizePurchases(
      [
        { customerId: 7, date: '2024-01-10', amount: 5 },
        { customerId: 7, date: '2024-01-01T09:00:00Z', amount: 10 },
        { customerId: 7, date: '2024-01-10T18:30:00Z', amount: 15 }, // same day as the first line: one occasion of 20
        { customerId: 7, date: '2024-01-01', amount: 1 }, // same day as the first occasion: excluded from spend
        { customerId: 7, date: '2024-01-15', amount: 40 },
        { customerId: 7, date: '2024-02-01', amount: 999 }, // after as-of
        { customerId: 8, date: '2024-01-20', amount: 30 },
        { customerId: 9, date: '2024-02-02', amount: 30 }, // first bought after as-of
      ],
      { asOf: '2024-01-31', unit: 'days' },
    );
    expect(Array.from(summaries.customerIds)).toEqual([7, 8]);
    expect(Array.from(summaries.frequency)).toEqual([2, 0]);
    expect(Array.from(summaries.recency)).toEqual([14, 0]);
    expect(Array.from(summaries.age)).toEqual([30, 11]);
    expect(Array.from(summaries.monetary)).toEqual([(20 + 40) / 2, 0]);
    expect(summaries).toMatchObject({ unit: 'days', asOf: '2024-01-31' });
  });

  it('measures weeks as days / 7', () => {
    const summaries = summarizePurchases(
      [
        { customerId: 1, date: '2024-01-01', amount: 1 },
        { customerId: 1, date: '2024-01-04', amount: 1 },
      ],
      { asOf: '2024-01-15', unit: 'weeks' },
    );
    expect(summaries.recency[0]).toBeCloseTo(3 / 7, 15);
    expect(summaries.age[0]).toBe(2);
  });

  it('refuses a date it cannot read rather than guess', () => {
    expect(() => summarizePurchases([{ customerId: 1, date: '01/02/2024', amount: 1 }], { asOf: '2024-01-15', unit: 'days' })).toThrow(RangeError);
  });
});
