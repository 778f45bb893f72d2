import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePostalCode } from '../../src/normalize/normalize-postal-code.js';
import { DIGIT_POSTAL_CODES } from '../../src/validate/check-postal-codes.js';

// validate leaves these codes in the database as surely valid: that must be what normalizePostalCode says of every one.
describe('DIGIT_POSTAL_CODES (codes validate never streams)', () => {
  it('holds the common all-digit countries, and not India (no leading 0) or the Netherlands (letters)', () => {
    const byLength = Object.fromEntries(DIGIT_POSTAL_CODES.map((d) => [d.length, d.countries]));
    expect(byLength[5]).toEqual(expect.arrayContaining(['US', 'DE', 'FR']));
    expect(byLength[4]).toEqual(expect.arrayContaining(['AU', 'AT', 'CH']));
    expect(DIGIT_POSTAL_CODES.flatMap((d) => d.countries)).not.toContain('IN');
    expect(DIGIT_POSTAL_CODES.flatMap((d) => d.countries)).not.toContain('NL');
  });

  it('every code of the right number of digits is valid for its country', () => {
    for (const { length, countries } of DIGIT_POSTAL_CODES) {
      fc.assert(
        fc.property(fc.constantFrom(...countries), fc.stringMatching(new RegExp(`^[0-9]{${length}}$`)), (country, code) => {
          expect(normalizePostalCode(code, country).warnings).toEqual([]);
        }),
      );
    }
  });
});
