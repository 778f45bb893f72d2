import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMoney } from '../../../src/normalize/parse-money.js';

describe('parseMoney', () => {
  it.each<[string, number, string | null]>([
    ['$1,234.50', 123450, 'USD'],
    ['1.234,56', 123456, null],
    ['1 234,56 €', 123456, 'EUR'],
    ['1\u202f234,56\u00a0€', 123456, 'EUR'],
    ['€12,00', 1200, 'EUR'],
    ['12,00', 1200, null],
    ['(12.50)', -1250, null],
    ['($12.50)', -1250, 'USD'],
    ['-5', -500, null],
    ['-$5.00', -500, 'USD'],
    ['$-5.00', -500, 'USD'],
    ['5.00-', -500, null],
    ['−7.25', -725, null],
    ['USD 10', 1000, 'USD'],
    ['10 usd', 1000, 'USD'],
    ['eur10,5', 1050, 'EUR'],
    ['£0.99', 99, 'GBP'],
    ['CHF 1’234.50', 123450, 'CHF'],
    ["1'234.50", 123450, null],
    ['C$20', 2000, 'CAD'],
    ['R$ 1.234,56', 123456, 'BRL'],
    ['199 kr', 19900, null],
    ['1,234', 123400, null],
    ['1.234', 123400, null],
    ['1,234,567', 123456700, null],
    ['1,234,567.89', 123456789, null],
    ['1.234.567,89', 123456789, null],
    ['1,23,456.00', 12345600, null],
    ['1,5', 150, null],
    ['1.5', 150, null],
    ['0,125', 13, null],
    ['1234,567', 123457, null],
    ['.50', 50, null],
    ['0', 0, null],
    ['+3', 300, null],
  ])('%j → %i hundredths in %s', (raw, minor, currency) => {
    const result = parseMoney(raw);
    expect(result.minor).toBe(minor);
    expect(result.amount).toBe(minor / 100);
    expect(result.currency).toBe(currency);
  });

  it('says when it rounded to cents', () => {
    expect(parseMoney('0,125').warnings).toEqual(['amount 0,125 rounded to cents']);
    expect(parseMoney('12.50').warnings).toEqual([]);
  });

  it.each([
    ['abc', 'not an amount'],
    ['12 abc', 'unknown currency abc'], ['12 apples', 'not an amount'],
    ['$10 €', 'two different currencies'],
    ['--5', 'more than one sign'],
    ['-(5)', 'not an amount'],
    ['1,23.45', 'groups of three'],
    ['1.2.3', 'groups of three'],
    ['1,234.56.78', 'groups of three'],
    ['1.5E+3', 'scientific notation'],
    ['99999999999999999999', 'too large'],
  ])('%j is not read: %s', (raw, why) => {
    const result = parseMoney(raw);
    expect(result).toMatchObject({ amount: null, minor: null, currency: null });
    expect(result.warnings[0]).toContain(why);
  });

  it('blank is no amount and no warning', () => {
    expect(parseMoney(' ')).toEqual({ amount: null, minor: null, currency: null, warnings: [] });
  });

  it('reads back any amount formatted the way spreadsheets and shops write it', () => {
    const locales = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'nl-NL', 'de-CH', 'sv-SE', 'en-IN', 'pt-BR'];
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }),
        fc.constantFrom(...locales),
        fc.constantFrom('decimal', 'EUR', 'USD', 'GBP'),
        (minor, locale, style) => {
          const format =
            style === 'decimal'
              ? new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
              : new Intl.NumberFormat(locale, { style: 'currency', currency: style });
          const text = format.format(minor / 100);
          const result = parseMoney(text);
          expect(result.minor, text).toBe(minor);
          if (style !== 'decimal' && style !== 'USD') expect(result.currency, text).toBe(style);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('reads back plain numbers with any number of decimals up to two', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.constantFrom('.', ','), (minor, mark) => {
        const text = `${Math.trunc(minor / 100)}${mark}${String(minor % 100).padStart(2, '0')}`;
        expect(parseMoney(text).minor).toBe(minor);
      }),
    );
  });
});
