import type { Preset } from '../presets.js';
import { presetColumn as col } from './preset-column.js';

/**
 * Stripe Dashboard › Payments › Export. The current export ("unified_payments",
 * 2024) writes `Created date (UTC)` and `Refunded date (UTC)`; the older one
 * `Created (UTC)` and `Seller Message`, in another order — both are aliases here,
 * matched by name. One row per payment, no line items (`Description` is free text such as "Payment for
 * invoice 0001", not a product); amounts in major units,
 * currency lower-case (`usd`). `id` (py_…/ch_…) is the payment; `Customer ID`
 * (cus_…) is the same id a Stripe customers export carries, so payments link to
 * customers imported from Stripe. Card details are ignored. Older files were
 * often re-saved by Excel in a UK locale (`25/01/2021 10:15`); the day/month
 * order is decided from the file. Guest payments may carry the email in `Card Name`.
 */
export const STRIPE_PAYMENTS: Preset = {
  name: 'stripe-payments',
  label: 'Stripe payments export',
  kind: 'orders',
  source: 'stripe',
  required: ['id', 'Amount', 'Currency', 'Status', ['Created date (UTC)', 'Created (UTC)'], ['Customer Email', 'Customer ID']],
  columns: [
    col('id', 'order_id'),
    col(['Created date (UTC)', 'Created (UTC)'], 'ordered_at'),
    col('Amount', 'total'),
    col('Amount Refunded', 'refunded'),
    col('Currency', 'currency'),
    col('Status', 'status'),
    col('Tax', 'tax'),
    col('Customer ID', 'customer_external_id'),
    col('Customer Email', 'email'),
    col('Customer Phone', 'phone'),
    col('Card Name', 'full_name', { multi: { rank: 2, extras: 'drop' } }),
    col('Shipping Name', 'full_name', { multi: { rank: 3, extras: 'drop' } }),
    col('Customer Description', 'full_name', { multi: { rank: 1, extras: 'drop' } }),
    col('Card Address Line1', 'address_line1'),
    col('Card Address Line2', 'address_line2'),
    col('Card Address City', 'city'),
    col('Card Address State', 'region'),
    col('Card Address Country', 'country'),
    col('Card Address Zip', 'postal_code'),
    col(
      [
        'Description', 'Captured', 'Converted Amount', 'Converted Amount Refunded', 'Converted Currency', 'Fee', 'Is Link', 'Mode',
        'PaymentIntent ID', 'Payment Source Type', 'Refunded date (UTC)', 'Statement Descriptor', 'Seller Message',
        'Taxes On Fee', 'Card ID', 'Card AVS Line1 Status', 'Card AVS Zip Status', 'Card Brand', 'Card CVC Status',
        'Card Exp Month', 'Card Exp Year', 'Card Fingerprint', 'Card Funding', 'Card Issue Country', 'Card Last4',
        'Card Tokenization Method', 'Shipping Address Line1', 'Shipping Address Line2', 'Shipping Address City',
        'Shipping Address State', 'Shipping Address Country', 'Shipping Address Postal Code', 'Disputed Amount',
        'Dispute Date (UTC)', 'Dispute Evidence Due (UTC)', 'Dispute Reason', 'Dispute Status', 'Invoice ID',
        'Invoice Number', 'Checkout Session ID', 'Checkout Custom Field {n} Key', 'Checkout Custom Field {n} Value',
        'Checkout Line Item Summary', 'Checkout Promotional Consent', 'Checkout Terms of Service Consent',
        'Client Reference ID', 'Payment Link ID', 'UTM Campaign', 'UTM Content', 'UTM Medium', 'UTM Source', 'UTM Term',
        'Application Fee', 'Application ID', 'Destination', 'Transfer', 'Transfer Group', 'Interchange Costs', 'Merchant Service Charge',
      ],
      'ignore',
    ),
  ],
};
