import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/db/open-store.js';
import type { Store } from '../../../src/db/store.js';
import { refreshBatchCustomerMetrics } from '../../../src/db/customer-metrics.js';
import { pauseForeignKeys } from '../../../src/db/sqlite/paused-foreign-keys.js';
import { importInteractions } from '../../../src/interactions/import-interactions.js';
import { importOrders, type OrderImportOptions } from '../../../src/orders/import-orders.js';
import { openSqliteConnection } from '../../helpers/sqlite-connection.js';

// An orders import writes with SQLite's per-row foreign key checks paused and checks its
// orders' customers once before committing. The pause must never outlive the import.

async function freshStore(): Promise<{ store: Store; dir: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'custdb-fk-'));
  const { store } = await openStore({ location: path.join(dir, 'customers.db'), create: true, migrations: 'apply' });
  return { store, dir };
}

const enforced = (sqlite: BetterSqlite3.Database) => sqlite.pragma('foreign_keys', { simple: true });
/** Whether the store's own connection checks foreign keys now. */
const storeEnforces = async (store: Store) => (await sql<{ foreign_keys: number }>`PRAGMA foreign_keys`.execute(store.db)).rows[0]?.foreign_keys;

function addOrder(sqlite: BetterSqlite3.Database, customerId: number, externalId: string, batchId: number | null): void {
  sqlite
    .prepare("INSERT INTO orders (customer_id, source, external_id, ordered_at, status, total_minor, batch_id, created_at) VALUES (?, 'shop', ?, '2026-01-01', 'paid', 100, ?, 'now')")
    .run(customerId, externalId, batchId);
}

describe('pauseForeignKeys', () => {
  it('lets rows through unchecked until resumed, and the metrics refresh counts what the checks would have refused', async () => {
    const { sqlite, db } = await openSqliteConnection('custdb-fk-');
    sqlite.exec("INSERT INTO customers (id, created_at, updated_at) VALUES (1, 'now', 'now')");
    sqlite.exec("INSERT INTO import_batches (id, kind, source, file_name, file_sha256, started_at, actor) VALUES (7, 'orders', 'shop', 'f.csv', 'x', 'now', 'test')");
    expect(() => addOrder(sqlite, 99, 'refused', 7)).toThrow(/FOREIGN KEY/);

    const resume = pauseForeignKeys(sqlite);
    sqlite.exec('BEGIN');
    addOrder(sqlite, 1, 'a', 7);
    addOrder(sqlite, 99, 'b', 7);
    addOrder(sqlite, 99, 'c', 7);
    addOrder(sqlite, 98, 'd', null);
    // Batch 7 touched customers 1 and 99; two of its orders name 99, which does not exist: one missing customer.
    expect(await refreshBatchCustomerMetrics(db, 7, { ordersChanged: true })).toEqual({ touchedCustomers: 2, missingCustomers: 1 });
    sqlite.exec('ROLLBACK');
    resume();
    resume();
    expect(enforced(sqlite)).toBe(1);
    expect(() => addOrder(sqlite, 99, 'refused', 7)).toThrow(/FOREIGN KEY/);
  });

  it('refuses inside a transaction, where SQLite would ignore it', async () => {
    const { sqlite } = await openSqliteConnection('custdb-fk-');
    sqlite.exec('BEGIN');
    expect(() => pauseForeignKeys(sqlite)).toThrow(/outside a transaction/);
    sqlite.exec('ROLLBACK');
    expect(enforced(sqlite)).toBe(1);
  });
});

describe('importOrders and importInteractions', () => {
  const options = (file: string): OrderImportOptions => ({
    file,
    maps: [],
    ignoreUnmapped: false,
    maxRejects: { percent: 100 },
    dryRun: false,
    force: false,
    actor: 'test',
    source: 'shop',
    unknownCustomers: 'create',
  });

  it('leaves foreign key checks on after an import, a dry run and one that cannot start', async () => {
    const { store, dir } = await freshStore();
    const file = path.join(dir, 'orders.csv');
    writeFileSync(file, 'Order ID,Created At,Email,Total\nO-1,2026-01-02,ann@example.com,10.00\nO-2,2026-01-03,bob@example.com,12.00\n');
    expect((await importOrders(store, { ...options(file), dryRun: true })).status).toBe('dry-run');
    expect(await storeEnforces(store)).toBe(1);
    expect((await importOrders(store, options(file))).status).toBe('imported');
    expect(await storeEnforces(store)).toBe(1);

    const holder = new BetterSqlite3(path.join(dir, 'customers.db'));
    holder.exec('BEGIN IMMEDIATE');
    await sql`PRAGMA busy_timeout = 50`.execute(store.db);
    try {
      await expect(importOrders(store, { ...options(file), force: true })).rejects.toThrow(/locked/);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(await storeEnforces(store)).toBe(1);

    const contacts = path.join(dir, 'contacts.csv');
    writeFileSync(contacts, 'Occurred At,Email,Kind,Summary\n2026-01-04,ann@example.com,support,Late parcel\n2026-01-05,cy@example.com,inquiry,Sizes\n');
    expect((await importInteractions(store, { ...options(contacts), source: 'helpdesk' })).status).toBe('imported');
    expect(await storeEnforces(store)).toBe(1);
    expect((await store.checkIntegrity()).danglingReferences).toEqual([]);
    expect(await store.db.selectFrom('interactions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()).toEqual({ n: 2 });
  });
});
