import { emptyCustomerValues, type CustomerRecord, type CustomerValues } from '../model/customer-record.js';
import type { CustomerField } from '../model/customer-fields.js';
import { isScientificNotation, stripExcelApostrophe } from '../normalize/clean-cell.js';
import { normalizeCountry } from '../normalize/normalize-country.js';
import { normalizeEmail } from '../normalize/normalize-email.js';
import { normalizeName, splitFullName } from '../normalize/normalize-name.js';
import { normalizePostalCode } from '../normalize/normalize-postal-code.js';
import { parsePhone } from '../normalize/parse-phone.js';
import { isDayMonthDate, parseDate, type DateOrder } from '../normalize/parse-date.js';
import { parseConsent } from '../normalize/parse-consent.js';
import { normalizeGender } from '../normalize/normalize-gender.js';
import type { MappedRow, ScalarField } from '../mapping/map-row.js';

export interface RowWarning {
  /** The field (or 'row') the warning is about; summaries count warnings by it. */
  field: CustomerField | 'row';
  message: string;
}

export type NormalizedRow =
  | { ok: true; record: CustomerRecord; warnings: RowWarning[] }
  | { ok: false; reasons: string[]; warnings: RowWarning[] };

export interface RowContext {
  /** Where the file came from: the identity namespace of its external ids. */
  source: string;
  /** Country for national phone numbers when the row has none. */
  defaultCountry: string | null;
  /** Day/month order decided once for the whole file. */
  dateOrder: DateOrder | null;
  /** The file's numeric dates contradict each other (13/03 and 03/14): none of them is read. */
  dateOrderConflict: boolean;
}

const PLAIN_TEXT_FIELDS = ['company', 'job_title', 'address_line1', 'address_line2', 'city', 'region', 'occupation', 'income', 'notes'] as const;

/**
 * Standardises one mapped row into a customer record. A row is rejected only
 * when it cannot be a customer: no name, email, phone or external id at all,
 * or its only identifier is invalid. Everything else is a warning kept with
 * the row. Pure; never throws.
 */
