import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/*
 * Masking for sharing: `--mask` on export and query, and what reports call for a column of people. The
 * numbers stay (ids, counts, money, dates of orders, scores, segments); what identifies a person goes:
 *
 *   field                              value                    masked
 *   email                              jane.obrien@example.com  j***@example.com      first letter and the domain
 *   phone                              +447700900123            +44 •••• ••0123       country calling code and the last four digits
 *   first_name, last_name, company,
 *   an interaction's staff             Jane                     J***                  the initial
 *   full_name                          Jane O'Brien             J*** O***             each word's initial
 *   address_line1, address_line2,
 *   notes, an interaction's summary
 *   and outcome                        12 Market St             •••
 *   postal_code                        94103, SW1A 1AA          941••, SW1• •••       at most the first three letters or digits, never more than half
 *   birth_date                         1985-03-13               1985                  the year: ages and cohorts still work
 *
 * Every other field is shown as it is: city, region, country, gender, occupation, income, consent, tags,
 * external ids and custom fields (attr.*) are the business's categories, not a person. The same value always
 * masks the same way. An empty value stays empty, so "has an email" still counts right.
 */

/** The bullet written in place of what a mask hides. */
const HIDDEN = '•••';

type Mask = (value: string) => string;

const MASKS: Readonly<Record<string, Mask>> = {
  email: maskEmail,
  email_norm: maskEmail,
  phone: maskPhone,
  phone_e164: maskPhone,
  first_name: maskName,
  last_name: maskName,
  company: maskName,
  full_name: maskName,
  staff: maskName,
  address_line1: () => HIDDEN,
  address_line2: () => HIDDEN,
  notes: () => HIDDEN,
  summary: () => HIDDEN,
  outcome: () => HIDDEN,
  postal_code: maskPostalCode,
  birth_date: (value) => (/^\d{4}/.test(value) ? value.slice(0, 4) : HIDDEN),
};

/** Whether `field` (a customer field's name) is one `--mask` hides. */
export function isMaskedField(field: string): boolean {
  return Object.hasOwn(MASKS, field);
}

/**
 * `value` as `--mask` shows it for `field` (see the table above); fields that identify no one, and empty
 * values, come back unchanged. Pure and deterministic.
 * @example maskValue('email', 'jane.obrien@example.com') // 'j***@example.com'
 */
export function maskValue<V>(field: string, value: V): V | string {
  if (typeof value !== 'string' || value === '' || !Object.hasOwn(MASKS, field)) return value;
  return MASKS[field]!(value);
}

/**
 * A column-level masker for rows keyed by field name (an answer's rows, a report's table): each row comes
 * back with its personal fields masked and everything else as it was.
 */
export function maskRow<Row extends Record<string, unknown>>(row: Row): Row {
  const masked: Record<string, unknown> = { ...row };
  for (const field of Object.keys(row)) if (isMaskedField(field)) masked[field] = maskValue(field, row[field]);
  return masked as Row;
}

/** Rows masked as they are read (see maskRow): memory stays as flat as the rows'. */
export async function* maskRows<Row extends Record<string, unknown>>(rows: AsyncIterable<Row>): AsyncGenerator<Row> {
  for await (const row of rows) yield maskRow(row);
}

function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at <= 0) return `***`;
  return `${[...value][0]}***${value.slice(at)}`;
}

function maskName(value: string): string {
  return value
    .trim()
    .split(/\s+/)
    .map((word) => `${[...word][0] ?? ''}***`)
    .join(' ');
}

/** The country calling code (from an E.164 number) and the last four digits; the hidden digits as bullets, four then the rest. */
function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  if (digits.length < 7) return HIDDEN;
  const parsed = value.trim().startsWith('+') ? parsePhoneNumberFromString(value) : undefined;
  const national = parsed ? String(parsed.nationalNumber) : digits;
  const hidden = Math.max(national.length - 4, 0);
  const bullets = '•'.repeat(hidden);
  const grouped = hidden > 4 ? `${bullets.slice(0, 4)} ${bullets.slice(4)}` : bullets;
  return `${parsed ? `+${parsed.countryCallingCode} ` : ''}${grouped}${national.slice(hidden)}`;
}

function maskPostalCode(value: string): string {
  const total = value.replace(/[^\p{L}\p{N}]/gu, '').length;
  const keep = Math.min(3, Math.ceil(total / 2));
  let seen = 0;
  let out = '';
  for (const ch of value) {
    if (/[\p{L}\p{N}]/u.test(ch)) {
      seen += 1;
      out += seen <= keep ? ch : '•';
    } else out += ch;
  }
  return out;
}
