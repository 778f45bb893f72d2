import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inertText } from '../../../src/text/inert-text.js';

/** What a terminal would act on: C0 but tab and newline, DEL, C1, bidi overrides and isolates. */
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/u;

describe('inertText', () => {
  it('shows a screen-clearing, window-retitling name escaped', () => {
    expect(inertText('Evil\u001b[2J\u001b]0;pwned\u0007Guy')).toBe('Evil\\x1b[2J\\x1b]0;pwned\\x07Guy');
  });

  it('escapes CR, backspace, DEL, C1 and bidi overrides; keeps newline, tab and ordinary text', () => {
    expect(inertText('a\rb\bc\u007fd\u009be')).toBe('a\\x0db\\x08c\\x7fd\\x9be');
    expect(inertText('invoice\u202egpj.exe')).toBe('invoice\\u202egpj.exe');
    expect(inertText('\u2066x\u2069')).toBe('\\u2066x\\u2069');
    expect(inertText('line 1\n\tline 2 — Zoë, 東京, 👍')).toBe('line 1\n\tline 2 — Zoë, 東京, 👍');
  });

  it('with keepStyles keeps custdb’s own colours but escapes every other sequence', () => {
    expect(inertText('\u001b[33mwarning:\u001b[39m Evil\u001b[2J', { keepStyles: true })).toBe('\u001b[33mwarning:\u001b[39m Evil\\x1b[2J');
    // Hidden text (8) and cursor movement are not custdb's styles.
    expect(inertText('\u001b[8msecret\u001b[1A', { keepStyles: true })).toBe('\\x1b[8msecret\\x1b[1A');
  });

  it('leaves nothing a terminal acts on, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(inertText(text)).not.toMatch(ACTIVE);
      }),
    );
  });

  it('changes nothing in text without such characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        fc.pre(!ACTIVE.test(text));
        expect(inertText(text)).toBe(text);
      }),
    );
  });
});
