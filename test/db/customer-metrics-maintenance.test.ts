import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCustomerNote } from '../../src/customers/add-customer-note.js';
import { editCustomer } from '../../src/customers/edit-customer.js';
import { openStore } from '../../src/db/open-store.js';
import { freshLocation, TEST_DIALECTS, type TestDialect } from '../helpers/dialects.js';
import type { Store } from '../../src/db/store.js';
import { CustdbError } from '../../src/errors.js';
import { importCustomers, type ImportOptions } from '../../src/import/import-customers.js';
import { undoImport } from '../../src/import/undo-import.js';
import { importInteractions } from '../../src/interactions/import-interactions.js';
import { mergeCluster } from '../../src/merge/merge-cluster.js';
import { undoMerge } from '../../src/merge/undo-merge.js';
import { importOrders } from '../../src/orders/import-orders.js';
import { expectStoredMetricsRight } from '../helpers/expect-stored-metrics.js';
import { FIXTURES } from '../helpers/run-cli.js';

/**
 * The stored customer metrics must equal what the orders and interactions say
 * after any sequence of writes (see expectStoredMetricsRight: an oracle in
 * plain code, compared with what custdb reads back for every customer).
 */

const DAY = 86_400_000;
/** The six customers of fixtures/metrics/customers.csv, then people only orders and interactions introduce. */
const EMAILS = ['alice@example.com', 'bob@example.com', 'carol@example.com', 'dan@example.com', 'eve@example.com', 'frank@example.com', 'gus@example.com', 'hana@example.com'];

interface Sale {
  order: number;
  who: number;
  day: number;
  status: string;
  currency: string;
  cents: number;
}

function importOptions(file: string): ImportOptions {
  return { file, maps: [], ignoreUnmapped: false, update: 'fill', maxRejects: { percent: 100 }, dryRun: false, force: false, actor: 'test', defaultCountry: 'US' };
}

async function freshStore(dialect: TestDialect): Promise<{ store: Store; dir: string }> {
  const { location, dir } = await freshLocation(dialect, 'custdb-metrics-kept-');
  copyFileSync(path.join(FIXTURES, 'metrics', 'customers.csv'), path.join(dir, 'customers.csv'));
  const { store } = await openStore({ location, create: true, migrations: 'apply' });
  expect((await importCustomers(store, importOptions(path.join(dir, 'customers.csv')))).status).toBe('imported');
  return { store, dir };
}

function isoDay(day: number): string {
  return new Date(Date.UTC(2024, 0, 1) + day * DAY).toISOString();
}

let fileCount = 0;

/** Imports an orders file (source "shop"); returns the batch id, or null when nothing was imported. */
async function importSales(store: Store, dir: string, sales: readonly Sale[]): Promise<number | null> {
  const file = path.join(dir, `orders-${++fileCount}.csv`);
  const rows = sales.map((s) => [`O-${s.order}`, isoDay(s.day), EMAILS[s.who], s.status, s.currency, (s.cents / 100).toFixed(2)].join(','));
  writeFileSync(file, ['Order ID,Created At,Email,Financial Status,Currency,Total', ...rows].join('\n'));
  const result = await importOrders(store, { ...importOptions(file), source: 'shop', unknownCustomers: 'create' });
  return result.batchId;
}

async function importContacts(store: Store, dir: string, contacts: readonly { who: number; day: number; kind: string }[]): Promise<number | null> {
  const file = path.join(dir, `interactions-${++fileCount}.csv`);
  const rows = contacts.map((c, k) => [isoDay(c.day), EMAILS[c.who], c.kind, `Contact ${fileCount}.${k}`].join(','));
  writeFileSync(file, ['Occurred At,Email,Kind,Summary', ...rows].join('\n'));
  const result = await importInteractions(store, { ...importOptions(file), source: 'helpdesk', unknownCustomers: 'create' });
  return result.batchId;
}

async function customerId(store: Store, email: string): Promise<number | undefined> {
  return (await store.db.selectFrom('customers').select('id').where('email_norm', '=', email).where('status', '=', 'active').executeTakeFirst())?.id;
}

