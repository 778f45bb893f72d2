import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanHeader } from '../../../src/csv/clean-header.js';

describe('cleanHeader', () => {
  it('trims, drops a leftover BOM and collapses inner whitespace', () => {
    expect(cleanHeader(['\uFEFFFirst Name', '  Last   Name ', 'E-mail\r\naddress'])).toEqual({
      names: ['First Name', 'Last Name', 'E-mail address'],
      warnings: [],
    });
  });

  it('names blank columns after their position', () => {
    expect(cleanHeader(['Name', '', '  ', 'Email'])).toEqual({
      names: ['Name', 'column_2', 'column_3', 'Email'],
      warnings: ['column 2 has no name; it is called "column_2"', 'column 3 has no name; it is called "column_3"'],
    });
  });

  it('numbers repeated names, comparing without case', () => {
    expect(cleanHeader(['Phone', 'Email', 'phone', 'Phone'])).toEqual({
      names: ['Phone', 'Email', 'phone_2', 'Phone_3'],
      warnings: [
        'column 3 repeats the name "phone"; it is called "phone_2"',
        'column 4 repeats the name "Phone"; it is called "Phone_3"',
      ],
    });
  });

  it('never invents a name that a real column already has', () => {
    expect(cleanHeader(['Tag', 'Tag', 'Tag_2', '', 'column_4']).names).toEqual(['Tag', 'Tag_3', 'Tag_2', 'column_4_2', 'column_4']);
  });

  it('always returns one unique, non-blank, trimmed name per cell', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('', ' ', 'a', 'A', 'a_2', 'column_1', 'column_2', ' b ', 'b'), { maxLength: 8 }), (cells) => {
        const { names } = cleanHeader(cells);
        expect(names).toHaveLength(cells.length);
        expect(new Set(names.map((name) => name.toLowerCase())).size).toBe(names.length);
        for (const name of names) expect(name).toBe(name.trim());
        for (const name of names) expect(name).not.toBe('');
      }),
      { numRuns: 500 },
    );
  });
});
