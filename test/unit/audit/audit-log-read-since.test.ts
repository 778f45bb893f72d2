import { describe, expect, it } from 'vitest';
import { customersChanged } from '../../../src/audit/list-events.js';
import { readSince } from '../../../src/audit/read-since.js';
import { UsageError } from '../../../src/errors.js';

const NOW = new Date('2026-03-31T10:15:00.000Z');

describe('readSince', () => {
  it('reads a day, an instant, and a time back in hours, days, weeks, months and years', () => {
    expect(readSince('2026-11-01', NOW)).toBe('2026-11-01T00:00:00.000Z');
    expect(readSince('2026-11-01T08:30Z', NOW)).toBe('2026-11-01T08:30:00.000Z');
    expect(readSince('12h', NOW)).toBe('2026-03-30T22:15:00.000Z');
    expect(readSince('30d', NOW)).toBe('2026-03-01T10:15:00.000Z');
    expect(readSince('2w', NOW)).toBe('2026-03-17T10:15:00.000Z');
    // A month back from 31 March is the last day of February.
    expect(readSince('1m', NOW)).toBe('2026-02-28T10:15:00.000Z');
    expect(readSince(' 1Y ', NOW)).toBe('2025-03-31T10:15:00.000Z');
    expect(readSince('2 weeks', NOW)).toBe('2026-03-17T10:15:00.000Z');
  });

  it('refuses anything else as a usage error', () => {
    for (const typed of ['yesterday', '2026-02-30', '30', 'd30', '-3d', '1.5d', '0h', '']) expect(() => readSince(typed, NOW)).toThrow(UsageError);
  });
});

describe('customersChanged', () => {
  it('reads how many customers an entry changed from what its details say', () => {
    expect(customersChanged({ customers: 7 })).toBe(7);
    expect(customersChanged({ customerId: 4, fields: ['email'] })).toBe(1);
    expect(customersChanged({ survivorId: 1, mergedId: 2 })).toBe(2);
    expect(customersChanged({ ids: [3, 5, 8] })).toBe(3);
    expect(customersChanged({ batchId: 1, counts: { inserted: 18, updated: 2 } })).toBe(20);
    // An orders import counts orders, not customers.
    expect(customersChanged({ kind: 'orders', counts: { inserted: 5, updated: 0 } })).toBeNull();
    expect(customersChanged({ applied: ['0001-initial'] })).toBeNull();
  });
});
