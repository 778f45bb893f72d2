import type { Preset } from '../presets.js';
import { COMMA_LIST, fallback, keepExtras, presetColumn as col, STRIP_APOSTROPHE } from './preset-column.js';

/**
 * Shopify Admin › Customers › Export. Three header generations share this preset:
 * pre-2022 ("Accepts Marketing", "Company", "Address1"), 2022 ("Accepts Email
 * Marketing", "Accepts SMS Marketing", no id) and 2023+ ("Customer ID", "Default
 * Address …"). Ids, phones and zips carry a protective leading apostrophe.
 * Metafield columns ("Label (customer.metafields.ns.key)") fall through to attributes.
 */
export const SHOPIFY_CUSTOMERS: Preset = {
  name: 'shopify-customers',
  label: 'Shopify customers export',
  kind: 'customers',
  source: 'shopify',
  required: ['First Name', 'Last Name', 'Email', 'Total Spent', 'Total Orders', 'Tax Exempt'],
  columns: [
    col('Customer ID', 'external_id', { transform: STRIP_APOSTROPHE }),
    col('First Name', 'first_name'),
    col('Last Name', 'last_name'),
    col('Email', 'email'),
    col(['Accepts Email Marketing', 'Accepts Marketing'], 'email_consent'),
    col('Accepts SMS Marketing', 'sms_consent'),
    col(['Default Address Company', 'Company'], 'company'),
    col(['Default Address Address1', 'Address1'], 'address_line1'),
    col(['Default Address Address2', 'Address2'], 'address_line2'),
    col(['Default Address City', 'City'], 'city'),
    col(['Default Address Province Code', 'Province Code'], 'region', fallback(1)),
    col('Province', 'region', fallback(2)),
    col(['Default Address Country Code', 'Country Code'], 'country', fallback(1)),
    col('Country', 'country', fallback(2)),
    col(['Default Address Zip', 'Zip'], 'postal_code', { transform: STRIP_APOSTROPHE }),
    col('Phone', 'phone', { transform: STRIP_APOSTROPHE, ...keepExtras(1) }),
    col('Default Address Phone', 'phone', { transform: STRIP_APOSTROPHE, ...keepExtras(2) }),
    col('Total Spent', 'attr.total_spent'),
    col('Total Orders', 'attr.total_orders'),
    col('Note', 'notes'),
    col('Tax Exempt', 'attr.tax_exempt'),
    col('Tags', 'tags', { transform: COMMA_LIST }),
    col('Accepts WhatsApp Marketing', 'attr.accepts_whatsapp_marketing'),
  ],
};
