import { UsageError } from '../errors.js';
import { normalizeCustomerRow, type RowContext, type RowWarning } from '../import/normalize-customer-row.js';
import { parseDate } from '../normalize/parse-date.js';
import type { MappedRow, ScalarField } from '../mapping/map-row.js';
import { parseTarget } from '../mapping/mapping-schema.js';
import type { StoredCustomer } from '../db/customer-writer.js';
import type { CustomerValues } from '../model/customer-record.js';

/** Fields `customers edit --set` accepts: the canonical scalar fields but external_id (identities belong to a source). */
export const EDITABLE_FIELDS = [
  'first_name', 'last_name', 'full_name', 'email', 'phone', 'company', 'job_title', 'address_line1', 'address_line2', 'city', 'region',
  'postal_code', 'country', 'birth_date', 'gender', 'occupation', 'income', 'email_consent', 'sms_consent', 'notes', 'signup_date',
] as const satisfies readonly ScalarField[];

export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** A custom field, spelled as queries and exports spell it: `attr.tier`. */
export type AttributeField = `attr.${string}`;

export interface FieldAssignment {
  field: EditableField | AttributeField;
  /** As typed; '' clears the field. */
  value: string;
}

/** A stored column, or a custom field (`attr.NAME`), and its old and new value (null: empty, or no such custom field). */
export interface ColumnChange {
  field: (keyof StoredCustomer & string) | AttributeField;
  old: string | null;
  new: string | null;
}

export interface EditPlan {
  changes: ColumnChange[];
  warnings: RowWarning[];
}

/** Columns each editable field writes (a derived copy goes with its field; consent carries when and where). */
const COLUMNS: Partial<Record<EditableField, (keyof StoredCustomer & string)[]>> = {
  full_name: ['first_name', 'last_name'],
  email: ['email', 'email_norm'],
  phone: ['phone', 'phone_e164'],
};

export function isAttributeField(field: string): field is AttributeField {
  return field.startsWith('attr.');
}

/**
 * Reads `field=value` arguments: canonical fields, and custom fields as
 * `attr.NAME` (the name standardised as an import names a column's
 * attribute: "attr.Favourite Roast" → attr.favourite_roast). Pure; throws
 * UsageError naming the fields that can be set when one is unknown or not editable.
 *
 * @example parseFieldAssignments(['email=jane@example.com', 'company=', 'attr.tier=gold']) // clears company
 */
export function parseFieldAssignments(sets: readonly string[]): FieldAssignment[] {
  const fieldList = `${EDITABLE_FIELDS.join(', ')}, or attr.NAME for a custom field`;
  return sets.map((text) => {
    const equals = text.indexOf('=');
    if (equals <= 0) throw new UsageError(`--set "${text}" is not field=value.`, { hint: 'Example: --set email=jane@example.com (an empty value clears the field).' });
    const value = text.slice(equals + 1);
    if (/^\s*attr\./i.test(text)) {
      const target = parseTarget(text.slice(0, equals));
      if (target?.kind !== 'attribute') throw new UsageError(`--set "${text}" names no custom field.`, { hint: 'Write the name after attr., e.g. --set attr.tier=gold.' });
      return { field: `attr.${target.name}`, value };
    }
    const field = text.slice(0, equals).trim().toLowerCase();
    if (field === 'tags') throw new UsageError('Tags are not set with --set.', { hint: 'Use "custdb customers tag ID TAG…" and "custdb customers untag ID TAG…".' });
    if (field === 'external_id') throw new UsageError('external_id cannot be edited: it is the id another system gave this person.', { hint: 'Import a file from that source to add one.' });
    if (!(EDITABLE_FIELDS as readonly string[]).includes(field)) {
      throw new UsageError(`There is no field called ${field}.`, { hint: `Fields you can set: ${fieldList}.` });
    }
    return { field: field as EditableField, value };
  });
}

/**
 * Plans an edit: standardises the new values exactly as an import would (names
 * re-cased, email lower-cased, phone to E.164 in the customer's country, dates
 * to ISO, consent words to granted/denied) and lists the columns that change.
 * Pure. Throws UsageError when a value cannot be read (an invalid email, an
 * unknown country, an unreadable date) or the edit would leave nothing that
 * identifies the customer. Custom fields (`attr.NAME`) change from their
 * value in `attributes` (the customer's custom fields) to the text given.
 */
