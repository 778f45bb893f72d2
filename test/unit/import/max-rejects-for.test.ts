import { describe, expect, it } from 'vitest';
import { maxRejectsFor } from '../../../src/import/rejects-file.js';

describe('maxRejectsFor', () => {
  it('rounds a share up, so a small file may have one bad row under 10%', () => {
    expect(maxRejectsFor({ percent: 10 }, 5)).toBe(1);
    expect(maxRejectsFor({ percent: 10 }, 11)).toBe(2);
  });

  it('keeps a share that is a whole number exact', () => {
    expect(maxRejectsFor({ percent: 10 }, 30)).toBe(3);
    expect(maxRejectsFor({ percent: 0.7 }, 1000)).toBe(7);
    expect(maxRejectsFor({ percent: 100 }, 7)).toBe(7);
  });

  it('allows none at 0% or with no rows, and takes a count as given', () => {
    expect(maxRejectsFor({ percent: 0 }, 5)).toBe(0);
    expect(maxRejectsFor({ percent: 10 }, 0)).toBe(0);
    expect(maxRejectsFor({ count: 3 }, 1000)).toBe(3);
  });
});
