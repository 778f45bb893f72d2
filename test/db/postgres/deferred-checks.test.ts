import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openStore } from '../../../src/db/open-store.js';
import { DeferredChecks } from '../../../src/db/postgres/deferred-checks.js';
import { importSessionLimits } from '../../../src/db/postgres/postgres-import-session.js';
import { importCustomers } from '../../../src/import/import-customers.js';
import { freshDatabase, TEST_DIALECTS } from '../../helpers/dialects.js';

/** A migrated, empty custdb database, and a client on it. */
async function database() {
  const fresh = await freshDatabase('postgres');
  const { store } = await openStore({ location: fresh.location, create: true, migrations: 'apply' });
  await store.close();
  const client = new pg.Client({ connectionString: fresh.location });
  await client.connect();
  onTestFinished(async () => {
    await client.end();
    await fresh.dispose();
  });
  return { url: fresh.location, client };
}

/** Every foreign key and index of the schema, as the catalogue spells them. */
async function schemaChecks(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ line: string }>(
    `SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line FROM pg_constraint WHERE contype = 'f'
     UNION ALL SELECT pg_get_indexdef(indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema()
     ORDER BY 1`,
  );
  return rows.map((r) => r.line);
}

describe.runIf(TEST_DIALECTS.includes('postgres'))('foreign keys set aside for a large PostgreSQL import', () => {
  it('drops the keys of the tables an orders import fills, and puts the same ones back, checking every row', async () => {
    const { client } = await database();
    const before = await schemaChecks(client);
    await client.query('BEGIN');
    const deferred = await DeferredChecks.dropFor(client, 'orders', 1_000_000, 0, 1);
    expect(deferred.active).toBe(true);
    const during = await schemaChecks(client);
    expect(before.filter((line) => !during.includes(line))).toEqual([
      expect.stringMatching(/^CREATE INDEX orders_customer_ordered /),
      expect.stringMatching(/^order_items order_items_order_id_fkey FOREIGN KEY \(order_id\) REFERENCES orders\(id\) ON DELETE CASCADE$/),
      expect.stringMatching(/^order_items order_items_product_id_fkey /),
      expect.stringMatching(/^orders orders_batch_id_fkey /),
      expect.stringMatching(/^orders orders_customer_id_fkey /),
    ]);
    await deferred.restore(client);
    expect(await schemaChecks(client)).toEqual(before);
    await client.query('COMMIT');

    // A row written while the keys were away that breaks one fails the restore.
    await client.query('BEGIN');
    const again = await DeferredChecks.dropFor(client, 'orders', 1_000_000, 0, 1);
    await client.query(`INSERT INTO orders (id, customer_id, source, external_id, ordered_at, total_minor, created_at) VALUES (1, 42, 'shop', 'o1', '2026-01-01', 100, 'now')`);
    await expect(again.restore(client)).rejects.toThrow(/orders_customer_id_fkey/);
    await client.query('ROLLBACK');
    expect(await schemaChecks(client)).toEqual(before);
  });

  it('leaves the keys alone for a small import, an import into full tables, or when another session is using the tables', async () => {
    const { client, url } = await database();
    const before = await schemaChecks(client);
    await client.query('BEGIN');
    expect((await DeferredChecks.dropFor(client, 'customers', 1000, 0, 200_000)).active).toBe(false);
    expect((await DeferredChecks.dropFor(client, 'customers', 1_000_000, 300_000, 1)).active).toBe(false);
    const reader = new pg.Client({ connectionString: url });
    await reader.connect();
    try {
      await reader.query('BEGIN');
      await reader.query('SELECT count(*) FROM customers');
      const started = Date.now();
      expect((await DeferredChecks.dropFor(client, 'customers', 1_000_000, 0, 1)).active).toBe(false);
      expect(Date.now() - started).toBeLessThan(2000);
      // The import's transaction goes on.
      expect((await client.query('SELECT count(*)::int AS n FROM customers')).rows[0]).toEqual({ n: 0 });
      await reader.query('ROLLBACK');
    } finally {
      await reader.end();
    }
    await client.query('COMMIT');
    expect(await schemaChecks(client)).toEqual(before);
  });

  it('imports customers with the keys set aside and commits them with the keys back', async () => {
    const { client, url } = await database();
    const before = await schemaChecks(client);
    const limits = { ...importSessionLimits };
    importSessionLimits.deferChecksRows = 1;
    onTestFinished(() => void Object.assign(importSessionLimits, limits));
    const dir = mkdtempSync(path.join(tmpdir(), 'custdb-deferred-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'people.csv');
    writeFileSync(file, 'Customer ID,First Name,Email,Tags\nP1,Ann,ann@example.com,vip\nP2,Bo,bo@example.com,\nP3,Cy,,new\n');
    const { store } = await openStore({ location: url, create: false, migrations: 'apply' });
    try {
      const result = await importCustomers(store, { file, update: 'fill', maxRejects: { percent: 10 }, dryRun: false, force: false, actor: 't', maps: [], ignoreUnmapped: false, threads: 0 });
      expect(result.counts.inserted).toBe(3);
    } finally {
      await store.close();
    }
    expect(await schemaChecks(client)).toEqual(before);
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM customer_identities i JOIN customers c ON c.id = i.customer_id');
    expect(rows[0]!.n).toBe(3);
  });
});
