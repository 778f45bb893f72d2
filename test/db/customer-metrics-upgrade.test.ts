import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { EXCLUDED_ORDER_STATUSES } from '../../src/db/customer-metrics.js';
import { openStore } from '../../src/db/open-store.js';
import { expectStoredMetricsRight } from '../helpers/expect-stored-metrics.js';

const SCHEMA = new URL('../../schema/sqlite/', import.meta.url);
/** The migrations released before the stored metrics existed. */
const BEFORE_STORED_METRICS = ['0001-initial', '0002-orders-metrics-index'];

/** A database as custdb left it before the upgrade: migrations 0001–0002 applied, with history in it. */
function databaseFromBeforeTheUpgrade(file: string): void {
  const db = new BetterSqlite3(file);
  try {
    db.exec('CREATE TABLE schema_migrations (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, applied_at TEXT NOT NULL)');
    BEFORE_STORED_METRICS.forEach((name, k) => {
      db.exec(readFileSync(new URL(`${name}.sql`, SCHEMA), 'utf8'));
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(k + 1, name, '2026-01-01T00:00:00.000Z');
    });
    const customer = db.prepare(`INSERT INTO customers (id, first_name, status, merged_into, created_at, updated_at) VALUES (?, ?, ?, ?, 't', 't')`);
    const order = db.prepare(`INSERT INTO orders (customer_id, source, external_id, ordered_at, status, currency, total_minor, created_at) VALUES (?, 'shop', ?, ?, ?, ?, ?, 't')`);
    const interaction = db.prepare(`INSERT INTO interactions (customer_id, occurred_at, kind, created_at) VALUES (?, ?, 'note', 't')`);
    for (const [id, name] of ['Ann', 'Ben', 'Cat', 'Dev', 'Eli', 'Fay'].entries()) customer.run(id + 1, name, 'active', null);
    customer.run(7, 'Gil', 'merged', 1);
    let n = 0;
    const add = (who: number, status: string, currency: string | null, total: number, day: number) =>
      order.run(who, `O-${++n}`, `2025-0${1 + (day % 9)}-1${day % 10}T12:00:00.000Z`, status, currency, total);
    // Ann: counted orders, and one of each status that is not counted (stored as an older custdb or another tool wrote them).
    add(1, 'paid', 'USD', 1000, 1);
    add(1, 'pending', 'USD', 500, 2);
    add(1, 'partially_refunded', null, 250, 3);
    for (const [k, status] of EXCLUDED_ORDER_STATUSES.entries()) add(1, status, 'USD', 99_999, 4 + k);
    // Ben: two currencies (mixed, not summed); Cat: only orders that are not counted, and interactions; Dev: interactions only.
    add(2, 'paid', 'USD', 1000, 1);
    add(2, 'paid', 'EUR', 2000, 2);
    add(3, 'refunded', 'USD', 700, 3);
    add(3, 'cancelled', 'GBP', 700, 4);
    for (const who of [3, 3, 4]) interaction.run(who, `2025-03-0${who}T09:00:00.000Z`);
    // Eli: orders without a currency only; Fay: nothing at all.
    add(5, 'paid', null, 300, 5);
    add(5, 'paid', null, 400, 6);
  } finally {
    db.close();
  }
}

describe('migration 0003-customer-metrics', () => {
  it('fills the stored metrics of an existing database so that they read exactly as the orders say', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'custdb-upgrade-')), 'customers.db');
    databaseFromBeforeTheUpgrade(file);
    const { store, applied } = await openStore({ location: file, create: false, migrations: 'apply' });
    try {
      // 0003 first; later migrations follow it.
      expect(applied[0]).toBe('0003-customer-metrics');
      await expectStoredMetricsRight(store, 'after the upgrade');
      const row = async (id: number) =>
        (await sql`SELECT orders_count, total_spent_minor, currency, mixed_currencies FROM customer_metrics WHERE customer_id = ${id}`.execute(store.db)).rows[0];
      expect(await row(1)).toEqual({ orders_count: 3, total_spent_minor: 1750, currency: 'USD', mixed_currencies: 0 });
      expect(await row(2)).toEqual({ orders_count: 2, total_spent_minor: null, currency: null, mixed_currencies: 1 });
      expect(await row(5)).toEqual({ orders_count: 2, total_spent_minor: 700, currency: null, mixed_currencies: 0 });
      expect(await row(6)).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
