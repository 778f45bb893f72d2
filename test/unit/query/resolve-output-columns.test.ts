import { describe, expect, it } from 'vitest';
import { UnknownFieldError, UsageError } from '../../../src/errors.js';
import { resolveOutputColumns } from '../../../src/query/query-customers.js';

describe('resolveOutputColumns (--fields of query and export)', () => {
  it('returns the named columns in order, once each: scalar fields, lists and custom fields', () => {
    expect(resolveOutputColumns([' email', 'total_spent ', 'email', 'tags', 'attr.favourite_roast', 'external_id']).map((c) => [c.name, c.kind])).toEqual([
      ['email', 'scalar'],
      ['total_spent', 'scalar'],
      ['tags', 'list'],
      ['attr.favourite_roast', 'attribute'],
      ['external_id', 'list'],
    ]);
  });

  it('names the closest field for a misspelt one, exit 2', () => {
    const misspelt = () => resolveOutputColumns(['email', 'totl_spent']);
    expect(misspelt).toThrow(UnknownFieldError);
    expect(misspelt).toThrow(
      expect.objectContaining({ message: '--fields: unknown field "totl_spent" — did you mean total_spent?', exitCode: 2, hint: expect.stringMatching(/^Fields: id, first_name, /) }),
    );
    expect(() => resolveOutputColumns(['attr.'])).toThrow(UnknownFieldError);
  });

  it('refuses an empty list', () => {
    expect(() => resolveOutputColumns([' ', ''])).toThrow(UsageError);
  });
});
