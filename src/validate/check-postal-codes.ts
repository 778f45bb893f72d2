import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { iteratePostalCodes } from '../db/validation-queries.js';
import { COUNTRIES } from '../normalize/normalize-country.js';
import { normalizePostalCode } from '../normalize/normalize-postal-code.js';

/**
 * Countries whose postal codes custdb knows the shape of: those for which
 * normalizePostalCode rejects a code that fits no country's shape, so the
 * list follows its table of formats without a second copy of it.
 */
const CHECKED_COUNTRIES = COUNTRIES.map((c) => c.alpha2).filter((country) => normalizePostalCode('?', country).warnings.length > 0);

/**
 * Active customers whose stored postal code does not fit their country's
 * format (the rules import warns by): how many, and the smallest ids. The
 * patterns are regular expressions SQL cannot share between SQLite and
 * PostgreSQL, so only id, country and code are streamed, a page at a time.
 */
export async function checkPostalCodes(db: Kysely<Database>, limit: number): Promise<{ count: number; examples: number[] }> {
  let count = 0;
  const examples: number[] = [];
  for await (const page of iteratePostalCodes(db, CHECKED_COUNTRIES)) {
    for (const row of page) {
      if (normalizePostalCode(row.postal_code, row.country).warnings.length === 0) continue;
      count += 1;
      if (examples.length < limit) examples.push(row.id);
    }
  }
  return { count, examples };
}
