import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { parseSort } from '../../../src/filter/parse-sort.js';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('nothing was thrown');
}

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
