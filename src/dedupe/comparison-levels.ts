/**
 * The fields the engine compares and the graded levels of each comparison.
 * Level 0 is always "missing on one side or both": it carries no evidence
 * (weight 0). Higher numbers are weaker agreement; the last level is "different".
 */
export const COMPARISON_FIELDS = [
  'firstName',
  'lastName',
  'birthDate',
  'email',
  'phone',
  'address',
  'addressLine2',
  'postalCode',
  'city',
  'region',
] as const;

export type ComparisonField = (typeof COMPARISON_FIELDS)[number];

export interface ComparisonLevel {
  /** Stable machine name, e.g. 'exact', 'nickname'. */
  key: string;
  /** How the level reads in an explanation. */
  words: string;
  /** Whether the weight of this level is adjusted by how common the shared value is. */
  termFrequency?: boolean;
}

const MISSING: ComparisonLevel = { key: 'missing', words: 'missing on one side' };

export const FIELD_LEVELS: Readonly<Record<ComparisonField, readonly ComparisonLevel[]>> = {
  firstName: [
    MISSING,
    { key: 'exact', words: 'exact match', termFrequency: true },
    { key: 'swapped', words: 'first and last names swapped' },
    { key: 'nickname', words: 'known nickname of each other' },
    { key: 'close', words: 'nearly the same spelling' },
    { key: 'similar', words: 'similar spelling or same sound' },
    { key: 'initial', words: 'initial matches the full name' },
    { key: 'different', words: 'different' },
  ],
  lastName: [
    MISSING,
    { key: 'exact', words: 'exact match', termFrequency: true },
    { key: 'swapped', words: 'first and last names swapped' },
    { key: 'close', words: 'nearly the same spelling' },
    { key: 'similar', words: 'similar spelling or same sound' },
    { key: 'part', words: 'one name is part of the other' },
    { key: 'different', words: 'different' },
  ],
  birthDate: [
    MISSING,
    { key: 'exact', words: 'exact match' },
    { key: 'dayMonthSwapped', words: 'day and month swapped' },
    { key: 'oneDigit', words: 'one digit off' },
    { key: 'sameYear', words: 'same year only' },
    { key: 'different', words: 'different' },
  ],
  email: [
    MISSING,
    { key: 'exact', words: 'exact match' },
    { key: 'typoDomain', words: 'same address with a mistyped domain' },
    { key: 'sameLocal', words: 'same local part, different domain' },
    { key: 'close', words: 'nearly the same address' },
    { key: 'different', words: 'different' },
  ],
  phone: [
    MISSING,
    { key: 'exact', words: 'exact match' },
    { key: 'sameEnding', words: 'same last 7 digits' },
    { key: 'different', words: 'different' },
  ],
  address: [
    MISSING,
    { key: 'exact', words: 'exact match' },
    { key: 'close', words: 'same number, nearly the same street' },
    { key: 'sameStreet', words: 'same street, different or missing number' },
    { key: 'different', words: 'different' },
  ],
  addressLine2: [
    MISSING,
    { key: 'exact', words: 'exact match' },
    { key: 'close', words: 'nearly the same' },
    { key: 'different', words: 'different' },
  ],
  postalCode: [
    MISSING,
    { key: 'exact', words: 'exact match', termFrequency: true },
    { key: 'oneChar', words: 'one character off' },
    { key: 'different', words: 'different' },
  ],
  city: [
    MISSING,
    { key: 'exact', words: 'exact match', termFrequency: true },
    { key: 'close', words: 'nearly the same spelling' },
    { key: 'different', words: 'different' },
  ],
  region: [
    MISSING,
    { key: 'exact', words: 'exact match' },
    { key: 'different', words: 'different' },
  ],
};

/** Bits per field in a packed comparison vector (up to 8 levels per field). */
export const LEVEL_BITS = 3;
const LEVEL_MASK = (1 << LEVEL_BITS) - 1;

/**
 * A comparison vector: the level of every field for one pair of records,
 * packed LEVEL_BITS bits per field in COMPARISON_FIELDS order (fits in 30 bits).
 */
export type ComparisonVector = number;

/** The level of field number `fieldIndex` (index into COMPARISON_FIELDS) in a packed vector. */
export function levelAt(vector: ComparisonVector, fieldIndex: number): number {
  return (vector >>> (fieldIndex * LEVEL_BITS)) & LEVEL_MASK;
}

/** Packs levels given in COMPARISON_FIELDS order; missing entries count as level 0. */
export function packLevels(levels: readonly number[]): ComparisonVector {
  let vector = 0;
  levels.forEach((level, f) => {
    vector |= (level & LEVEL_MASK) << (f * LEVEL_BITS);
  });
  return vector >>> 0;
}

/** The levels of a packed vector as { field: level key }, for people and tests. */
export function describeVector(vector: ComparisonVector): Record<ComparisonField, string> {
  const out = {} as Record<ComparisonField, string>;
  COMPARISON_FIELDS.forEach((field, f) => {
    out[field] = FIELD_LEVELS[field][levelAt(vector, f)]?.key ?? 'missing';
  });
  return out;
}
