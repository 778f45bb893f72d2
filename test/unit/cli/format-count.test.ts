import { describe, expect, it } from 'vitest';
import { formatCount } from '../../../src/cli/render/format-count.js';

describe('formatCount', () => {
  it('groups thousands with commas whatever the machine locale', () => {
    expect(formatCount(289487)).toBe('289,487');
    expect(formatCount(1_000_000)).toBe('1,000,000');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(0)).toBe('0');
  });
});