describe.each(TEST_DIALECTS)('stored customer metrics stay right on %s', (dialect) => {
  it('after imports, an undo, an edit, a note, a merge and its undo', async () => {
    const { store, dir } = await freshStore(dialect);
    try {
      await expectStoredMetricsRight(store, 'customers imported');
      const first = await importSales(store, dir, [
        { order: 1, who: 0, day: 10, status: 'paid', currency: 'USD', cents: 2500 },
        { order: 2, who: 0, day: 40, status: 'refunded', currency: 'USD', cents: 9000 },
        { order: 3, who: 1, day: 20, status: 'paid', currency: '', cents: 1000 },
        { order: 4, who: 6, day: 30, status: 'pending', currency: 'USD', cents: 700 },
      ]);
      await expectStoredMetricsRight(store, 'first orders');
      const second = await importSales(store, dir, [
        { order: 1, who: 0, day: 10, status: 'refunded', currency: 'USD', cents: 2500 },
        { order: 5, who: 1, day: 50, status: 'paid', currency: 'EUR', cents: 4000 },
        { order: 6, who: 3, day: 60, status: 'cancelled', currency: 'USD', cents: 100 },
      ]);
      await expectStoredMetricsRight(store, 'a refund and more orders');
      await importContacts(store, dir, [{ who: 2, day: 5, kind: 'complaint' }, { who: 7, day: 6, kind: 'inquiry' }]);
      await expectStoredMetricsRight(store, 'interactions');
      expect((await undoImport(store, second!, 'test')).status).toBe('undone');
      await expectStoredMetricsRight(store, 'undo of the second orders file');
      await editCustomer(store, (await customerId(store, EMAILS[0]!))!, [{ field: 'company', value: 'Archer Roasters' }], 'test');
      await addCustomerNote(store, (await customerId(store, EMAILS[3]!))!, 'Asked about gift cards', 'test');
      await expectStoredMetricsRight(store, 'an edit and a note');
      const [merge] = await mergeCluster(store, [(await customerId(store, EMAILS[0]!))!, (await customerId(store, EMAILS[1]!))!, (await customerId(store, EMAILS[6]!))!], {
        actor: 'test',
        probability: 0.99,
        command: 'test',
      });
      await expectStoredMetricsRight(store, 'a three-way merge');
      const merges = (await store.db.selectFrom('merges').select('id').orderBy('id', 'desc').execute()).map((row) => row.id);
      for (const id of merges) expect((await undoMerge(store, id, 'test')).status).toBe('undone');
      expect(merges).toContain(merge!.mergeId);
      await expectStoredMetricsRight(store, 'the merges undone');
      expect((await undoImport(store, first!, 'test')).status).toBe('undone');
      await expectStoredMetricsRight(store, 'undo of the first orders file');
    } finally {
      await store.close();
    }
  });

  const sale: fc.Arbitrary<Sale> = fc.record({
    order: fc.integer({ min: 1, max: 12 }),
    who: fc.integer({ min: 0, max: EMAILS.length - 1 }),
    day: fc.integer({ min: 0, max: 700 }),
    status: fc.constantFrom('paid', 'paid', 'pending', 'partially_refunded', 'refunded', 'cancelled', 'canceled', 'voided', 'failed'),
    currency: fc.constantFrom('USD', 'USD', 'EUR', ''),
    cents: fc.integer({ min: 0, max: 100_000 }),
  });
  type Step =
    | { kind: 'orders'; sales: Sale[] }
    | { kind: 'interactions'; contacts: { who: number; day: number; kind: string }[] }
    | { kind: 'undo-import'; pick: number }
    | { kind: 'edit' | 'note'; who: number }
    | { kind: 'merge'; who: [number, number] }
    | { kind: 'undo-merge'; pick: number };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('orders' as const), sales: fc.array(sale, { minLength: 1, maxLength: 6 }) }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('interactions' as const),
        contacts: fc.array(fc.record({ who: fc.nat(EMAILS.length - 1), day: fc.nat(700), kind: fc.constantFrom('support', 'complaint', 'note') }), { minLength: 1, maxLength: 4 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('undo-import' as const), pick: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom('edit' as const, 'note' as const), who: fc.nat(EMAILS.length - 1) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('merge' as const), who: fc.tuple(fc.nat(EMAILS.length - 1), fc.nat(EMAILS.length - 1)) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('undo-merge' as const), pick: fc.nat() }) },
  );

  it('after any sequence of imports, undos, edits, notes, merges and merge undos (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const { store, dir } = await freshStore(dialect);
        const batches: number[] = [];
        try {
          for (const [k, s] of steps.entries()) {
            // Refusals (an undo others depend on, merging a merged customer) are part of the game: nothing may drift either way.
            try {
              if (s.kind === 'orders') {
                const batch = await importSales(store, dir, s.sales);
                if (batch !== null) batches.push(batch);
              } else if (s.kind === 'interactions') {
                const batch = await importContacts(store, dir, s.contacts);
                if (batch !== null) batches.push(batch);
              } else if (s.kind === 'undo-import') {
                if (batches.length > 0) await undoImport(store, batches[s.pick % batches.length]!, 'test');
              } else if (s.kind === 'edit' || s.kind === 'note') {
                const id = await customerId(store, EMAILS[s.who]!);
                if (id === undefined) continue;
                if (s.kind === 'edit') await editCustomer(store, id, [{ field: 'company', value: `Co ${k}` }], 'test');
                else await addCustomerNote(store, id, `Note ${k}`, 'test');
              } else if (s.kind === 'merge') {
                const ids = (await Promise.all(s.who.map((w) => customerId(store, EMAILS[w]!)))).filter((id) => id !== undefined);
                if (ids.length === 2) await mergeCluster(store, ids, { actor: 'test', probability: 0.9, command: 'test' });
              } else if (s.kind === 'undo-merge') {
                const merges = (await store.db.selectFrom('merges').select('id').where('undone_at', 'is', null).orderBy('id').execute()).map((row) => row.id);
                if (merges.length > 0) await undoMerge(store, merges[s.pick % merges.length]!, 'test');
              }
            } catch (error) {
              if (!(error instanceof CustdbError)) throw error;
            }
            await expectStoredMetricsRight(store, `step ${k + 1} (${s.kind})`);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
