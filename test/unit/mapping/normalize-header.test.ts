import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyTransform } from '../../../src/mapping/apply-transform.js';
import { attributeName, comparableHeader, headerKey } from '../../../src/mapping/normalize-header.js';

describe('headerKey', () => {
  it.each([
    ['E-mail Address', 'emailaddress'],
    ['\uFEFFEmail', 'email'],
    ['first_name', 'firstname'],
    ['Téléphone', 'telephone'],
    ['Straße', 'strasse'],
    ['Förnamn', 'fornamn'],
    ['  Zip / Postal Code ', 'zippostalcode'],
    ['Имя', 'имя'],
  ])('%s → %s', (header, key) => {
    expect(headerKey(header)).toBe(key);
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string(), (text) => headerKey(headerKey(text)) === headerKey(text)));
  });
});

describe('comparableHeader', () => {
  it('trims, lower-cases, strips a BOM and collapses spaces but keeps punctuation', () => {
    expect(comparableHeader('\uFEFF  Accepts   Email Marketing ')).toBe('accepts email marketing');
    expect(comparableHeader('LastName')).not.toBe(comparableHeader('Last Name'));
  });
});

describe('attributeName', () => {
  it.each([
    ['Favourite Roast', 'favourite_roast'],
    ['Fecha de nacimiento (customer.metafields.facts.birth_date)', 'fecha_de_nacimiento'],
    ['HasOptedOutOfFax', 'has_opted_out_of_fax'],
    ['Accepts WhatsApp Marketing', 'accepts_whatsapp_marketing'],
    ['2026 Season Pass', '2026_season_pass'],
  ])('%s → %s', (header, name) => {
    expect(attributeName(header, 0)).toBe(name);
  });

  it('names a blank header by its position', () => {
    expect(attributeName('  ', 2)).toBe('column_3');
  });
});

describe('applyTransform', () => {
  it('strips exactly one protective apostrophe', () => {
    expect(applyTransform({ kind: 'strip-apostrophe' }, "'04616")).toBe('04616');
    expect(applyTransform({ kind: 'strip-apostrophe' }, "''x")).toBe("'x");
    expect(applyTransform({ kind: 'strip-apostrophe' }, "O'Brien")).toBe("O'Brien");
  });

  it('inverts opt-out flags and leaves what it does not understand', () => {
    expect(applyTransform({ kind: 'invert-boolean' }, 'true')).toBe('false');
    expect(applyTransform({ kind: 'invert-boolean' }, 'FALSE')).toBe('true');
    expect(applyTransform({ kind: 'invert-boolean' }, '')).toBe('');
    expect(applyTransform({ kind: 'invert-boolean' }, 'maybe')).toBe('maybe');
  });

  it('reads Mailchimp quoted tag lists, with escaped quotes and commas inside tags', () => {
    expect(applyTransform({ kind: 'quoted-list' }, '"VIP","Blog"')).toEqual(['VIP', 'Blog']);
    expect(applyTransform({ kind: 'quoted-list' }, '"Say ""hi""","a, b"')).toEqual(['Say "hi"', 'a, b']);
    expect(applyTransform({ kind: 'quoted-list' }, 'plain, list')).toEqual(['plain', 'list']);
    expect(applyTransform({ kind: 'quoted-list' }, '')).toEqual([]);
  });

  it('splits Google label lists, dropping the primary marker and the system group', () => {
    const labels = { kind: 'split-list', separators: [':::'], stripPrefix: '* ', drop: ['myContacts'] } as const;
    expect(applyTransform({ ...labels, separators: [...labels.separators], drop: [...labels.drop] }, '* myContacts ::: * starred ::: Navy')).toEqual(['starred', 'Navy']);
  });

  it('maps status words and keeps unknown ones unless told to empty them', () => {
    const values = { subscribed: 'yes', unsubscribed: 'no' };
    expect(applyTransform({ kind: 'map-values', values }, ' Subscribed ')).toBe('yes');
    expect(applyTransform({ kind: 'map-values', values }, 'pending')).toBe('pending');
    expect(applyTransform({ kind: 'map-values', values, otherwise: 'empty' }, 'pending')).toBe('');
  });
});
