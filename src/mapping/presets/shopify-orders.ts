import type { Preset } from '../presets.js';
import { presetColumn as col, STRIP_APOSTROPHE } from './preset-column.js';

/**
 * Shopify Admin › Orders › Export. One row per line item: the first row of an
 * order carries its totals, status and billing address; the rows after it
 * repeat `Name`, `Email` and `Created at` with those cells blank. `Name` (#1044)
 * is the order number a merchant sees and the only id on every row (`Id` is on
 * the first row only). Taxes are also split into "Tax N Name/Value" pairs; the
 * `Taxes` total is what custdb keeps. Newer exports add `Phone`. `Accepts
 * Marketing` (yes/no, per order) is the buyer's email consent when custdb
 * does not know it yet.
 */
export const SHOPIFY_ORDERS: Preset = {
  name: 'shopify-orders',
  label: 'Shopify orders export',
  kind: 'orders',
  source: 'shopify',
  required: ['Name', 'Email', 'Financial Status', 'Created at', 'Lineitem name', 'Total'],
  columns: [
    col('Name', 'order_id'),
    col('Email', 'email'),
    col('Financial Status', 'status'),
    col('Currency', 'currency'),
    col('Subtotal', 'subtotal'),
    col('Shipping', 'shipping'),
    col('Taxes', 'tax'),
    col('Total', 'total'),
    col('Discount Amount', 'discount'),
    col('Created at', 'ordered_at'),
    col('Lineitem quantity', 'item_quantity'),
    col('Lineitem name', 'item_name'),
    col('Lineitem price', 'item_price'),
    col('Lineitem sku', 'item_sku'),
    col('Billing Name', 'full_name'),
    col('Billing Address1', 'address_line1'),
    col('Billing Address2', 'address_line2'),
    col('Billing Company', 'company'),
    col('Billing City', 'city'),
    col('Billing Zip', 'postal_code', { transform: STRIP_APOSTROPHE }),
    col('Billing Province', 'region'),
    col('Billing Country', 'country'),
    col('Accepts Marketing', 'email_consent'),
    col('Phone', 'phone', { transform: STRIP_APOSTROPHE, multi: { rank: 1, extras: 'drop' } }),
    col('Billing Phone', 'phone', { transform: STRIP_APOSTROPHE, multi: { rank: 2, extras: 'drop' } }),
    col('Cancelled at', 'cancelled_at'),
    col('Refunded Amount', 'refunded'),
    col(
      [
        'Id', 'Paid at', 'Fulfillment Status', 'Fulfilled at', 'Discount Code', 'Shipping Method',
        'Lineitem compare at price', 'Lineitem requires shipping', 'Lineitem taxable', 'Lineitem fulfillment status',
        'Lineitem discount', 'Billing Street', 'Shipping Name', 'Shipping Street', 'Shipping Address1', 'Shipping Address2',
        'Shipping Company', 'Shipping City', 'Shipping Zip', 'Shipping Province', 'Shipping Country', 'Shipping Phone',
        'Notes', 'Note Attributes', 'Payment Method', 'Payment Reference', 'Vendor', 'Outstanding Balance', 'Employee',
        'Location', 'Device ID', 'Tags', 'Risk Level', 'Source', 'Tax {n} Name', 'Tax {n} Value', 'Receipt Number',
        'Duties', 'Billing Province Name', 'Shipping Province Name', 'Payment ID', 'Payment Terms Name',
        'Next Payment Due At', 'Payment References',
      ],
      'ignore',
    ),
  ],
};
