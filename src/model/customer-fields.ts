/**
 * The canonical customer fields: import targets, export columns and query
 * fields all use these snake_case names (DESIGN.md, "Command contract").
 */
export const CUSTOMER_FIELDS = [
  'external_id',
  'first_name',
  'last_name',
  'full_name',
  'email',
  'phone',
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
  'tags',
  'notes',
  'signup_date',
] as const;

export type CustomerField = (typeof CUSTOMER_FIELDS)[number];

/** Fields that identify a person on their own: a row needs at least one to be a customer. */
export const IDENTIFYING_FIELDS = ['external_id', 'email', 'phone', 'first_name', 'last_name', 'full_name'] as const;

export function isCustomerField(name: string): name is CustomerField {
  return (CUSTOMER_FIELDS as readonly string[]).includes(name);
}
