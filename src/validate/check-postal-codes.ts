import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { iteratePostalCodes, type DigitPostalCodes } from '../db/validation-queries.js';
import { COUNTRIES } from '../normalize/normalize-country.js';
import { normalizePostalCode } from '../normalize/normalize-postal-code.js';

/**
 * Countries whose postal codes custdb knows the shape of: those for which
 * normalizePostalCode rejects a code that fits no country's shape, so the
 * list follows its table of formats without a second copy of it.
 */
const CHECKED_COUNTRIES = COUNTRIES.map((c) => c.alpha2).filter((country) => normalizePostalCode('?', country).warnings.length > 0);

/**
 * Countries whose codes are a fixed number of digits (US ZIP 12345, DE 10115,
 * AU 2000…), by that number: such a code is valid without a look from
 * JavaScript, so the database keeps it. Found the same way, by asking
 * normalizePostalCode about all-0, all-1 and all-9 codes of each length
 * (India's codes never start with 0, so it is checked row by row).
 */
export const DIGIT_POSTAL_CODES: readonly DigitPostalCodes[] = [3, 4, 5, 6, 7]
  .map((length) => ({
    length,
    countries: CHECKED_COUNTRIES.filter((country) => ['0', '1', '9'].every((digit) => normalizePostalCode(digit.repeat(length), country).warnings.length === 0)),
  }))
  .filter((d) => d.countries.length > 0);

/**
 * Active customers whose stored postal code does not fit their country's
 * format (the rules import warns by): how many, and the smallest ids. The
 * patterns are regular expressions SQL cannot share between SQLite and
 * PostgreSQL, so apart from all-digit codes of the right length, only id,
 * country and code are streamed, a page at a time.
 */
export async function checkPostalCodes(db: Kysely<Database>, limit: number): Promise<{ count: number; examples: number[] }> {
  let count = 0;
  const examples: number[] = [];
  for await (const page of iteratePostalCodes(db, CHECKED_COUNTRIES, DIGIT_POSTAL_CODES)) {
    for (const row of page) {
      if (normalizePostalCode(row.postal_code, row.country).warnings.length === 0) continue;
      count += 1;
      if (examples.length < limit) examples.push(row.id);
    }
  }
  return { count, examples };
}
