import { COMPARISON_FIELDS, FIELD_LEVELS, type ComparisonField } from './comparison-levels.js';
import type { FieldProbabilities } from './field-probabilities.js';

/**
 * Default m and u per comparison level, used where the data is too small to
 * estimate them: as a prior that EM and the random-pair count blend with (it
 * counts as DEFAULT_M_PAIRS matching and DEFAULT_U_PAIRS random pairs, so it
 * fades as data grows), and alone by the import-time look-alike check.
 *
 * Where the numbers come from: the values EM and the random-pair count find on
 * FEBRL 1, FEBRL 2 (without soc_sec_id), Splink's fake_1000 and 100,000
 * generated customers (`npm run bench -- --only dedupe`), averaged over the
 * sets that hold the field (m: arithmetic mean; u: geometric mean, as u spans
 * orders of magnitude) and rounded. Three adjustments, by judgement:
 * - a level no set produces among its duplicates (a first name given as an
 *   initial, a surname that is part of a double-barrelled one) gets m = 0.01
 *   rather than EM's 0, which would make it a strong sign of different people;
 * - phone: only the generated set has phones, and its duplicates never change
 *   number (EM finds m = 1 for "same"); we keep 10% for a changed or mistyped one;
 * - a wholly different first name or birth date: FEBRL and fake_1000 replace
 *   whole values at random (m 0.07–0.12 and 0.05–0.32), the generated, shop-like
 *   set gives 0.01 and 0.00; we take 0.005 and 0.02 (the rest goes to "exact"),
 *   so that with little data a household (same surname, address and phone,
 *   another first name and birth date) is not taken for one person.
 * The last level ("different") takes what the others leave, so each row sums to 1.
 */
const M: Record<ComparisonField, readonly number[]> = {
  //          exact  swapped nickname close similar initial (different: 0.005)
  firstName: [0.705, 0.10, 0.02, 0.12, 0.04, 0.01],
  //          exact swapped close similar part
  lastName: [0.62, 0.10, 0.18, 0.04, 0.01],
  //          exact dayMonthSwapped oneDigit sameYear (different: 0.02)
  birthDate: [0.89, 0.01, 0.05, 0.03],
  //          exact typoDomain sameLocal close
  email: [0.68, 0.09, 0.12, 0.08],
  //          exact sameEnding
  phone: [0.90, 0.03],
  //          exact close sameStreet
  address: [0.64, 0.18, 0.10],
  //          exact close
  addressLine2: [0.54, 0.38],
  //          exact oneChar
  postalCode: [0.86, 0.11],
  //          exact close
  city: [0.74, 0.20],
  //          exact
  region: [0.96],
};

const U: Record<ComparisonField, readonly number[]> = {
  firstName: [6.8e-3, 8e-4, 1.7e-3, 1.2e-3, 2.2e-3, 1e-5],
  lastName: [3.6e-3, 8e-4, 9.6e-4, 1.7e-3, 1e-5],
  birthDate: [3.6e-4, 1.6e-5, 1.3e-3, 1.2e-2],
  email: [6e-5, 3e-5, 6e-5, 2.9e-4],
  phone: [1e-5, 3e-6],
  address: [8.7e-5, 2.4e-4, 1.1e-3],
  addressLine2: [9.6e-4, 6e-4],
  postalCode: [1.6e-3, 2e-2],
  city: [5.9e-3, 2.3e-3],
  region: [0.23],
};

/** How many matching pairs the default m counts as when blended with EM's estimate. */
export const DEFAULT_M_PAIRS = 20;
/** How many random pairs the default u counts as when blended with the random-pair count. */
export const DEFAULT_U_PAIRS = 200;

function complete(table: Record<ComparisonField, readonly number[]>): FieldProbabilities {
  return COMPARISON_FIELDS.map((field) => {
    const given = table[field];
    const levels = FIELD_LEVELS[field].length;
    const rest = 1 - given.reduce((s, x) => s + x, 0);
    return Array.from({ length: levels }, (_, l) => (l === 0 ? 1 : l === levels - 1 ? rest : (given[l - 1] ?? 0)));
  });
}

/** Default P(level | same person), in FieldProbabilities shape (level 0 unused, 1). A fresh copy each call. */
export function defaultM(): FieldProbabilities {
  return complete(M);
}

/** Default P(level | different people), in FieldProbabilities shape (level 0 unused, 1). A fresh copy each call. */
export function defaultU(): FieldProbabilities {
  return complete(U);
}
