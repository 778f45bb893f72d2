import type { Preset } from '../presets.js';
import { presetColumn as col, STRIP_APOSTROPHE } from './preset-column.js';

/**
 * Square Dashboard › Customers › Export. Some regions label the last name
 * "Surname"; phones (and sometimes ids/zips) carry a leading apostrophe; custom
 * attributes and groups become extra trailing columns (kept as attributes).
 * Consent is "Email Subscription Status"; older exports had "Email Unsubscribed".
 */
export const SQUARE_CUSTOMERS: Preset = {
  name: 'square-customers',
  label: 'Square customers export',
  kind: 'customers',
  source: 'square',
  required: ['Square Customer ID', ['Reference ID', 'Transaction Count', 'Lifetime Spend', 'Creation Source']],
  columns: [
    col('Square Customer ID', 'external_id', { transform: STRIP_APOSTROPHE }),
    col('Reference ID', 'attr.reference_id', { transform: STRIP_APOSTROPHE }),
    col(['First Name', 'Given Name'], 'first_name'),
    col(['Last Name', 'Surname', 'Family Name'], 'last_name'),
    col(['Email Address', 'Email'], 'email'),
    col(['Phone Number', 'Phone'], 'phone', { transform: STRIP_APOSTROPHE }),
    col('Nickname', 'attr.nickname'),
    col(['Company Name', 'Company'], 'company'),
    col('Street Address 1', 'address_line1'),
    col('Street Address 2', 'address_line2'),
    col('City', 'city'),
    col(['State', 'Province', 'State/Province'], 'region'),
    col(['Postal Code', 'ZIP Code'], 'postal_code', { transform: STRIP_APOSTROPHE }),
    col('Country', 'country'),
    col('Birthday', 'birth_date'),
    col(['Memo', 'Note'], 'notes'),
    col('Creation Source', 'attr.creation_source'),
    col('First Visit', 'signup_date'),
    col('Last Visit', 'attr.last_visit'),
    col('Transaction Count', 'attr.transaction_count'),
    col('Lifetime Spend', 'attr.lifetime_spend'),
    col('Email Subscription Status', 'email_consent', {
      transform: {
        kind: 'map-values',
        values: { subscribed: 'yes', 'opted in': 'yes', unsubscribed: 'no', 'opted out': 'no', 'not subscribed': 'no' },
      },
    }),
    col('Email Unsubscribed', 'email_consent', { transform: { kind: 'invert-boolean' } }),
    col('Instant Profile', 'attr.instant_profile'),
    col('Blocked from online booking', 'attr.blocked_from_online_booking'),
  ],
};
