import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, wrapText } from '../../../src/cli/render/text-layout.js';

describe('wrapText', () => {
  it('breaks at spaces, and inside a word only when the word alone is too long', () => {
    expect(wrapText('first name a known nickname +3.2', 16)).toEqual(['first name a', 'known nickname', '+3.2']);
    expect(wrapText('margaret.fitzgerald', 8)).toEqual(['margaret', '.fitzger', 'ald']);
    expect(wrapText('two\nlines', 20)).toEqual(['two', 'lines']);
  });

  it('property: no line is wider than asked, and no character but the spaces it breaks at is lost', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z@.+0-9]{0,30}$/), { maxLength: 12 }), fc.integer({ min: 1, max: 40 }), (words, width) => {
        const text = words.join(' ');
        const lines = wrapText(text, width);
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
        expect(lines.join('').replaceAll(' ', '')).toBe(text.replaceAll(' ', ''));
      }),
    );
  });
});

describe('clip', () => {
  it('keeps both ends of a long value, so .com and .con stay told apart', () => {
    expect(clip('margaret.fitzgerald@example.con', 20)).toBe('margaret.f…ample.con');
  });
});
