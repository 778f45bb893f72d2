export interface NormalizedPostalCode {
  /** Trimmed, upper-cased, whitespace collapsed, leading zeros kept; '' for a blank cell. */
  value: string;
  /** Present when the code does not look like one of its country's. */
  warnings: string[];
}

interface PostalFormat {
  /** What a correct code looks like, for the warning. */
  looksLike: string;
  /** Matches a correct code after cleaning (and after `tidy`). */
  pattern: RegExp;
  /** Puts the separator where the country writes one (`K1A0B1` → `K1A 0B1`). */
  tidy?: (code: string) => string;
}

const WHITESPACE_RUN = /\s+/gu;
const SPACE = / /g;

function insertAt(position: number, separator: string, compact: RegExp): (code: string) => string {
  return (code) => {
    const bare = code.replace(SPACE, '');
    return compact.test(bare) ? `${bare.slice(0, position)}${separator}${bare.slice(position)}` : code;
  };
}

function spaceBeforeLast(count: number, compact: RegExp): (code: string) => string {
  return (code) => {
    const bare = code.replace(SPACE, '');
    return compact.test(bare) ? `${bare.slice(0, -count)} ${bare.slice(-count)}` : code;
  };
}

const FIVE_DIGITS: PostalFormat = { looksLike: '5 digits', pattern: /^\d{5}$/ };
const FOUR_DIGITS: PostalFormat = { looksLike: '4 digits', pattern: /^\d{4}$/ };

const FORMATS: Readonly<Record<string, PostalFormat>> = {
  US: {
    looksLike: 'a ZIP code: 12345 or 12345-6789',
    pattern: /^\d{5}(?:-\d{4})?$/,
    tidy: insertAt(5, '-', /^\d{9}$/),
  },
  CA: {
    looksLike: 'A1A 1A1',
    pattern: /^[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] \d[ABCEGHJ-NPRSTV-Z]\d$/,
    tidy: insertAt(3, ' ', /^[A-Z]\d[A-Z]\d[A-Z]\d$/),
  },
  GB: {
    looksLike: 'an outward and inward code such as SW1A 1AA',
    pattern: /^(?:[A-Z]{1,2}\d[A-Z\d]?|GIR) \d[A-Z]{2}$/,
    tidy: spaceBeforeLast(3, /^(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\d[A-Z]{2}$/),
  },
  DE: FIVE_DIGITS,
  FR: FIVE_DIGITS,
  ES: FIVE_DIGITS,
  IT: FIVE_DIGITS,
  FI: FIVE_DIGITS,
  MX: FIVE_DIGITS,
  NL: {
    looksLike: '1234 AB',
    pattern: /^[1-9]\d{3} [A-Z]{2}$/,
    tidy: insertAt(4, ' ', /^\d{4}[A-Z]{2}$/),
  },
  AU: FOUR_DIGITS,
  NZ: FOUR_DIGITS,
  CH: FOUR_DIGITS,
  AT: FOUR_DIGITS,
  DK: FOUR_DIGITS,
  NO: FOUR_DIGITS,
  BE: FOUR_DIGITS,
  SE: {
    looksLike: '123 45',
    pattern: /^\d{3} \d{2}$/,
    tidy: insertAt(3, ' ', /^\d{5}$/),
  },
  IE: {
    looksLike: 'an Eircode such as D02 X285',
    pattern: /^(?:[AC-FHKNPRTV-Y]\d{2}|D6W) [AC-FHKNPRTV-Y\d]{4}$/,
    tidy: insertAt(3, ' ', /^(?:[AC-FHKNPRTV-Y]\d{2}|D6W)[AC-FHKNPRTV-Y\d]{4}$/),
  },
  JP: {
    looksLike: '123-4567',
    pattern: /^\d{3}-\d{4}$/,
    tidy: insertAt(3, '-', /^\d{7}$/),
  },
  IN: { looksLike: '6 digits', pattern: /^[1-9]\d{5}$/ },
  BR: {
    looksLike: '12345-678',
    pattern: /^\d{5}-\d{3}$/,
    tidy: insertAt(5, '-', /^\d{8}$/),
  },
  PL: {
    looksLike: '12-345',
    pattern: /^\d{2}-\d{3}$/,
    tidy: insertAt(2, '-', /^\d{5}$/),
  },
  PT: {
    looksLike: '1234-567',
    pattern: /^\d{4}-\d{3}$/,
    tidy: insertAt(4, '-', /^\d{7}$/),
  },
};

const FOUR_DIGIT_ZIP = /^\d{4}$/;

/**
 * Cleans a postal code as text (leading zeros kept), puts the separator where
 * the country writes one (`k1a0b1`, CA → `K1A 0B1`) and warns when it does not
 * match the country's pattern. `country` is an alpha-2 code as normalizeCountry
 * returns it; null or an unlisted country skips the check. Never changes digits.
 */
export function normalizePostalCode(raw: string, country: string | null): NormalizedPostalCode {
  let value = raw.trim().toUpperCase().replace(WHITESPACE_RUN, ' ');
  if (value === '' || country === null) return { value, warnings: [] };
  const format = FORMATS[country];
  if (format === undefined) return { value, warnings: [] };
  if (format.tidy !== undefined) value = format.tidy(value);
  if (format.pattern.test(value)) return { value, warnings: [] };
  if (country === 'US' && FOUR_DIGIT_ZIP.test(value)) {
    return {
      value,
      warnings: [`US ZIP code ${value} has 4 digits; it probably lost its leading zero (0${value}?)`],
    };
  }
  return { value, warnings: [`postal code ${value} does not look like a ${country} one (${format.looksLike})`] };
}
