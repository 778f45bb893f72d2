import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { getCountries, getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import examples from 'libphonenumber-js/mobile/examples';
import { readPhoneDigits, type PhoneReading } from '../../../src/normalize/read-phone-digits.js';

/** What libphonenumber-js itself makes of the text: the answer readPhoneDigits must give whenever it answers. */
function library(text: string, country: CountryCode | undefined): PhoneReading {
  const phone = parsePhoneNumberFromString(text, country);
  if (phone === undefined) return { kind: 'none' };
  return { kind: 'number', e164: phone.number, country: phone.country, valid: phone.isValid() };
}

/** Ways people write one number: national and international forms, with and without prefixes and punctuation. */
function spellings(country: CountryCode, national: string): string[] {
  const code = getCountryCallingCode(country);
  const phone = parsePhoneNumberFromString(`+${code}${national}`);
  const formatted = phone === undefined ? [] : [phone.formatNational(), phone.formatInternational()];
  const grouped = national.replace(/(\d{3})(?=\d)/g, '$1 ');
  return [
    ...formatted,
    national,
    `0${national}`,
    `1${national}`,
    `${code}${national}`,
    `+${code}${national}`,
    `+${code} (0)${grouped}`,
    `(${national.slice(0, 3)}) ${national.slice(3)}`,
    `${national.slice(0, 3)}-${national.slice(3, 6)}-${national.slice(6)}`,
    `${national.slice(0, 3)}.${national.slice(3)}`,
    `${national.slice(0, 4)}/${national.slice(4)}`,
    `(+${code}) ${grouped}`,
    national.slice(0, -1),
    `${national}7`,
    `+${code}${national.slice(0, -2)}`,
  ];
}

const countries = getCountries();
const defaults: (CountryCode | undefined)[] = [undefined, 'US', 'GB', 'DE', 'FR', 'CA', 'AU', 'NL', 'IN', 'BR'];

describe('readPhoneDigits', () => {
  it("gives libphonenumber-js's answer for every country's example number in many spellings", () => {
    let answered = 0;
    let asked = 0;
    for (const country of countries) {
      const national = (examples as Record<string, string>)[country];
      if (national === undefined) continue;
      for (const text of spellings(country, national)) {
        for (const defaultCountry of [country, ...defaults]) {
          asked += 1;
          const quick = readPhoneDigits(text, defaultCountry);
          if (quick === undefined) continue;
          answered += 1;
          expect({ text, defaultCountry, reading: quick }).toEqual({ text, defaultCountry, reading: library(text, defaultCountry) });
        }
      }
    }
    // Most plain spellings are read here; the rest go to the library (rewrite rules, dialled-out prefixes).
    expect(answered / asked).toBeGreaterThan(0.9);
  });

  it('agrees with libphonenumber-js on random digit strings in every country', () => {
    const caseArb = fc
      .record({
        country: fc.constantFrom<CountryCode | undefined>(undefined, ...countries),
        start: fc.constantFrom('', '', 'code', '0', '1'),
        digits: fc.stringMatching(/^[0-9]{3,14}$/),
        lead: fc.constantFrom('', '+', '(', ' '),
      })
      .map(({ country, start, digits, lead }) => {
        // Numbers that begin with the country's own calling code, a national prefix or 1 take the library's rarer paths.
        const number = (start === 'code' ? (country === undefined ? '44' : getCountryCallingCode(country)) : start) + digits;
        const text = lead === '(' ? `(${number.slice(0, 3)}) ${number.slice(3)}` : lead === ' ' ? number.replace(/(\d{4})(?=\d)/g, '$1 ') : lead + number;
        return { text, country };
      });
    fc.assert(
      fc.property(caseArb, ({ text, country }) => {
        const quick = readPhoneDigits(text, country);
        if (quick !== undefined) expect(quick).toEqual(library(text, country));
      }),
      { numRuns: 30_000 },
    );
  });

  it('leaves what it does not read to the library', () => {
    expect(readPhoneDigits('+1 415 555 2671 ext. 12', 'US')).toBeUndefined();
    expect(readPhoneDigits('1-800-FLOWERS', 'US')).toBeUndefined();
    expect(readPhoneDigits('011 44 20 7946 0958', 'US')).toBeUndefined();
    expect(readPhoneDigits('+800 1234 5678', undefined)).toBeUndefined();
    // IM rewrites a 6-digit local number (200000 → 1624200000): whether 44200000 drops its 44 depends on that rule.
    expect(readPhoneDigits('44200000', 'IM')).toBeUndefined();
  });

  it('reads the common shapes itself', () => {
    expect(readPhoneDigits('+14155552671', undefined)).toEqual({ kind: 'number', e164: '+14155552671', country: 'US', valid: true });
    expect(readPhoneDigits('(416) 555-0123', 'US')).toEqual(library('(416) 555-0123', 'US'));
    expect(readPhoneDigits('020 7946 0958', 'GB')).toEqual({ kind: 'number', e164: '+442079460958', country: 'GB', valid: true });
    expect(readPhoneDigits('1-415-555-2671', 'US')).toEqual({ kind: 'number', e164: '+14155552671', country: 'US', valid: true });
    expect(readPhoneDigits('4155552671', undefined)).toEqual({ kind: 'none' });
  });
});
