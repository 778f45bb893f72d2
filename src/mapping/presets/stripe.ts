import type { Preset } from '../presets.js';
import { presetColumn as col } from './preset-column.js';

const CARD_DETAILS = [
  'Card ID', 'Card Last4', 'Card Brand', 'Card Funding', 'Card Exp Month', 'Card Exp Year', 'Card Issue Country',
  'Card Fingerprint', 'Card CVC Status', 'Card AVS Zip Status', 'Card AVS Line1 Status', 'Card Tokenization Method',
];

/**
 * Stripe Dashboard › Customers › Export ("unified_customers"). Guest customers have
 * an empty id and their address only in "Card Address …". Payment-card details are
 * deliberately ignored: a customer database has no use for them.
 */
export const STRIPE_CUSTOMERS: Preset = {
  name: 'stripe-customers',
  label: 'Stripe customers export',
  kind: 'customers',
  source: 'stripe',
  required: ['id', 'Email', 'Created (UTC)', ['Delinquent', 'Card Fingerprint', 'Total Spend']],
  columns: [
    col('id', 'external_id'),
    col('Description', 'notes'),
    col('Email', 'email'),
    col('Name', 'full_name'),
    col('Phone', 'phone'),
    col('Created (UTC)', 'signup_date'),
    col('Delinquent', 'attr.delinquent'),
    col('Card Name', 'attr.card_name'),
    col('Card Address Line1', 'address_line1'),
    col('Card Address Line2', 'address_line2'),
    col('Card Address City', 'city'),
    col('Card Address State', 'region'),
    col('Card Address Country', 'country'),
    col('Card Address Zip', 'postal_code'),
    col(CARD_DETAILS, 'ignore'),
    col('Plan', 'attr.plan'),
    col('Status', 'attr.status'),
    col('Cancel At Period End', 'attr.cancel_at_period_end'),
    col('Account Balance', 'attr.account_balance'),
    col('Currency', 'attr.currency'),
    col('Total Spend', 'attr.total_spend'),
    col('Payment Count', 'attr.payment_count'),
    col('Average Order', 'attr.average_order'),
    col('Refunded Volume', 'attr.refunded_volume'),
    col('Dispute Losses', 'attr.dispute_losses'),
    col('Business Vat ID', 'attr.business_vat_id'),
    col('Tax Location Recognized', 'attr.tax_location_recognized'),
  ],
};
