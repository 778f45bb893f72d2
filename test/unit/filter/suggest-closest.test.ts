import { describe, expect, it } from 'vitest';
import { closestNames, didYouMean, editDistance } from '../../../src/filter/suggest-closest.js';

describe('editDistance (Damerau–Levenshtein, optimal string alignment)', () => {
  it.each([
    ['total_spent', 'total_spent', 0],
    ['totl_spent', 'total_spent', 1],
    ['toatl_spent', 'total_spent', 1],
    ['contians', 'contains', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['ca', 'abc', 3],
  ])('%s → %s: %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('closestNames and didYouMean', () => {
  const names = ['total_spent', 'orders_count', 'email', 'email_consent', 'tags'];

  it('offers only names near enough to be a slip, nearest first, case aside', () => {
    expect(closestNames('EMIAL', names)).toEqual(['email']);
    expect(closestNames('tag', names)).toEqual(['tags']);
    expect(closestNames('zip', names)).toEqual([]);
    expect(closestNames('x'.repeat(1000), names)).toEqual([]);
  });

  it('says so in one phrase, or says nothing', () => {
    expect(didYouMean('totl_spent', names)).toBe(' — did you mean total_spent?');
    expect(didYouMean('ab', ['a', 'b', 'abc'])).toBe(' — did you mean a, b or abc?');
    expect(didYouMean('vpi', ['vip'], (n) => `"${n}"`)).toBe(' — did you mean "vip"?');
    expect(didYouMean('nothing like it', names)).toBe('');
  });
});
