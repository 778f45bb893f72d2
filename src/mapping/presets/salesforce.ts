import type { Preset } from '../presets.js';
import { keepExtras, presetColumn as col } from './preset-column.js';

/**
 * Salesforce Contact records from Data Loader (or a report using API names).
 * Header casing varies by Data Loader version (≤ v60 upper-cases everything), so
 * matching is case-insensitive. `HasOptedOutOfEmail` means the opposite of
 * consent and is inverted.
 */
export const SALESFORCE_CONTACTS: Preset = {
  name: 'salesforce-contacts',
  label: 'Salesforce contacts (Data Loader / API field names)',
  kind: 'customers',
  source: 'salesforce',
  required: ['Id', 'LastName', ['AccountId', 'MailingStreet', 'MailingCity', 'MailingPostalCode', 'HasOptedOutOfEmail', 'OwnerId', 'MobilePhone', 'CreatedDate', 'LeadSource']],
  columns: [
    col('Id', 'external_id'),
    col('AccountId', 'attr.account_id'),
    col('LastName', 'last_name'),
    col('FirstName', 'first_name'),
    col('Salutation', 'attr.salutation'),
    col('Name', 'full_name'),
    col('MailingStreet', 'address_line1'),
    col('MailingCity', 'city'),
    col('MailingState', 'region'),
    col('MailingPostalCode', 'postal_code'),
    col('MailingCountry', 'country'),
    col('Phone', 'phone', keepExtras(1)),
    col('MobilePhone', 'phone', keepExtras(2)),
    col('HomePhone', 'phone', keepExtras(3)),
    col('Email', 'email'),
    col('Title', 'job_title'),
    col('Department', 'attr.department'),
    col('LeadSource', 'attr.lead_source'),
    col('Description', 'notes'),
    col('HasOptedOutOfEmail', 'email_consent', { transform: { kind: 'invert-boolean' } }),
    col('Birthdate', 'birth_date'),
    col('OwnerId', 'attr.owner_id'),
    col('CreatedDate', 'signup_date'),
    col('DoNotCall', 'attr.do_not_call'),
    col('HasOptedOutOfFax', 'attr.has_opted_out_of_fax'),
  ],
};
