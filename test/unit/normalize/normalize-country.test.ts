import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNTRIES, countryName, normalizeCountry } from '../../../src/normalize/normalize-country.js';

describe('COUNTRIES', () => {
  it('holds the 249 ISO 3166-1 countries plus Kosovo, each code once', () => {
    expect(COUNTRIES).toHaveLength(250);
    expect(new Set(COUNTRIES.map((c) => c.alpha2)).size).toBe(250);
    expect(new Set(COUNTRIES.map((c) => c.alpha3)).size).toBe(250);
    for (const c of COUNTRIES) {
      expect(c.alpha2).toMatch(/^[A-Z]{2}$/);
      expect(c.alpha3).toMatch(/^[A-Z]{3}$/);
      expect(c.name).not.toBe('');
    }
  });

  it('finds every country by its code, its alpha-3 and its name', () => {
    for (const c of COUNTRIES) {
      expect(normalizeCountry(c.alpha2)).toBe(c.alpha2);
      expect(normalizeCountry(c.alpha2.toLowerCase())).toBe(c.alpha2);
      expect(normalizeCountry(c.alpha3)).toBe(c.alpha2);
      expect(normalizeCountry(c.name)).toBe(c.alpha2);
      expect(normalizeCountry(c.name.toUpperCase())).toBe(c.alpha2);
    }
  });
});

describe('normalizeCountry', () => {
  it.each([
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['u.s.', 'US'],
    ['United States of America', 'US'],
    ['  united states ', 'US'],
    ['UK', 'GB'],
    ['U.K.', 'GB'],
    ['Great Britain', 'GB'],
    ['England', 'GB'],
    ['Scotland', 'GB'],
    ['Wales', 'GB'],
    ['Deutschland', 'DE'],
    ['España', 'ES'],
    ['Espana', 'ES'],
    ['Sverige', 'SE'],
    ['Schweiz', 'CH'],
    ['Suisse', 'CH'],
    ['Nederland', 'NL'],
    ['Holland', 'NL'],
    ['The Netherlands', 'NL'],
    ['Netherlands, The', 'NL'],
    ['Österreich', 'AT'],
    ['Brasil', 'BR'],
    ['Korea, Republic of', 'KR'],
    ['South Korea', 'KR'],
    ["Côte d'Ivoire", 'CI'],
    ['Cote d’Ivoire', 'CI'],
    ['Ivory Coast', 'CI'],
    ['Turkey', 'TR'],
    ['Türkiye', 'TR'],
    ['Russian Federation', 'RU'],
    ['Viet Nam', 'VN'],
    ['Czech Republic', 'CZ'],
    ['Bosnia & Herzegovina', 'BA'],
    ['St. Lucia', 'LC'],
    ['UAE', 'AE'],
    ['Kosovo', 'XK'],
    ['deu', 'DE'],
  ])('%j → %s', (raw, code) => {
    expect(normalizeCountry(raw)).toBe(code);
  });

  it.each(['', 'Atlantis', 'EU', 'Europe', 'XX', 'ZZZ', 'N/A'])('%j is unknown', (raw) => {
    expect(normalizeCountry(raw)).toBeNull();
  });

  it('normalising twice equals once', () => {
    const names = COUNTRIES.flatMap((c) => [c.alpha2, c.alpha3, c.name]);
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...names, 'UK', 'England', 'Deutschland')), (raw) => {
        const once = normalizeCountry(raw);
        if (once !== null) expect(normalizeCountry(once)).toBe(once);
      }),
    );
  });
});

describe('countryName', () => {
  it('names a code and nothing else', () => {
    expect(countryName('DE')).toBe('Germany');
    expect(countryName('GB')).toBe('United Kingdom');
    expect(countryName('UK')).toBeNull();
  });
});
