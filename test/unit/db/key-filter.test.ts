import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyFilter } from '../../../src/db/key-filter.js';

// The filter lets an import skip a database lookup; a wrong "no" would miss an existing customer.
describe('KeyFilter', () => {
  it('never says "no" for a key it was given', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 200 }), fc.nat(1000), (keys, expected) => {
        const filter = new KeyFilter(expected);
        for (const key of keys) filter.add(key);
        expect(keys.every((key) => filter.mightContain(key))).toBe(true);
      }),
    );
  });

  it('says "no" to nearly all keys it was not given, at the size it was made for', () => {
    const filter = new KeyFilter(100_000);
    for (let i = 0; i < 100_000; i++) filter.add(`customer${i}@example.com`);
    let maybes = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mightContain(`other${i}@example.com`)) maybes += 1;
    expect(maybes).toBeLessThan(2_000);
  });
});
