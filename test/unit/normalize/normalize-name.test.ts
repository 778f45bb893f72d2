import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeName, splitFullName } from '../../../src/normalize/normalize-name.js';

describe('normalizeName', () => {
  it.each([
    ['  jane   smith ', 'Jane Smith'],
    ['JANE SMITH', 'Jane Smith'],
    ['jane\tsmith', 'Jane Smith'],
    ['JOHN MCDONALD', 'John McDonald'],
    ['mcdonald', 'McDonald'],
    ['MACDONALD', 'MacDonald'],
    ['ANGUS MACLEOD', 'Angus MacLeod'],
    ['MACK', 'Mack'],
    ['JOHN MACK', 'John Mack'],
    ['MACHADO', 'Machado'],
    ['MACY GRAY', 'Macy Gray'],
    ["O'BRIEN", "O'Brien"],
    ["d'angelo", "D'Angelo"],
    ['SMITH-JONES', 'Smith-Jones'],
    ['mary-jane o’neil', 'Mary-Jane O’Neil'],
    ['LUDWIG VAN BEETHOVEN', 'Ludwig van Beethoven'],
    ['maria de la cruz', 'Maria de la Cruz'],
    ['HANS VON DER LEYEN', 'Hans von der Leyen'],
    ['VAN MORRISON', 'Van Morrison'],
    ['ANNA LE', 'Anna Le'],
    ['TOM VAN', 'Tom Van'],
    ['JOHN SMITH III', 'John Smith III'],
    ['HENRY FORD II', 'Henry Ford II'],
    ['OMAR BIN LADEN', 'Omar bin Laden'],
    ['JUAN GARCIA Y LOPEZ', 'Juan Garcia y Lopez'],
    ['J', 'J'],
    ['ß', 'ß'],
  ])('re-cases %j as %j', (raw, expected) => {
    expect(normalizeName(raw)).toBe(expected);
  });

  it.each(['McKenzie smith', 'DeShawn Jones', 'iPhone Guy', 'danah boyd-Smith', 'Mackenzie', 'MacKenzie'])(
    'keeps mixed case %j as typed',
    (raw) => {
      expect(normalizeName(raw)).toBe(raw);
    },
  );

  it('applies Mac surnames to last names but not first names', () => {
    expect(normalizeName('MACKENZIE', 'first')).toBe('Mackenzie');
    expect(normalizeName('MACKENZIE', 'last')).toBe('MacKenzie');
    expect(normalizeName('MACKENZIE SMITH')).toBe('Mackenzie Smith');
    expect(normalizeName('MCDONALD', 'first')).toBe('Mcdonald');
  });

  it('leaves text without letters alone', () => {
    expect(normalizeName(' 12 34 ')).toBe('12 34');
    expect(normalizeName('')).toBe('');
  });

  it('normalising twice equals once', () => {
    const nameLike = fc
      .array(fc.constantFrom('MC', 'mac', 'van', 'DE', "o'", '-', ' ', 'ii', 'ß', 'İ', 'a', 'B', 'donald', 'LEOD', 'x'), {
        maxLength: 8,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), nameLike), fc.constantFrom('first', 'last', 'full' as const), (raw, kind) => {
        const once = normalizeName(raw, kind);
        expect(normalizeName(once, kind)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('splitFullName', () => {
  it.each([
    ['Jane Smith', 'Jane', 'Smith'],
    ['Smith, Jane', 'Jane', 'Smith'],
    ['  Smith ,  Jane  ', 'Jane', 'Smith'],
    ['Dr. Jane Q. Smith Jr.', 'Jane Q.', 'Smith'],
    ['Mrs Jane Smith', 'Jane', 'Smith'],
    ['John Smith, Jr.', 'John', 'Smith'],
    ['John Smith III', 'John', 'Smith'],
    ['Jane Smith PhD', 'Jane', 'Smith'],
    ['Smith, Dr. Jane', 'Jane', 'Smith'],
    ['Ludwig van Beethoven', 'Ludwig', 'van Beethoven'],
    ['van Beethoven, Ludwig', 'Ludwig', 'van Beethoven'],
    ['Maria de la Cruz', 'Maria', 'de la Cruz'],
    ['Jean Claude Van Damme', 'Jean Claude', 'Van Damme'],
    ['Van Morrison', 'Van', 'Morrison'],
    ['Mary St. John', 'Mary', 'St. John'],
    ['Mary Ann Smith-Jones', 'Mary Ann', 'Smith-Jones'],
    ['Madonna', 'Madonna', ''],
    ['Dr. Who', 'Who', ''],
    ['Dr.', 'Dr.', ''],
    ['', '', ''],
  ])('%j → first %j, last %j', (full, first, last) => {
    expect(splitFullName(full)).toEqual({ first, last });
  });

  it('gives back the first and last name of a simple joined name', () => {
    const affixes = new Set([
      'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'dame', 'rev', 'fr', 'hon', 'lady', 'lord', 'capt', 'col',
      'sgt', 'lt', 'maj', 'gen', 'herr', 'frau', 'mme', 'mlle', 'sra', 'srta', 'revd', 'jr', 'sr', 'ii', 'iii', 'iv',
      'phd', 'md', 'esq', 'dds', 'dmd', 'cpa', 'mba', 'dvm', 'rn', 'jd', 'obe', 'mbe', 'cbe', 'qc', 'kc', 'ret',
      'van', 'von', 'der', 'den', 'de', 'del', 'da', 'das', 'do', 'dos', 'di', 'du', 'des', 'le', 'la', 'les', 'ter',
      'ten', 'zu', 'bin', 'bint', 'ibn', 'al', 'st', 'dei',
    ]);
    const word = fc
      .tuple(fc.stringMatching(/^[A-Z]$/), fc.stringMatching(/^[a-z]{1,9}$/))
      .map(([head, tail]) => head + tail)
      .filter((w) => !affixes.has(w.toLowerCase()));
    fc.assert(
      fc.property(word, word, (first, last) => {
        expect(splitFullName(`${first} ${last}`)).toEqual({ first, last });
        expect(splitFullName(`${last}, ${first}`)).toEqual({ first, last });
      }),
      { numRuns: 500 },
    );
  });
});

describe('normalizeName re-cases a surname that starts with a particle like the full name does', () => {
  it.each([
    ['VAN DER BERG', 'van der Berg'],
    ['de la cruz', 'de la Cruz'],
    ['VAN', 'Van'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeName(raw, 'last')).toBe(expected);
  });
});
