import type { Transform } from '../apply-transform.js';
import type { Preset } from '../presets.js';
import { fallback, keepExtras, presetColumn as col } from './preset-column.js';
import { outlookColumns } from './outlook.js';

// Labels: "* myContacts ::: Navy"; `* ` marks the primary label; myContacts (every contact has it) is dropped.
const GOOGLE_LABELS: Transform = { kind: 'split-list', separators: [':::'], stripPrefix: '* ', drop: ['myContacts'] };
const MULTI_VALUE: Transform = { kind: 'split-list', separators: [':::'] };

/**
 * Google Contacts › Export › Google CSV, current (2023+: "First Name", "Labels",
 * "E-mail 1 - Label/Value") and legacy ("Name", "Given Name", "Group Membership",
 * "E-mail 1 - Type/Value") layouts. E-mail/Phone/Address groups grow with the data
 * (`{n}`); a cell may hold several values joined by " ::: ". The first e-mail and
 * phone become the fields, the others `email_2`, `phone_2`, ….
 */
export const GOOGLE_CONTACTS: Preset = {
  name: 'google-contacts',
  label: 'Google Contacts export (Google CSV)',
  kind: 'customers',
  source: 'google',
  required: ['Name Prefix', 'Name Suffix', 'Labels'],
  columns: [
    col('Name', 'full_name'),
    col(['First Name', 'Given Name'], 'first_name'),
    col(['Middle Name', 'Additional Name'], 'attr.middle_name'),
    col(['Last Name', 'Family Name'], 'last_name'),
    col(['Phonetic First Name', 'Phonetic Middle Name', 'Phonetic Last Name', 'Yomi Name', 'Given Name Yomi', 'Additional Name Yomi', 'Family Name Yomi', 'File As', 'Photo', 'Initials', 'Short Name', 'Billing Information', 'Directory Server', 'Mileage', 'Sensitivity', 'Priority', 'Subject'], 'ignore'),
    col('Name Prefix', 'attr.name_prefix'),
    col('Name Suffix', 'attr.name_suffix'),
    col('Nickname', 'attr.nickname'),
    col('Maiden Name', 'attr.maiden_name'),
    col(['Organization Name', 'Organization 1 - Name'], 'company'),
    col(['Organization Title', 'Organization 1 - Title'], 'job_title'),
    col(['Organization Department', 'Organization 1 - Department'], 'attr.department'),
    col(['Organization 1 - Type', 'Organization 1 - Yomi Name', 'Organization 1 - Symbol', 'Organization 1 - Location', 'Organization 1 - Job Description'], 'ignore'),
    col('Birthday', 'birth_date'),
    col('Gender', 'gender'),
    col('Occupation', 'occupation'),
    col(['Hobby', 'Location', 'Language'], 'ignore'),
    col('Notes', 'notes'),
    col(['Labels', 'Group Membership'], 'tags', { transform: GOOGLE_LABELS }),
    col(['E-mail {n} - Value'], 'email', { transform: MULTI_VALUE, ...keepExtras(-1) }),
    col(['Phone {n} - Value'], 'phone', { transform: MULTI_VALUE, ...keepExtras(-1) }),
    col(['E-mail {n} - Label', 'E-mail {n} - Type', 'Phone {n} - Label', 'Phone {n} - Type', 'Address {n} - Label', 'Address {n} - Type', 'Address {n} - Formatted'], 'ignore'),
    col('Address 1 - Street', 'address_line1'),
    col('Address 1 - Extended Address', 'address_line2'),
    col('Address 1 - City', 'city'),
    col('Address 1 - Region', 'region'),
    col('Address 1 - Postal Code', 'postal_code'),
    col('Address 1 - Country', 'country'),
    col('Address 1 - PO Box', 'attr.po_box'),
    col(['Website {n} - Value'], 'attr.website_{n}'),
    col(['Website {n} - Label', 'Website {n} - Type', 'Event {n} - Label', 'Event {n} - Type', 'Event {n} - Value', 'Custom Field {n} - Label', 'Custom Field {n} - Type', 'Custom Field {n} - Value', 'Relation {n} - Label', 'Relation {n} - Value', 'IM {n} - Label', 'IM {n} - Type', 'IM {n} - Service', 'IM {n} - Value'], 'ignore'),
  ],
};

/**
 * Google Contacts › Export › Outlook CSV: Outlook's column names with Google's
 * twists ("Home Country", not "Home Country/Region"; "Home Address" formatted
 * columns; Categories joined with ";" or " ::: ").
 */
export const GOOGLE_CONTACTS_OUTLOOK: Preset = {
  name: 'google-contacts-outlook',
  label: 'Google Contacts export (Outlook CSV)',
  kind: 'customers',
  source: 'google',
  required: ['E-mail Address', 'Business Phone', 'Home Country', ['Home Address', 'Business Address', 'Categories']],
  columns: [
    ...outlookColumns({ categories: { kind: 'split-list', separators: [';', ':::'], stripPrefix: '* ', drop: ['myContacts'] } }),
    col('Home Country', 'country', fallback(1)),
    col('Business Country', 'attr.business_country'),
    col('Other Country', 'attr.other_country'),
    // Formatted copies of the street/city/zip columns.
    col(['Home Address', 'Business Address', 'Other Address'], 'ignore'),
  ],
};
