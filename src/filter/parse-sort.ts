import { UnknownFieldError, UsageError } from '../errors.js';
import { scalarQueryField, SCALAR_QUERY_FIELDS, type QueryField } from '../model/query-fields.js';
import { didYouMean } from './suggest-closest.js';

export interface SortKey {
  readonly field: QueryField;
  readonly direction: 'asc' | 'desc';
}

/**
 * The keys of `--sort FIELD[:desc][,FIELD[:asc]…]`, first key first.
 * Throws UnknownFieldError (with the closest field) or UsageError for a
 * direction other than asc or desc.
 *
 * @example
 * parseSort('total_spent:desc,last_name') // [{ field: total_spent, direction: 'desc' }, { field: last_name, direction: 'asc' }]
 */
export function parseSort(text: string): SortKey[] {
  const keys = text.split(',').map((key) => key.trim()).filter((key) => key !== '');
  if (keys.length === 0) throw new UsageError('--sort is empty', { hint: 'Name a field, with :desc for the largest first: --sort total_spent:desc.' });
  return keys.map((key) => {
    const colon = key.lastIndexOf(':');
    const name = colon === -1 ? key : key.slice(0, colon).trim();
    const direction = colon === -1 ? 'asc' : key.slice(colon + 1).trim().toLowerCase();
    if (direction !== 'asc' && direction !== 'desc') {
      throw new UsageError(`--sort ${key}: the direction is asc or desc, not ${JSON.stringify(key.slice(colon + 1))}`, { hint: 'Example: --sort total_spent:desc.' });
    }
    return { field: lookUpField(name, '--sort'), direction };
  });
}

function lookUpField(name: string, option: string): QueryField {
  const field = scalarQueryField(name);
  if (field !== undefined) return field;
  const names = SCALAR_QUERY_FIELDS.map((f) => f.name);
  throw new UnknownFieldError(`${option}: unknown field ${JSON.stringify(name)}${didYouMean(name, names)}`, { hint: `Fields: ${names.join(', ')}.` });
}
