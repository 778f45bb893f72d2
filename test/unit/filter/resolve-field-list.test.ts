import { describe, expect, it } from 'vitest';
import { UnknownFieldError, UsageError } from '../../../src/errors.js';
import { parseSort, resolveFieldList } from '../../../src/filter/resolve-field-list.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

describe('resolveFieldList (--fields)', () => {
  it('returns the named fields in order, once each', () => {
    expect(resolveFieldList(' email,total_spent , email').map((f) => f.name)).toEqual(['email', 'total_spent']);
  });

  it('names the closest field for a misspelt one', () => {
    const error = thrown(() => resolveFieldList('email,totl_spent'));
    expect(error).toBeInstanceOf(UnknownFieldError);
    expect(error).toMatchObject({ message: '--fields: unknown field "totl_spent" — did you mean total_spent?', exitCode: 2, hint: expect.stringMatching(/^Fields: id, first_name, /) });
    expect(() => resolveFieldList('tags')).toThrow(UnknownFieldError);
  });

  it('refuses an empty list', () => {
    expect(() => resolveFieldList(' , ')).toThrow(UsageError);
  });
});

describe('parseSort (--sort)', () => {
  it('reads fields with optional directions', () => {
    expect(parseSort('total_spent:desc, last_name, id:ASC').map((k) => `${k.field.name} ${k.direction}`)).toEqual(['total_spent desc', 'last_name asc', 'id asc']);
  });

  it('says what is wrong with a key', () => {
    expect(thrown(() => parseSort('last_ordr_at:desc'))).toMatchObject({ name: 'UnknownFieldError', message: '--sort: unknown field "last_ordr_at" — did you mean last_order_at?' });
    expect(thrown(() => parseSort('total_spent:down'))).toMatchObject({ name: 'UsageError', message: '--sort total_spent:down: the direction is asc or desc, not "down"' });
    expect(() => parseSort('')).toThrow(UsageError);
  });
});
