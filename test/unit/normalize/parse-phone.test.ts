import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePhone } from '../../../src/normalize/parse-phone.js';

describe('parsePhone', () => {
  it.each([
    ['+1 415 555 2671', undefined, '+14155552671', 'US'],
    ['+14155552671', undefined, '+14155552671', 'US'],
    ['(415) 555-2671', 'US', '+14155552671', 'US'],
    ['415.555.2671', 'us', '+14155552671', 'US'],
    ['020 7946 0958', 'GB', '+442079460958', 'GB'],
    ['+44 (0)20 7946 0958', undefined, '+442079460958', 'GB'],
    ['0044 20 7946 0958', undefined, '+442079460958', 'GB'],
    ['0044 20 7946 0958', 'US', '+442079460958', 'GB'],
    ['030 1234567', 'DE', '+49301234567', 'DE'],
    ['06 12 34 56 78', 'FR', '+33612345678', 'FR'],
    ["'+61 2 9374 4000", undefined, '+61293744000', 'AU'],
    ['tel:+1-415-555-2671', undefined, '+14155552671', 'US'],
    ['+1 415 555 2671', 'GB', '+14155552671', 'US'],
  ])('%j (default %s) → %s', (raw, country, e164, where) => {
    const result = parsePhone(raw, country);
    expect(result.e164).toBe(e164);
    expect(result.country).toBe(where);
    expect(result.warnings).toEqual([]);
  });

  it('keeps an extension out of the E.164 number', () => {
    expect(parsePhone('+1 415 555 2671 ext. 12')).toEqual({
      e164: '+14155552671',
      country: 'US',
      extension: '12',
      warnings: [],
    });
  });

  it('needs a country for a national number', () => {
    expect(parsePhone('(415) 555-2671')).toEqual({
      e164: null,
      country: null,
      extension: null,
      warnings: ['national number without a country; use --default-country'],
    });
  });

  it('says the digits of a number in scientific notation are lost', () => {
    expect(parsePhone('4.47712E+11', 'GB').warnings).toEqual([
      'phone in scientific notation (Excel mangled it); the digits are lost',
    ]);
    expect(parsePhone('4.47712E+11', 'GB').e164).toBeNull();
  });

  it.each(['n/a', 'none', '-', '12', 'call me', '1234'])('%j is not a phone number', (raw) => {
    const result = parsePhone(raw, 'US');
    expect(result.e164).toBeNull();
    expect(result.warnings[0]).toMatch(/^not a phone number/);
  });

  it.each([
    ['+1 123 456 7890', undefined],
    ['555-1234', 'US'],
    ['+44 20 7946 09', undefined],
  ])('%j is not a valid number', (raw, country) => {
    const result = parsePhone(raw, country);
    expect(result.e164).toBeNull();
    expect(result.warnings[0]).toMatch(/^not a valid phone number/);
  });

  it('names an unknown default country', () => {
    const result = parsePhone('020 7946 0958', 'XX');
    expect(result.e164).toBeNull();
    expect(result.warnings).toEqual(['unknown default country XX', 'national number without a country; use --default-country']);
  });

  it('blank is no phone and no warning', () => {
    expect(parsePhone('  ', 'US')).toEqual({ e164: null, country: null, extension: null, warnings: [] });
  });

  it('parsing its own E.164 output gives the same number (normalising twice equals once)', () => {
    const countries = ['US', 'GB', 'DE', 'FR', 'AU', 'IN', 'BR', 'JP', 'SE', 'CA'];
    let parsed = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...countries),
        fc.oneof(fc.stringMatching(/^[1-9][0-9]{6,11}$/), fc.stringMatching(/^[0-9 ()+.-]{5,20}$/)),
        (country, raw) => {
          const once = parsePhone(raw, country);
          if (once.e164 === null) return;
          parsed++;
          expect(parsePhone(once.e164)).toEqual({ ...once, extension: null });
          expect(parsePhone(once.e164, country).e164).toBe(once.e164);
        },
      ),
      { numRuns: 500 },
    );
    expect(parsed).toBeGreaterThan(20);
  });
});
