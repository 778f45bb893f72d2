import { describe, expect, it } from 'vitest';
import { normalizeGender } from '../../../src/normalize/normalize-gender.js';

describe('normalizeGender', () => {
  it.each([
    ['M', 'male'],
    ['male', 'male'],
    [' Man ', 'male'],
    ['F', 'female'],
    ['FEMALE', 'female'],
    ['Woman', 'female'],
    ['non-binary', 'other'],
    ['Non Binary', 'other'],
    ['Other', 'other'],
    ['prefer not   to say', 'prefer not to say'],
    ['Two-Spirit', 'Two-Spirit'],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeGender(raw)).toBe(expected);
  });

  it.each(['', '  ', 'unknown', 'N/A', '-', 'U'])('%j is no value', (raw) => {
    expect(normalizeGender(raw)).toBeNull();
  });
});
