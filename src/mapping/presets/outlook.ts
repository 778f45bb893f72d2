import type { Transform } from '../apply-transform.js';
import type { Preset, PresetColumn } from '../presets.js';
import { fallback, keepExtras, presetColumn as col } from './preset-column.js';

const ATTRIBUTE_COLUMNS = [
  'Suffix', 'Nickname', 'Initials', 'Department', 'Office Location', "Manager's Name", "Assistant's Name", 'Spouse', 'Children',
  'Anniversary', 'Web Page', 'Personal Web Page', 'Referred By', 'Account', 'Language', 'Hobby', 'Schools', 'Location',
  'Business Street', 'Business Street 2', 'Business Street 3', 'Business City', 'Business State', 'Business Postal Code',
  'Business Country/Region', 'Business Address PO Box', 'Home Address PO Box', 'Other Street', 'Other Street 2', 'Other Street 3',
  'Other City', 'Other State', 'Other Postal Code', 'Other Country/Region', 'Other Address PO Box', 'Keywords', 'User 1', 'User 2', 'User 3', 'User 4',
];

/** Outlook desktop writes "0/0/00" for a date it does not have. */
const NO_DATE: Transform = { kind: 'map-values', values: { '0/0/00': '' } };

const IGNORED_COLUMNS = [
  'Given Yomi', 'Surname Yomi', 'Company Yomi', 'E-mail Type', 'E-mail Display Name', 'E-mail 2 Type', 'E-mail 2 Display Name',
  'E-mail 3 Type', 'E-mail 3 Display Name', 'Internet Free Busy', 'Billing Information', 'Directory Server', 'Mileage', 'Sensitivity',
  'Priority', 'Private', 'Government ID Number', 'Organizational ID Number', 'IMAddress', 'Pager', 'Business Fax', 'Home Fax', 'Other Fax',
  'Telex', 'TTY/TDD Phone', 'Radio Phone', 'Callback', 'ISDN',
];

// Phones in the order their value is preferred; the others become phone_2, phone_3, ….
const PHONES = ['Mobile Phone', 'Primary Phone', 'Home Phone', 'Business Phone', 'Home Phone 2', 'Business Phone 2', 'Company Main Phone', 'Car Phone', 'Other Phone', "Assistant's Phone"];

/**
 * The columns Outlook (and Google's "Outlook CSV") share. "Title" is the
 * honorific (Mr, Dr), not the job title, which is "Job Title". The Home address is
 * the customer's address; Business and Other addresses stay attributes.
 */
export function outlookColumns(options: { categories: Transform }): PresetColumn[] {
  return [
    col('First Name', 'first_name'),
    col('Middle Name', 'attr.middle_name'),
    col('Last Name', 'last_name'),
    col('Title', 'attr.salutation'),
    col('Company', 'company'),
    col('Job Title', 'job_title'),
    col('Profession', 'occupation'),
    col('E-mail Address', 'email', keepExtras(1)),
    col('E-mail 2 Address', 'email', keepExtras(2)),
    col('E-mail 3 Address', 'email', keepExtras(3)),
    ...PHONES.map((header, rank) => col(header, 'phone', keepExtras(rank + 1))),
    col('Home Street', 'address_line1'),
    col('Home Street 2', 'address_line2'),
    col('Home Street 3', 'attr.home_street_3'),
    col('Home City', 'city'),
    col('Home State', 'region'),
    col('Home Postal Code', 'postal_code'),
    col('Home Country/Region', 'country', fallback(1)),
    col('Birthday', 'birth_date', { transform: NO_DATE }),
    col('Gender', 'gender'),
    col('Notes', 'notes'),
    col('Categories', 'tags', { transform: options.categories }),
    ...ATTRIBUTE_COLUMNS.map((header) => col(header, `attr.${header}`, header === 'Anniversary' ? { transform: NO_DATE } : {})),
    col(IGNORED_COLUMNS, 'ignore'),
  ];
}

/**
 * Outlook.com (People › Export contacts, 61 columns) and Outlook desktop (File ›
 * Export, 92 quoted columns, usually Windows-1252). Categories are joined with ";".
 */
export const OUTLOOK_CONTACTS: Preset = {
  name: 'outlook-contacts',
  label: 'Outlook contacts export (Outlook.com or desktop)',
  kind: 'customers',
  source: 'outlook',
  required: ['E-mail Address', 'Business Phone', 'Home Country/Region'],
  columns: outlookColumns({ categories: { kind: 'split-list', separators: [';'] } }),
};
