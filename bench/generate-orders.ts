/**
 * Deterministic orders CSVs for timing `custdb import --as orders`: the same
 * seed and row count always give the same bytes. Pure: returns lines, writes
 * nothing. Shaped like a Shopify orders export, trimmed to the columns custdb
 * reads: one row per line item (1–4 per order), the order's totals on its
 * first row only, later rows repeating the order id, email and date with the
 * other order cells blank. About 20 rows per customer (so most orders link
 * to a customer created earlier in the file), ~120 bytes a row.
 */

import { createRandom } from '../src/dedupe/create-random.js';

export interface OrderCsvOptions {
  /** Data rows (line items), not orders. */
  rows: number;
  seed?: number;
  /** Distinct customers; default one per 20 rows. */
  customers?: number;
}

export const ORDER_CSV_HEADER = [
  'Order ID',
  'Created At',
  'Email',
  'Billing Name',
  'Financial Status',
  'Currency',
  'Subtotal',
  'Shipping',
  'Taxes',
  'Total',
  'Lineitem sku',
  'Lineitem name',
  'Lineitem quantity',
  'Lineitem price',
] as const;

/** Bump when the output for a given seed changes, so cached files are regenerated. */
export const ORDER_GENERATOR_VERSION = 1;

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'John', 'Radia', 'Tim', 'Hedy', 'Edsger', 'Karen', 'Niklaus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Backus', 'Perlman', 'Berners-Lee', 'Lamarr', 'Dijkstra', 'Jones', 'Wirth'];
const PRODUCTS = 400;
const STATUSES = ['paid', 'paid', 'paid', 'paid', 'paid', 'paid', 'refunded', 'partially_refunded', 'pending'];

function money(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * The header line, then exactly `rows` data lines.
 * @example [...orderCsvLines({ rows: 3 })].length // 4
 */
export function* orderCsvLines(options: OrderCsvOptions): Generator<string> {
  const random = createRandom(options.seed ?? 1);
  const customers = Math.max(1, options.customers ?? Math.ceil(options.rows / 20));
  const start = Date.UTC(2022, 0, 1);
  const span = 3 * 365 * 24 * 3600 * 1000;
  yield ORDER_CSV_HEADER.join(',');
  let written = 0;
  let order = 1000;
  while (written < options.rows) {
    order += 1;
    const itemCount = Math.min(options.rows - written, 1 + Math.floor(random() * random() * 4));
    const customer = Math.floor(random() * customers);
    const email = `customer${customer}@example.com`;
    const name = `${FIRST[customer % FIRST.length]} ${LAST[Math.floor(customer / FIRST.length) % LAST.length]}`;
    const when = new Date(start + Math.floor(random() * span)).toISOString().replace('T', ' ').slice(0, 19) + ' -0500';
    const items: { sku: string; name: string; quantity: number; price: number }[] = [];
    for (let i = 0; i < itemCount; i++) {
      const product = Math.floor(random() * PRODUCTS);
      items.push({ sku: `SKU-${product}`, name: `Product ${product}`, quantity: 1 + Math.floor(random() * random() * 3), price: 499 + (product * 137) % 9500 });
    }
    const subtotal = items.reduce((sum, item) => sum + item.price * item.quantity, 0);
    const shipping = subtotal > 5000 ? 0 : 495;
    const tax = Math.round(subtotal * 0.08);
    const status = STATUSES[Math.floor(random() * STATUSES.length)] ?? 'paid';
    for (const [i, item] of items.entries()) {
      const head = i === 0 ? [status, 'USD', money(subtotal), money(shipping), money(tax), money(subtotal + shipping + tax)] : ['', '', '', '', '', ''];
      yield [`#${order}`, when, email, i === 0 ? name : '', ...head, item.sku, item.name, String(item.quantity), money(item.price)].join(',');
    }
    written += itemCount;
  }
}
