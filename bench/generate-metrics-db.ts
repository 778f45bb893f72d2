/**
 * A deterministic custdb database for timing reads of the customer metrics:
 * `customers` customers, five orders and one interaction per customer on
 * average, spread unevenly (about a quarter of the customers never ordered,
 * a few ordered hundreds of times), with refunded and cancelled orders, a
 * sprinkle of orders in a second currency and 1% merged customers.
 *
 * Built as bench/build-sqlite-bench-db.ts builds every bench database (schema by
 * `custdb init`, direct inserts, stored metrics by `custdb doctor --fix`);
 * `custdb import` is timed elsewhere (bench/orders.ts). Order items and
 * identities are not generated, as no metric reads them.
 */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { createRandom } from '../src/dedupe/create-random.js';
import { buildSqliteBenchDb } from './build-sqlite-bench-db.js';

/** Bump when the rows for a given size change, so cached databases are rebuilt. */
export const METRICS_DB_VERSION = 1;

export interface MetricsDbOptions {
  customers: number;
  /** Orders per customer on average (default 5). */
  ordersPerCustomer?: number;
  /** Interactions per customer on average (default 1). */
  interactionsPerCustomer?: number;
  seed?: number;
}

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Frances', 'John', 'Radia', 'Tim', 'Hedy', 'Edsger', 'Karen', 'Niklaus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Allen', 'Backus', 'Perlman', 'Berners-Lee', 'Lamarr', 'Dijkstra', 'Jones', 'Wirth'];
const CITIES = ['Springfield', 'Riverton', 'Lakeside', 'Hillview', 'Fairview', 'Georgetown', 'Madison', 'Franklin', 'Clinton', 'Salem'];
/** Weighted: most orders are paid; refunded/cancelled/failed ones are not counted. */
const STATUSES = [...Array<string>(44).fill('paid'), 'refunded', 'refunded', 'refunded', 'cancelled', 'pending', 'failed'];
const KINDS = ['support', 'complaint', 'inquiry', 'feedback', 'note'];
const CHANNELS = ['email', 'phone', 'chat', 'in-store'];
const DAY = 86_400_000;

/** The file name a database of this shape is cached under. */
export function metricsDbName(options: MetricsDbOptions): string {
  const orders = options.customers * (options.ordersPerCustomer ?? 5);
  return `metrics-g${METRICS_DB_VERSION}-s${options.seed ?? 1}-${options.customers}c-${orders}o.db`;
}

/** Builds the database at `file` unless it is already there; `custdbBin` is the bin/custdb.js whose `init` makes the schema. Returns the path. */
export function ensureMetricsDb(file: string, options: MetricsDbOptions, custdbBin: string, log: (line: string) => void): string {
  buildSqliteBenchDb(file, { tables: ['customers', 'orders', 'interactions'], writeRows: (db) => writeRows(db, options) }, custdbBin, log);
  return file;
}

function writeRows(db: BetterSqlite3.Database, options: MetricsDbOptions): void {
  const random = createRandom(options.seed ?? 1);
  const n = options.customers;
  const now = Date.now();
  const created = new Date(now - 5 * 365 * DAY).toISOString();
  const insertCustomer = db.prepare(
    `INSERT INTO customers (id, status, merged_into, first_name, last_name, email, email_norm, phone, phone_e164, address_line1, city, postal_code, country, signup_date, email_consent, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'US', ?, ?, ?, ?)`,
  );
  for (let id = 1; id <= n; id++) {
    // Every hundredth customer was merged into the one before (its orders moved there).
    const merged = id % 100 === 0;
    const first = FIRST[id % FIRST.length] ?? 'Ada';
    const last = LAST[Math.floor(id / FIRST.length) % LAST.length] ?? 'Lovelace';
    const email = `${first.toLowerCase()}.${last.toLowerCase()}${id}@example.com`;
    const phone = random() < 0.6 ? `+1415${String(1_000_000 + id).slice(-7)}` : null;
    const signup = new Date(now - Math.floor(random() * 5 * 365) * DAY).toISOString().slice(0, 10);
    insertCustomer.run(
      id, merged ? 'merged' : 'active', merged ? id - 1 : null, first, last, email, email, phone, phone,
      `${1 + (id % 400)} Main Street`, CITIES[id % CITIES.length] ?? 'Salem', String(10000 + (id % 89999)), signup,
      random() < 0.5 ? 'granted' : null, created, created,
    );
  }

  // Buyers are three quarters of the customers, scattered over the ids; squaring a uniform draw makes a few of
  // them order very often and most of them a handful of times.
  const buyers = Math.max(1, Math.floor(n * 0.75));
  const customerOf = (): number => {
    const rank = Math.floor(random() * random() * buyers);
    const id = 1 + ((rank * 7919) % n);
    return id % 100 === 0 ? id - 1 : id;
  };
  const span = 4 * 365 * DAY;
  const insertOrder = db.prepare(
    `INSERT INTO orders (customer_id, source, external_id, ordered_at, status, currency, subtotal_minor, shipping_minor, tax_minor, total_minor, created_at)
     VALUES (?, 'shop', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const orders = n * (options.ordersPerCustomer ?? 5);
  for (let k = 1; k <= orders; k++) {
    const subtotal = 500 + Math.floor(random() * random() * 30000);
    const tax = Math.round(subtotal * 0.08);
    const shipping = subtotal > 5000 ? 0 : 495;
    const at = new Date(now - Math.floor(random() * span)).toISOString();
    const status = STATUSES[Math.floor(random() * STATUSES.length)] ?? 'paid';
    const currency = random() < 0.002 ? 'EUR' : 'USD';
    insertOrder.run(customerOf(), `B${k}`, at, status, currency, subtotal, shipping, tax, subtotal + shipping + tax, at);
  }

  const insertInteraction = db.prepare(
    `INSERT INTO interactions (customer_id, occurred_at, channel, kind, summary, source, external_id, created_at) VALUES (?, ?, ?, ?, ?, 'helpdesk', ?, ?)`,
  );
  const interactions = n * (options.interactionsPerCustomer ?? 1);
  for (let k = 1; k <= interactions; k++) {
    const at = new Date(now - Math.floor(random() * span)).toISOString();
    insertInteraction.run(customerOf(), at, CHANNELS[k % CHANNELS.length] ?? 'email', KINDS[k % KINDS.length] ?? 'note', `Ticket ${k}`, `T${k}`, at);
  }
}
