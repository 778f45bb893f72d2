import type { Preset } from '../presets.js';
import { presetColumn as col } from './preset-column.js';

/**
 * WooCommerce › Analytics › Orders › Download. One row per order; the line items
 * are packed into `Product(s)` as `2× Hoodie, 1× Cap`. There is no email
 * column: `Customer` is the customer's name, which then serves as the
 * customer's id within the source (see normalizeOrder). `N. Revenue (formatted)` carries a
 * currency symbol; newer exports rename the last column `Net Sales` and add
 * `Attribution`.
 */
export const WOOCOMMERCE_ORDERS: Preset = {
  name: 'woocommerce-orders',
  label: 'WooCommerce Analytics orders export',
  kind: 'orders',
  source: 'woocommerce',
  required: ['Order #', 'Date', 'Status', ['Product(s)', 'Items sold'], ['N. Revenue (formatted)', 'Net Sales', 'N. Revenue']],
  columns: [
    col(['Order #', 'Order'], 'order_id'),
    col('Date', 'ordered_at'),
    col('Status', 'status'),
    col('Customer', 'full_name'),
    col(['Customer Email', 'Email'], 'email'),
    col('Product(s)', 'items'),
    col(['N. Revenue (formatted)', 'N. Revenue', 'Net Sales'], 'total', { multi: { rank: 1, extras: 'drop' } }),
    col(['Customer type', 'Customer Type', 'Items sold', 'Coupon(s)', 'Attribution'], 'ignore'),
  ],
};
