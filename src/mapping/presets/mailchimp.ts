import type { Preset, PresetColumn } from '../presets.js';
import { fallback, presetColumn as col } from './preset-column.js';

/**
 * Mailchimp audience export: a ZIP of three CSVs (subscribed, unsubscribed,
 * cleaned) with the same columns, the latter two adding UNSUB_* / CLEAN_* columns.
 * Consent is not a column: it follows the file. Subscribed → email_consent yes;
 * unsubscribed → no; cleaned (hard-bounced) → no as well: the address no longer
 * takes mail, so nothing may be sent to it until the person gives it again.
 * The row's OPTIN_TIME / UNSUB_TIME / CLEAN_TIME date that answer
 * (src/privacy/consent-statement.ts); every row records `attr.mailchimp_status`.
 * Audience-specific merge fields sit between the names and MEMBER_RATING and
 * become attributes.
 */
const COLUMNS: readonly PresetColumn[] = [
  col('Email Address', 'email'),
  col('First Name', 'first_name'),
  col('Last Name', 'last_name'),
  // The address merge field holds the whole address on one line.
  col('Address', 'address_line1'),
  col('Phone Number', 'phone'),
  col('Birthday', 'birth_date'),
  col('Company', 'company'),
  col('MEMBER_RATING', 'attr.member_rating'),
  col('OPTIN_TIME', 'signup_date', fallback(1)),
  col('CONFIRM_TIME', 'signup_date', fallback(2)),
  col(['OPTIN_IP', 'CONFIRM_IP', 'LATITUDE', 'LONGITUDE', 'GMTOFF', 'DSTOFF'], 'ignore'),
  col('TIMEZONE', 'attr.timezone'),
  col('CC', 'country'),
  col('REGION', 'region'),
  col('LAST_CHANGED', 'attr.last_changed'),
  col('LEID', 'attr.mailchimp_leid'),
  col('EUID', 'external_id'),
  col('NOTES', 'notes'),
  col('TAGS', 'tags', { transform: { kind: 'quoted-list' } }),
];

const UNSUB_COLUMNS: readonly PresetColumn[] = [
  col('UNSUB_TIME', 'attr.unsubscribed_at'),
  col('UNSUB_CAMPAIGN_TITLE', 'attr.unsub_campaign_title'),
  col('UNSUB_CAMPAIGN_ID', 'attr.unsub_campaign_id'),
  col('UNSUB_REASON', 'attr.unsub_reason'),
  col('UNSUB_REASON_OTHER', 'attr.unsub_reason_other'),
];

const CLEAN_COLUMNS: readonly PresetColumn[] = [
  col('CLEAN_TIME', 'attr.cleaned_at'),
  col('CLEAN_CAMPAIGN_TITLE', 'attr.clean_campaign_title'),
  col('CLEAN_CAMPAIGN_ID', 'attr.clean_campaign_id'),
];

const REQUIRED = ['Email Address', 'MEMBER_RATING', 'OPTIN_TIME', 'LAST_CHANGED'] as const;

export const MAILCHIMP_SUBSCRIBED: Preset = {
  name: 'mailchimp-subscribed',
  label: 'Mailchimp audience export: subscribed members',
  kind: 'customers',
  source: 'mailchimp',
  required: REQUIRED,
  forbidden: ['UNSUB_TIME', 'CLEAN_TIME'],
  columns: COLUMNS,
  constants: { email_consent: 'yes', 'attr.mailchimp_status': 'subscribed' },
};

export const MAILCHIMP_UNSUBSCRIBED: Preset = {
  name: 'mailchimp-unsubscribed',
  label: 'Mailchimp audience export: unsubscribed members',
  kind: 'customers',
  source: 'mailchimp',
  required: [...REQUIRED, 'UNSUB_TIME'],
  columns: [...COLUMNS, ...UNSUB_COLUMNS],
  constants: { email_consent: 'no', 'attr.mailchimp_status': 'unsubscribed' },
};

export const MAILCHIMP_CLEANED: Preset = {
  name: 'mailchimp-cleaned',
  label: 'Mailchimp audience export: cleaned (bounced) members',
  kind: 'customers',
  source: 'mailchimp',
  required: [...REQUIRED, 'CLEAN_TIME'],
  columns: [...COLUMNS, ...CLEAN_COLUMNS],
  constants: { email_consent: 'no', 'attr.mailchimp_status': 'cleaned' },
};
