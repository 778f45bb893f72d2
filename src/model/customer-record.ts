/** Marketing consent as stored: granted, denied, or null for unknown. */
export type ConsentState = 'granted' | 'denied';

/** A customer's stored, standardised fields (the columns of `customers` that imports and edits set). */
export interface CustomerValues {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  email_norm: string | null;
  phone: string | null;
  phone_e164: string | null;
  company: string | null;
  job_title: string | null;
  address_line1: string | null;
  address_line2: string | null;
  city: string | null;
  region: string | null;
  postal_code: string | null;
  country: string | null;
  birth_date: string | null;
  gender: string | null;
  occupation: string | null;
  income: string | null;
  email_consent: ConsentState | null;
  sms_consent: ConsentState | null;
  notes: string | null;
  signup_date: string | null;
}

export const CUSTOMER_VALUE_FIELDS: readonly (keyof CustomerValues)[] = [
  'first_name',
  'last_name',
  'email',
  'email_norm',
  'phone',
  'phone_e164',
  'company',
  'job_title',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'birth_date',
  'gender',
  'occupation',
  'income',
  'email_consent',
  'sms_consent',
  'notes',
  'signup_date',
];

/** Derived columns: set from another field, never compared or filled on their own. */
export const DERIVED_FIELDS: ReadonlySet<keyof CustomerValues> = new Set(['email_norm', 'phone_e164']);

export interface ExternalId {
  source: string;
  externalId: string;
}

/** One standardised incoming customer, ready to be matched and written. */
export interface CustomerRecord {
  values: CustomerValues;
  externalIds: ExternalId[];
  tags: string[];
  attributes: Record<string, string>;
}

export function emptyCustomerValues(): CustomerValues {
  return {
    first_name: null,
    last_name: null,
    email: null,
    email_norm: null,
    phone: null,
    phone_e164: null,
    company: null,
    job_title: null,
    address_line1: null,
    address_line2: null,
    city: null,
    region: null,
    postal_code: null,
    country: null,
    birth_date: null,
    gender: null,
    occupation: null,
    income: null,
    email_consent: null,
    sms_consent: null,
    notes: null,
    signup_date: null,
  };
}