export function normalizeCustomerRow(row: MappedRow, ctx: RowContext): NormalizedRow {
  const warnings: RowWarning[] = [];
  const warn = (field: RowWarning['field'], message: string) => warnings.push({ field, message });
  const raw = (field: ScalarField): string => {
    const value = row.fields[field];
    return value === undefined ? '' : stripExcelApostrophe(value.trim()).trim();
  };
  const values: CustomerValues = emptyCustomerValues();

  // Names: first/last as given, else split the full name.
  let first = raw('first_name');
  let last = raw('last_name');
  const full = raw('full_name');
  if (first === '' && last === '' && full !== '') ({ first, last } = splitFullName(full));
  values.first_name = nonEmpty(first === '' ? '' : normalizeName(first, 'first'));
  values.last_name = nonEmpty(last === '' ? '' : normalizeName(last, 'last'));

  const emailRaw = raw('email');
  let emailValid = false;
  if (emailRaw !== '') {
    const email = normalizeEmail(emailRaw);
    emailValid = email.valid;
    values.email = email.value;
    values.email_norm = email.valid ? email.value : null;
    for (const message of email.warnings) warn('email', message);
  }

  values.country = null;
  const countryRaw = raw('country');
  if (countryRaw !== '') {
    values.country = normalizeCountry(countryRaw);
    if (values.country === null) {
      warn('country', `unknown country ${JSON.stringify(countryRaw)}; kept as attribute country_original`);
    }
  }

  const phoneRaw = raw('phone');
  let phoneValid = false;
  if (phoneRaw !== '') {
    const phone = parsePhone(phoneRaw, values.country ?? ctx.defaultCountry ?? undefined);
    phoneValid = phone.e164 !== null;
    values.phone = phone.e164 ?? phoneRaw;
    values.phone_e164 = phone.e164;
    for (const message of phone.warnings) warn('phone', message);
  }

  for (const field of PLAIN_TEXT_FIELDS) values[field] = nonEmpty(collapseSpaces(raw(field)));

  const postal = raw('postal_code');
  if (postal !== '') {
    const code = normalizePostalCode(postal, values.country);
    values.postal_code = nonEmpty(code.value);
    for (const message of code.warnings) warn('postal_code', message);
  }

  for (const field of ['birth_date', 'signup_date'] as const) {
    const text = raw(field);
    if (text === '') continue;
    const parsed =
      ctx.dateOrderConflict && isDayMonthDate(text)
        ? { date: null, warnings: [`the file's dates contradict each other on day/month order, so ${text} is not read; use --date-format dmy|mdy`] }
        : parseDate(text, ctx.dateOrder);
    values[field] = parsed.date;
    if (parsed.date === null) {
      warn(field, `${parsed.warnings[0] ?? `could not read ${JSON.stringify(text)} as a date`}; kept as attribute ${field}_original`);
    } else {
      for (const message of parsed.warnings) warn(field, message);
    }
  }

  for (const field of ['email_consent', 'sms_consent'] as const) {
    const text = raw(field);
    if (text === '') continue;
    values[field] = parseConsent(text);
    if (values[field] === null) warn(field, `could not read ${JSON.stringify(text)} as yes/no; consent left unknown`);
  }

  const gender = raw('gender');
  if (gender !== '') values.gender = normalizeGender(gender);

  // External id: Excel's scientific notation has lost digits, so it cannot identify anyone.
  const externalIds: CustomerRecord['externalIds'] = [];
  const externalId = raw('external_id');
  if (externalId !== '') {
    if (isScientificNotation(externalId)) {
      warn('external_id', `external id ${externalId} is in scientific notation (Excel mangled it); not used as an identity`);
    } else {
      externalIds.push({ source: ctx.source, externalId });
    }
  }

  for (const pair of row.identities) {
    const colon = pair.indexOf(':');
    const identity = colon > 0 ? { source: pair.slice(0, colon), externalId: pair.slice(colon + 1) } : { source: ctx.source, externalId: pair };
    if (identity.externalId !== '' && !externalIds.some((e) => e.source === identity.source && e.externalId === identity.externalId)) externalIds.push(identity);
  }

  // Excel's protective apostrophe (and the one custdb's own CSV export adds before =, +, -, @) goes everywhere.
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(row.attributes)) {
    const cleaned = stripExcelApostrophe(value).trim();
    if (cleaned !== '') attributes[name] = cleaned;
  }
  if (countryRaw !== '' && values.country === null) attributes.country_original = countryRaw;
  for (const field of ['birth_date', 'signup_date'] as const) {
    if (raw(field) !== '' && values[field] === null) attributes[`${field}_original`] = raw(field);
  }

  const hasName = values.first_name !== null || values.last_name !== null;
  const hasUsableId = externalIds.length > 0 || emailValid || phoneValid;
  if (!hasName && !hasUsableId) {
    const given = [emailRaw !== '' && 'email', phoneRaw !== '' && 'phone', externalId !== '' && 'external id'].filter(Boolean);
    const reasons =
      given.length === 0
        ? ['no name, email, phone or external id: nothing identifies a customer']
        : [`its only identifier (${given.join(', ')}) is invalid`, ...warnings.map((w) => w.message)];
    return { ok: false, reasons, warnings };
  }

  const tags = [...new Set(row.tags.map((tag) => stripExcelApostrophe(tag.trim()).trim()).filter((tag) => tag !== ''))];
  return { ok: true, record: { values, externalIds, tags, attributes }, warnings };
}

function nonEmpty(value: string): string | null {
  return value === '' ? null : value;
}

function collapseSpaces(value: string): string {
  return value.includes('  ') || value.includes('\t') ? value.replace(/[ \t]+/g, ' ') : value;
}
