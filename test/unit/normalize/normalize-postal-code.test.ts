import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePostalCode } from '../../../src/normalize/normalize-postal-code.js';

describe('normalizePostalCode', () => {
  it.each([
    ['02134', 'US', '02134'],
    [' 90210-1234 ', 'US', '90210-1234'],
    ['902101234', 'US', '90210-1234'],
    ['k1a0b1', 'CA', 'K1A 0B1'],
    ['K1A 0B1', 'CA', 'K1A 0B1'],
    ['sw1a1aa', 'GB', 'SW1A 1AA'],
    ['SW1A   1AA', 'GB', 'SW1A 1AA'],
    ['M1 1AE', 'GB', 'M1 1AE'],
    ['EC1A1BB', 'GB', 'EC1A 1BB'],
    ['10115', 'DE', '10115'],
    ['01067', 'DE', '01067'],
    ['75008', 'FR', '75008'],
    ['28013', 'ES', '28013'],
    ['00184', 'IT', '00184'],
    ['1012ab', 'NL', '1012 AB'],
    ['1012 AB', 'NL', '1012 AB'],
    ['2000', 'AU', '2000'],
    ['11455', 'SE', '114 55'],
    ['114 55', 'SE', '114 55'],
    ['8001', 'CH', '8001'],
    ['1010', 'AT', '1010'],
    ['2100', 'DK', '2100'],
    ['0150', 'NO', '0150'],
    ['1000', 'BE', '1000'],
    ['d02x285', 'IE', 'D02 X285'],
    ['D6W 1234', 'IE', 'D6W 1234'],
    ['1000001', 'JP', '100-0001'],
    ['100-0001', 'JP', '100-0001'],
    ['110001', 'IN', '110001'],
    ['01310100', 'BR', '01310-100'],
    ['00-950', 'PL', '00-950'],
  ])('%j in %s → %j without warning', (raw, country, value) => {
    expect(normalizePostalCode(raw, country)).toEqual({ value, warnings: [] });
  });

  it('says a four-digit US ZIP probably lost its leading zero, and does not change it', () => {
    expect(normalizePostalCode('2134', 'US')).toEqual({
      value: '2134',
      warnings: ['US ZIP code 2134 has 4 digits; it probably lost its leading zero (02134?)'],
    });
  });

  it.each([
    ['1234', 'DE'],
    ['123456', 'US'],
    ['K1A 0B', 'CA'],
    ['12345', 'NL'],
    ['SW1A', 'GB'],
    ['12345', 'AU'],
  ])('%j does not look like a %s code', (raw, country) => {
    const result = normalizePostalCode(raw, country);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain(`does not look like a ${country} one`);
  });

  it('only cleans when the country is unknown or has no pattern', () => {
    expect(normalizePostalCode('  ab 12  cd ', null)).toEqual({ value: 'AB 12 CD', warnings: [] });
    expect(normalizePostalCode('whatever', 'ZW')).toEqual({ value: 'WHATEVER', warnings: [] });
  });

  it('normalising twice equals once', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^[0-9A-Za-z -]{3,10}$/)),
        fc.constantFrom(null, 'US', 'CA', 'GB', 'NL', 'SE', 'IE', 'JP', 'BR', 'PL', 'PT', 'DE', 'FR'),
        (raw, country) => {
          const once = normalizePostalCode(raw, country);
          expect(normalizePostalCode(once.value, country)).toEqual(once);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
