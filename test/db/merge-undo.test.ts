import { writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import { freshLocation, TEST_DIALECTS, type TestDialect } from '../helpers/dialects.js';
import type { Store } from '../../src/db/store.js';
import { importCustomers, type ImportOptions } from '../../src/import/import-customers.js';
import { undoImport } from '../../src/import/undo-import.js';
import { mergeCluster } from '../../src/merge/merge-cluster.js';
import { undoMerge } from '../../src/merge/undo-merge.js';

async function freshStore(dialect: TestDialect): Promise<{ store: Store; dir: string }> {
  const { location, dir } = await freshLocation(dialect, 'custdb-merge-');
  const { store } = await openStore({ location, create: true, migrations: 'apply' });
  return { store, dir };
}

/** Everything the database holds about the given customers: what "restored exactly" means. */
async function dump(store: Store, ids: number[]) {
  const db = store.db;
  return {
    customers: await db.selectFrom('customers').selectAll().where('id', 'in', ids).orderBy('id').execute(),
    tags: await db.selectFrom('customer_tags').selectAll().where('customer_id', 'in', ids).orderBy('customer_id').orderBy('tag').execute(),
    attributes: await db.selectFrom('customer_attributes').selectAll().where('customer_id', 'in', ids).orderBy('customer_id').orderBy('name').execute(),
    identities: await db.selectFrom('customer_identities').selectAll().orderBy('id').execute(),
    orders: await db.selectFrom('orders').select(['id', 'customer_id']).orderBy('id').execute(),
    interactions: await db.selectFrom('interactions').select(['id', 'customer_id']).orderBy('id').execute(),
    changes: await db.selectFrom('changes').selectAll().orderBy('id').execute(),
  };
}

const value: fc.Arbitrary<string | null> = fc.option(fc.constantFrom('', ' ', 'Ann', 'ANNE', 'Zoë', "O'Brien", 'a,b', '=1+1', 'line\nbreak', '2020-01-01'), { nil: null });
const customer = fc.record({
  first_name: value,
  last_name: value,
  email: value,
  email_norm: value,
  phone: value,
  phone_e164: value,
  company: value,
  city: value,
  postal_code: value,
  country: fc.constantFrom(null, 'US', 'GB'),
  birth_date: value,
  email_consent: fc.constantFrom(null, 'granted' as const, 'denied' as const),
  email_consent_at: value,
  sms_consent: fc.constantFrom(null, 'granted' as const, 'denied' as const),
  notes: value,
  signup_date: value,
  created_at: fc.constantFrom<string>('2024-01-01T00:00:00.000Z', '2025-06-01T12:00:00.000Z'),
  updated_at: fc.constantFrom<string>('2024-02-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
  tags: fc.uniqueArray(fc.constantFrom('vip', 'new', 'wholesale', 'newsletter'), { maxLength: 3 }),
  attributes: fc.dictionary(fc.constantFrom('roast', 'size', 'tier'), fc.constantFrom('dark', 'light', 'L', '')),
  identities: fc.uniqueArray(fc.constantFrom('A', 'B', 'C'), { maxLength: 2 }),
  orders: fc.nat({ max: 3 }),
  interactions: fc.nat({ max: 2 }),
});
type Generated = typeof customer extends fc.Arbitrary<infer T> ? T : never;

async function insert(store: Store, c: Generated, source: string): Promise<number> {
  const { tags, attributes, identities, orders, interactions, ...columns } = c;
  const { id } = await store.db.insertInto('customers').values(columns).returning('id').executeTakeFirstOrThrow();
  for (const tag of tags) await store.db.insertInto('customer_tags').values({ customer_id: id, tag }).execute();
  for (const [name, v] of Object.entries(attributes)) await store.db.insertInto('customer_attributes').values({ customer_id: id, name, value: v }).execute();
  for (const ext of identities) {
    await store.db.insertInto('customer_identities').values({ customer_id: id, source, external_id: ext, created_at: c.created_at }).execute();
  }
  for (let k = 0; k < orders; k++) {
    await store.db
      .insertInto('orders')
      .values({ customer_id: id, source, external_id: `${id}-${k}`, ordered_at: '2025-01-01T00:00:00.000Z', total_minor: 100 * k, created_at: c.created_at })
      .execute();
  }
  for (let k = 0; k < interactions; k++) {
    await store.db.insertInto('interactions').values({ customer_id: id, occurred_at: '2025-01-01T00:00:00.000Z', summary: `call ${k}`, created_at: c.created_at }).execute();
  }
  return id;
}

describe.each(TEST_DIALECTS)('merge then undo (real %s)', (dialect) => {
  it('property: undo restores both customers exactly — every column, tags, attributes, identities, orders, interactions', async () => {
    await fc.assert(
      fc.asyncProperty(customer, customer, customer, async (a, b, bystander) => {
        const { store } = await freshStore(dialect);
        try {
          const idA = await insert(store, a, 'shop');
          const idB = await insert(store, b, 'till');
          await insert(store, bystander, 'web');
          const before = await dump(store, [idA, idB]);
          const [applied] = await mergeCluster(store, [idB, idA], { actor: 'test', probability: 0.99, command: 'test' });
          const merged = await store.db.selectFrom('customers').selectAll().where('id', '=', idB).executeTakeFirstOrThrow();
          expect(merged).toMatchObject({ status: 'merged', merged_into: idA });
          const moved = await store.db.selectFrom('orders').select('id').where('customer_id', '=', idB).execute();
          expect(moved).toEqual([]);
          const result = await undoMerge(store, applied!.mergeId, 'test');
          expect(result.status).toBe('undone');
          expect(await dump(store, [idA, idB])).toEqual(before);
          expect((await undoMerge(store, applied!.mergeId, 'test')).status).toBe('already-undone');
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('refuses to undo a merge whose survivor was merged again, until the later merge is undone', async () => {
    const { store } = await freshStore(dialect);
    try {
      const ids = [];
      for (const name of ['Ann', 'Anne', 'Annie']) ids.push(await insert(store, { ...blank(), first_name: name }, 'shop'));
      const first = await mergeCluster(store, [ids[0]!, ids[1]!], { actor: 't', probability: 0.95, command: 'test' });
      const second = await mergeCluster(store, [ids[0]!, ids[2]!], { actor: 't', probability: 0.95, command: 'test' });
      const refused = await undoMerge(store, first[0]!.mergeId, 't');
      expect(refused.status).toBe('refused');
      expect(refused.blockers.join('\n')).toMatch(/merge 2 came later .*undo merge 2 first/);
      expect((await undoMerge(store, second[0]!.mergeId, 't')).status).toBe('undone');
      expect((await undoMerge(store, first[0]!.mergeId, 't')).status).toBe('undone');
      const statuses = await store.db.selectFrom('customers').select('status').orderBy('id').execute();
      expect(statuses.map((s) => s.status)).toEqual(['active', 'active', 'active']);
    } finally {
      await store.close();
    }
  });

  it('refuses to undo a merge after an import changed the survivor, and import undo refuses while the merge stands', async () => {
    const { store, dir } = await freshStore(dialect);
    try {
      const file = path.join(dir, 'people.csv');
      writeFileSync(file, 'Customer ID,First Name,Last Name,Email\nP1,Kathy,Moore,kathy@example.com\nP2,Katherine,Moore,katherine@example.com\n');
      const options: ImportOptions = { file, update: 'fill', maxRejects: { percent: 10 }, dryRun: false, force: false, actor: 't', maps: [], ignoreUnmapped: false, rejectsFile: path.join(dir, 'rejects.csv') };
      const imported = await importCustomers(store, options);
      expect(imported.counts.inserted).toBe(2);
      const [merge] = await mergeCluster(store, [1, 2], { actor: 't', probability: 0.97, command: 'test' });
      const importUndo = await undoImport(store, imported.batchId!, 't');
      expect(importUndo.status).toBe('refused');
      expect(importUndo.blockers.join('\n')).toMatch(/merge 1/);

      const later = path.join(dir, 'later.csv');
      writeFileSync(later, 'Customer ID,First Name,Last Name,Email,Company\nP1,Kathy,Moore,kathy@example.com,Moore & Co\n');
      await importCustomers(store, { ...options, file: later });
      const refused = await undoMerge(store, merge!.mergeId, 't');
      expect(refused.status).toBe('refused');
      expect(refused.blockers.join('\n')).toMatch(/customer 1: company was changed by import batch 2 after this merge/);
    } finally {
      await store.close();
    }
  });
});

function blank(): Generated {
  return {
    first_name: null, last_name: null, email: null, email_norm: null, phone: null, phone_e164: null, company: null, city: null,
    postal_code: null, country: null, birth_date: null, email_consent: null, email_consent_at: null, sms_consent: null, notes: null,
    signup_date: null, created_at: '2024-01-01T00:00:00.000Z', updated_at: '2024-01-01T00:00:00.000Z', tags: [], attributes: {},
    identities: [], orders: 0, interactions: 0,
  };
}
