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
  /** Stable machine name, e.g. 'exact', 'nickname' (JSON output, tests). */
  key: string;
  /** How the level reads to a shop owner, on its own: "same birth date", "email domain typo". */
  words: string;
  /** Whether the weight of this level is adjusted by how common the shared value is. */
  termFrequency?: boolean;
}

function missing(field: string): ComparisonLevel {
  return { key: 'missing', words: `${field} missing on one side` };
}

export const FIELD_LEVELS: Readonly<Record<ComparisonField, readonly ComparisonLevel[]>> = {
  firstName: [
    missing('first name'),
    { key: 'exact', words: 'same first name', termFrequency: true },
    { key: 'swapped', words: 'first and last names swapped' },
    { key: 'nickname', words: 'first name a known nickname' },
    { key: 'close', words: 'first name spelt almost the same' },
    { key: 'similar', words: 'first names look or sound alike' },
    { key: 'initial', words: 'first name only an initial' },
    { key: 'different', words: 'different first names' },
  ],
  lastName: [
    missing('surname'),
    { key: 'exact', words: 'same surname', termFrequency: true },
    { key: 'swapped', words: 'first and last names swapped' },
    { key: 'close', words: 'surname spelt almost the same' },
    { key: 'similar', words: 'surnames look or sound alike' },
    { key: 'part', words: 'one surname part of the other' },
    { key: 'different', words: 'different surnames' },
  ],
  birthDate: [
    missing('birth date'),
    { key: 'exact', words: 'same birth date' },
    { key: 'dayMonthSwapped', words: 'birth date day/month swapped' },
    { key: 'oneDigit', words: 'birth date one digit off' },
    { key: 'sameYear', words: 'same birth year, different day' },
    { key: 'different', words: 'different birth dates' },
  ],
  email: [
    missing('email'),
    { key: 'exact', words: 'same email' },
    { key: 'typoDomain', words: 'email domain typo' },
    { key: 'sameLocal', words: 'same name before the @' },
    { key: 'close', words: 'email almost the same' },
    { key: 'different', words: 'different emails' },
  ],
  phone: [
    missing('phone'),
    { key: 'exact', words: 'same phone' },
    { key: 'sameEnding', words: 'phone ends in the same 7 digits' },
    { key: 'different', words: 'different phones' },
  ],
  address: [
    missing('address'),
    { key: 'exact', words: 'same street address' },
    { key: 'close', words: 'street address almost the same' },
    { key: 'sameStreet', words: 'same street, other house number' },
    { key: 'different', words: 'different street addresses' },
  ],
  addressLine2: [
    missing('address line 2'),
    { key: 'exact', words: 'same address line 2' },
    { key: 'close', words: 'address line 2 almost the same' },
    { key: 'different', words: 'different address line 2' },
  ],
  postalCode: [
    missing('postal code'),
    { key: 'exact', words: 'same postal code', termFrequency: true },
    { key: 'oneChar', words: 'postal code one character off' },
    { key: 'different', words: 'different postal codes' },
  ],
  city: [
    missing('city'),
    { key: 'exact', words: 'same city', termFrequency: true },
    { key: 'close', words: 'city spelt almost the same' },
    { key: 'different', words: 'different cities' },
  ],
  region: [
    missing('state or region'),
    { key: 'exact', words: 'same state or region' },
    { key: 'different', words: 'different states or regions' },
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
