import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/min';
import type { CountryCode } from 'libphonenumber-js/min';
import { isScientificNotation } from './clean-cell.js';
import { readPhoneDigits } from './read-phone-digits.js';

export interface ParsedPhone {
  /** The number in E.164 (`+14155552671`), or null when it cannot be trusted. */
  e164: string | null;
  /** ISO 3166-1 alpha-2 country the number belongs to, when known. */
  country: string | null;
  /** Extension digits (`ext. 12`), kept out of `e164`. */
  extension: string | null;
  /** Why `e164` is null, or what was dropped; empty when all is well. */
  warnings: string[];
}

const NATIONAL_WITHOUT_COUNTRY = 'national number without a country; use --default-country';
const SCIENTIFIC = 'phone in scientific notation (Excel mangled it); the digits are lost';
// Already E.164: the common case for exports from Shopify, Stripe, HubSpot.
const E164 = /^\+[1-9]\d{6,14}$/;
const MIN_DIGITS = 5;
const MAX_DIGITS = 22; // 15 for E.164 plus room for an extension

/**
 * Parses a phone cell with libphonenumber-js (min metadata) into E.164; plain
 * digit spellings are read by readPhoneDigits, which gives the library's answer faster.
 * `+…` and `00…` numbers parse internationally; others need `defaultCountry`.
 * Never throws; e164 is null with a warning when the number is not valid.
 *
 * @example parsePhone('(415) 555-2671', 'US') // { e164: '+14155552671', country: 'US', … }
 */
export function parsePhone(raw: string, defaultCountry?: string): ParsedPhone {
  let s = raw.trim();
  if (s.charCodeAt(0) === 39) s = s.slice(1).trim(); // Excel's text-forcing apostrophe
  if (s === '') return result(null, null, null, []);

  if (E164.test(s)) return parseWith(s, undefined, s);

  const digits = countDigits(s);
  if (digits < MIN_DIGITS || digits > MAX_DIGITS) {
    return result(null, null, null, [`not a phone number: ${JSON.stringify(raw.trim())}`]);
  }
  if (isScientificNotation(s)) return result(null, null, null, [SCIENTIFIC]);

  const international = startsInternational(s);
  let country: CountryCode | undefined;
  const warnings: string[] = [];
  if (defaultCountry !== undefined && defaultCountry !== '') {
    const upper = defaultCountry.toUpperCase();
    if (isSupportedCountry(upper)) country = upper;
    else warnings.push(`unknown default country ${defaultCountry}`);
  }
  if (!international && country === undefined) return result(null, null, null, [...warnings, NATIONAL_WITHOUT_COUNTRY]);
  // libphonenumber only reads `00` as the international prefix when the default
  // country dials out with 00, so spell it as `+` whatever the country.
  const text = international ? toPlusForm(s) : s;
  const parsed = parseWith(text, country, raw.trim());
  parsed.warnings.unshift(...warnings);
  return parsed;
}

function parseWith(text: string, country: CountryCode | undefined, shown: string): ParsedPhone {
  const quick = readPhoneDigits(text, country);
  if (quick !== undefined) {
    if (quick.kind === 'none') return notAPhone(shown);
    return quick.valid ? result(quick.e164, quick.country ?? null, null, []) : notValid(quick.country ?? country, shown);
  }
  const phone = parsePhoneNumberFromString(text, country);
  if (phone === undefined) return notAPhone(shown);
  if (!phone.isValid()) return notValid(phone.country ?? country, shown);
  return result(phone.number, phone.country ?? null, phone.ext ?? null, []);
}

function notAPhone(shown: string): ParsedPhone {
  return result(null, null, null, [`not a phone number: ${JSON.stringify(shown)}`]);
}

function notValid(where: string | undefined, shown: string): ParsedPhone {
  const suffix = where === undefined ? '' : ` for ${where}`;
  return result(null, null, null, [`not a valid phone number${suffix}: ${JSON.stringify(shown)}`]);
}

function result(e164: string | null, country: string | null, extension: string | null, warnings: string[]): ParsedPhone {
  return { e164, country, extension, warnings };
}

function countDigits(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** True for `+44 …`, `00 44 …`, `(+44) …`, `tel:+44…`. */
function startsInternational(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 43) return true; // +
    if (c === 48) return s.charCodeAt(i + 1) === 48; // 00
    if (c >= 49 && c <= 57) return false;
  }
  return false;
}

function toPlusForm(s: string): string {
  if (s.includes('+')) return s;
  const i = s.indexOf('00');
  return `+${s.slice(i + 2)}`;
}
