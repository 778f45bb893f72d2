export type Gender = 'male' | 'female' | 'other';

const GENDERS: ReadonlyMap<string, Gender | null> = new Map<string, Gender | null>([
  ...['m', 'male', 'man', 'men', 'masculine', 'boy', 'mr', 'h', 'homme', 'masculin', 'männlich', 'mannlich', 'hombre', 'masculino', 'cis male', 'cis man'].map(
    (word): [string, Gender] => [word, 'male'],
  ),
  ...['f', 'female', 'woman', 'women', 'feminine', 'girl', 'w', 'mrs', 'ms', 'femme', 'féminin', 'weiblich', 'mujer', 'femenino', 'cis female', 'cis woman'].map(
    (word): [string, Gender] => [word, 'female'],
  ),
  ...['o', 'other', 'x', 'nb', 'non binary', 'nonbinary', 'non-binary', 'enby', 'genderqueer', 'gender fluid', 'genderfluid', 'agender', 'divers', 'diverse', 'd', 'third gender'].map(
    (word): [string, Gender] => [word, 'other'],
  ),
  // Placeholders mean "not given": no value at all.
  ...['u', 'unknown', 'n/a', 'na', 'none', '-', '?', 'null', 'unspecified', 'not specified'].map(
    (word): [string, null] => [word, null],
  ),
]);

const WHITESPACE_RUN = /\s+/g;

/**
 * Maps a gender cell to `male`, `female` or `other` when it is a known word
 * (m, Female, non-binary, …); placeholders such as `unknown` and `n/a` give
 * null; anything else (`prefer not to say`) is kept as typed, trimmed.
 */
export function normalizeGender(raw: string): string | null {
  const trimmed = raw.trim().replace(WHITESPACE_RUN, ' ');
  if (trimmed === '') return null;
  const known = GENDERS.get(trimmed.toLowerCase());
  return known === undefined ? trimmed : known;
}