export function planCustomerEdit(
  stored: StoredCustomer,
  assignments: readonly FieldAssignment[],
  ctx: Pick<RowContext, 'defaultCountry'>,
  now: string,
  consentSource: string,
  attributes: Readonly<Record<string, string>> = {},
): EditPlan {
  // Normalise the customer as they will be after the edit, so the identity rule
  // ("a name, email, phone or external id") is checked on the result.
  const fields: MappedRow['fields'] = {};
  for (const field of EDITABLE_FIELDS) {
    if (field === 'full_name') continue;
    const value = stored[field];
    if (value !== null && value !== '') fields[field] = value;
  }
  const edited = new Set<EditableField>();
  for (const { field, value } of assignments) {
    if (isAttributeField(field)) continue;
    edited.add(field);
    if (field === 'full_name') {
      delete fields.first_name;
      delete fields.last_name;
      edited.add('first_name').add('last_name');
    }
    if (value.trim() === '') delete fields[field];
    else fields[field] = value;
  }
  const normalized = normalizeCustomerRow(
    { fields, tags: [], identities: [], attributes: {} },
    { source: consentSource, defaultCountry: ctx.defaultCountry, dateOrder: null, dateOrderConflict: false },
  );
  const warnings = normalized.warnings.filter((w) => w.field !== 'row' && edited.has(w.field as EditableField));
  if (!normalized.ok) {
    throw new UsageError(`This edit would leave customer ${stored.id} with nothing that identifies them (no name, valid email or phone).`, {
      hint: 'Keep at least a name, an email or a phone number.',
    });
  }
  const values = normalized.record.values;

  const changes: ColumnChange[] = [];
  for (const { field, value } of assignments) {
    if (isAttributeField(field)) continue;
    const given = value.trim() !== '';
    const unreadable = (reason: string) => {
      const readings = ambiguousDateReadings(value);
      if (readings !== null) {
        // The import's advice (--date-format) is for files; one typed date is settled by writing it unambiguously.
        return new UsageError(`Cannot set ${field} to ${JSON.stringify(value)}: it reads as ${readings[0]} (day first) or ${readings[1]} (month first).`, {
          hint: `Write it year-month-day: --set ${field}=${readings[0]} or --set ${field}=${readings[1]}.`,
        });
      }
      // Import keeps what it cannot read as an attribute; an edit refuses it instead, so that part of the warning does not apply.
      const warning = warnings.find((w) => w.field === field)?.message.replace(/; (kept as attribute|consent left unknown)\b.*$/, '');
      return new UsageError(`Cannot set ${field} to ${JSON.stringify(value)}: ${warning ?? reason}.`, { hint: `Fix the value, or clear the field with --set ${field}=` });
    };
    if (given && field === 'email' && values.email_norm === null) throw unreadable('not a valid email address');
    if (given && field === 'phone' && values.phone_e164 === null) throw unreadable('not a phone number custdb can read (try the international form, +44…)');
    const columns = COLUMNS[field] ?? [field as keyof CustomerValues];
    for (const column of columns) {
      const next = column in values ? (values[column as keyof CustomerValues] as string | null) : null;
      if (given && next === null && columns.length === 1) throw unreadable('the value could not be read');
      const old = stored[column] as string | null;
      if (old !== next && !changes.some((c) => c.field === column)) changes.push({ field: column, old, new: next });
    }
    if ((field === 'email_consent' || field === 'sms_consent') && changes.some((c) => c.field === field)) {
      changes.push({ field: `${field}_at`, old: stored[`${field}_at`], new: values[field] === null ? null : now });
      changes.push({ field: `${field}_source`, old: stored[`${field}_source`], new: values[field] === null ? null : consentSource });
    }
  }
  // Custom fields are free text, kept trimmed as an import keeps them; an empty value removes the field.
  const attributeValues = new Map<AttributeField, string | null>();
  for (const { field, value } of assignments) if (isAttributeField(field)) attributeValues.set(field, value.trim() === '' ? null : value.trim());
  for (const [field, next] of attributeValues) {
    const old = attributes[field.slice('attr.'.length)] ?? null;
    if (old !== next) changes.push({ field, old, new: next });
  }
  return { changes, warnings };
}

/** The two ISO dates a numeric date like 01/02/1980 can mean (day first, month first), or null when it means one or none. */
function ambiguousDateReadings(value: string): [string, string] | null {
  if (parseDate(value).date !== null) return null;
  const dayFirst = parseDate(value, 'dmy').date;
  const monthFirst = parseDate(value, 'mdy').date;
  return dayFirst !== null && monthFirst !== null && dayFirst !== monthFirst ? [dayFirst, monthFirst] : null;
}
