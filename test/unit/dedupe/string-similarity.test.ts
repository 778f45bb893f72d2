import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { jaroWinkler } from '../../../src/dedupe/jaro-winkler.js';
import { nysiis } from '../../../src/dedupe/nysiis.js';
import { soundex } from '../../../src/dedupe/soundex.js';
import { isNicknameOf } from '../../../src/dedupe/nickname-groups.js';
import { isOneEditApart } from '../../../src/dedupe/is-one-edit-apart.js';

describe('jaroWinkler', () => {
  it.each([
    ['MARTHA', 'MARHTA', 0.961],
    ['DIXON', 'DICKSONX', 0.813],
    ['DWAYNE', 'DUANE', 0.84],
  ])('%s ~ %s scores %f', (a, b, expected) => {
    expect(jaroWinkler(a, b)).toBeCloseTo(expected, 3);
  });

  it('scores identical strings 1 and strings with nothing in common 0', () => {
    expect(jaroWinkler('smith', 'smith')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });

  it('handles strings longer than 31 characters the same way', () => {
    const a = 'the quick brown fox jumps over the lazy dog';
    const b = 'the quick brown fox jumsp over the lazy dog';
    expect(jaroWinkler(a, b)).toBeGreaterThan(0.95);
    expect(jaroWinkler(a, b)).toBeCloseTo(jaroWinkler(b, a), 10);
  });

  it('with a floor, returns the exact score when it is reached and at most the score otherwise', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, floor) => {
        const full = jaroWinkler(a, b);
        const floored = jaroWinkler(a, b, floor);
        if (full >= floor) expect(floored).toBeCloseTo(full, 12);
        else expect(floored).toBeLessThan(floor);
      }),
    );
  });

  it('is symmetric and stays within [0, 1]', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        const s = jaroWinkler(a, b);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThanOrEqual(1);
        expect(jaroWinkler(b, a)).toBeCloseTo(s, 10);
      }),
    );
  });
});

describe('nysiis', () => {
  it.each([
    ['Andrew', 'ANDR'],
    ['Robertson', 'RABARTSAN'],
    ['Nolan', 'NALAN'],
    ['Case', 'CAS'],
    ['Mclaughlin', 'MCLAGLAN'],
    ['Lundgren', 'LANDGRAN'],
  ])('%s → %s', (name, code) => {
    expect(nysiis(name)).toBe(code);
  });

  it('gives spellings that sound alike the same code', () => {
    expect(nysiis('Knight')).toBe(nysiis('Night'));
    expect(nysiis('Phillips')).toBe(nysiis('Fillips'));
    expect(nysiis('Catherine')).toBe(nysiis('Katherine'));
  });

  it('ignores case and non-letters, and gives "" for no letters', () => {
    expect(nysiis("o'brien")).toBe(nysiis('OBRIEN'));
    expect(nysiis('123')).toBe('');
  });
});

describe('soundex', () => {
  it.each([
    ['Robert', 'R163'],
    ['Rupert', 'R163'],
    ['Rubin', 'R150'],
    ['Ashcraft', 'A261'],
    ['Tymczak', 'T522'],
    ['Pfister', 'P236'],
    ['Honeyman', 'H555'],
  ])('%s → %s', (name, code) => {
    expect(soundex(name)).toBe(code);
  });
});

describe('isNicknameOf', () => {
  it('knows common English nicknames both ways', () => {
    expect(isNicknameOf('bob', 'robert')).toBe(true);
    expect(isNicknameOf('robert', 'bob')).toBe(true);
    expect(isNicknameOf('bill', 'william')).toBe(true);
    expect(isNicknameOf('peggy', 'margaret')).toBe(true);
    expect(isNicknameOf('liz', 'elizabeth')).toBe(true);
    expect(isNicknameOf('jim', 'james')).toBe(true);
  });

  it('does not pair unrelated names or a name with itself', () => {
    expect(isNicknameOf('bob', 'william')).toBe(false);
    expect(isNicknameOf('robert', 'robert')).toBe(false);
  });
});

describe('isOneEditApart', () => {
  it('accepts one substitution, insertion, deletion or adjacent swap', () => {
    expect(isOneEditApart('1971-06-24', '1971-05-24')).toBe(true);
    expect(isOneEditApart('smith', 'smth')).toBe(true);
    expect(isOneEditApart('smith', 'smiith')).toBe(true);
    expect(isOneEditApart('smith', 'msith')).toBe(true);
  });

  it('rejects equal strings and two edits', () => {
    expect(isOneEditApart('abc', 'abc')).toBe(false);
    expect(isOneEditApart('abcd', 'badc')).toBe(false);
    expect(isOneEditApart('abc', 'a')).toBe(false);
  });
});
