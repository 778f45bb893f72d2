import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeEmail, suggestEmailDomain } from '../../../src/normalize/normalize-email.js';

describe('normalizeEmail', () => {
  it.each([
    ['  Jane.Doe@Example.COM ', 'jane.doe@example.com'],
    ['<jane@example.com>', 'jane@example.com'],
    ['mailto:Jane@Example.com', 'jane@example.com'],
    ['MAILTO:<jane@example.com>', 'jane@example.com'],
    ['Jane Doe <jane@example.com>', 'jane@example.com'],
    ['jane+news@sub.example.co.uk', 'jane+news@sub.example.co.uk'],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ['jörg@bücher.de', 'jörg@bücher.de'],
  ])('%j is valid as %j', (raw, value) => {
    expect(normalizeEmail(raw)).toEqual({ value, valid: true, warnings: [] });
  });

  it.each([
    ['jane.example.com', 'has no @'],
    ['jane@@example.com', 'more than one @'],
    ['@example.com', 'nothing before the @'],
    ['jane@', 'nothing after the @'],
    ['jane@localhost', 'has no dot'],
    ['jane doe@example.com', 'contains a space'],
    ['jane@exa mple.com', 'contains a space'],
    ['jane..doe@example.com', 'misplaced dot'],
    ['.jane@example.com', 'misplaced dot'],
    ['jane@example..com', 'not a valid domain name'],
    ['jane@-example.com', 'not a valid domain name'],
    ['jane@example.c', 'top-level domain'],
    ['jane@example.123', 'top-level domain'],
    ['jane,doe@example.com', 'character'],
  ])('%j is invalid: %s', (raw, reason) => {
    const result = normalizeEmail(raw);
    expect(result.valid).toBe(false);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toContain(reason);
  });

  it('treats a blank cell as invalid without a warning', () => {
    expect(normalizeEmail('   ')).toEqual({ value: '', valid: false, warnings: [] });
  });

  it('warns about a domain typo but keeps the address as typed', () => {
    expect(normalizeEmail('Jane@GMIAL.com')).toEqual({
      value: 'jane@gmial.com',
      valid: true,
      warnings: ['possible typo in domain gmial.com (did you mean gmail.com?)'],
    });
  });

  it('normalising twice equals once', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.emailAddress(), fc.emailAddress().map((e) => ` <MAILTO:${e.toUpperCase()}> `)), (raw) => {
        const once = normalizeEmail(raw);
        expect(normalizeEmail(once.value)).toEqual(once);
      }),
    );
  });

  it('accepts every address fast-check considers valid, lower-cased', () => {
    fc.assert(
      fc.property(fc.emailAddress(), (email) => {
        const result = normalizeEmail(email);
        // fast-check's generator follows RFC 5321 more loosely than we do for
        // dots and quotes; the rest must pass.
        fc.pre(!/\.\.|^\.|\.@|["(),:;<>[\\\]]/.test(email.split('@')[0] ?? ''));
        fc.pre(/\.[a-z]{2,}$/i.test(email));
        expect(result.valid).toBe(true);
        expect(result.value).toBe(email.toLowerCase());
      }),
    );
  });
});

describe('suggestEmailDomain', () => {
  it.each([
    ['gmial.com', 'gmail.com'],
    ['gmai.com', 'gmail.com'],
    ['gamil.com', 'gmail.com'],
    ['gmail.co', 'gmail.com'],
    ['gmail.con', 'gmail.com'],
    ['hotmial.com', 'hotmail.com'],
    ['hotmal.com', 'hotmail.com'],
    ['yaho.com', 'yahoo.com'],
    ['yahooo.com', 'yahoo.com'],
    ['outlok.com', 'outlook.com'],
    ['iclod.com', 'icloud.com'],
    ['comcats.net', 'comcast.net'],
  ])('%s → %s', (typo, domain) => {
    expect(suggestEmailDomain(typo)).toBe(domain);
  });

  it.each(['gmail.com', 'yahoo.com', 'mail.com', 'cloud.com', 'ymail.com', 'example.com', 'gmx.de', 'aol.com'])(
    'leaves the real domain %s alone',
    (domain) => {
      expect(suggestEmailDomain(domain)).toBeNull();
    },
  );
});
