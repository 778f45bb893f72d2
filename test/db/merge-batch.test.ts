import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import type { Store } from '../../src/db/store.js';
import { importCustomers, type ImportOptions } from '../../src/import/import-customers.js';
import { mergeCluster, mergeClusters, NotMergeableError } from '../../src/merge/merge-cluster.js';
import { undoMerge } from '../../src/merge/undo-merge.js';
import { freshLocation, TEST_DIALECTS, type TestDialect } from '../helpers/dialects.js';

const FIRST = `Customer ID,First Name,Last Name,Email,Phone
C1,Ann,Lee,ann@example.com,+1 415 555 0101
C2,Anne,Lee,anne@example.com,+1 415 555 0102
C3,Annie,Lee,annie@example.com,+1 415 555 0103
C4,Bo,Park,bo@example.com,
C5,Bob,Park,,+1 415 555 0105
C6,Cy,Hart,cy@example.com,+1 415 555 0106
`;
/** Phones changed in two later imports: C2's, then C3's, so which phone a merge keeps depends on when each changed. */
const SECOND = `Customer ID,Phone\nC2,+1 415 555 0202\n`;
const THIRD = `Customer ID,Phone\nC3,+1 415 555 0303\n`;

/** A database with the six customers (ids 1–6) and their change history. */
async function seeded(dialect: TestDialect): Promise<Store> {
  const { location, dir } = await freshLocation(dialect, 'custdb-merge-batch-');
  const { store } = await openStore({ location, create: true, migrations: 'apply' });
  for (const [k, text] of [FIRST, SECOND, THIRD].entries()) {
    const file = path.join(dir, `people-${k}.csv`);
    writeFileSync(file, text);
    const options: ImportOptions = { file, update: 'overwrite', maxRejects: { percent: 10 }, dryRun: false, force: false, actor: 't', maps: [], ignoreUnmapped: false, rejectsFile: path.join(dir, 'rejects.csv') };
    await importCustomers(store, options);
  }
  return store;
}

/** Everything a merge writes, with the times this run made replaced: two runs a few milliseconds apart compare equal. */
async function dump(store: Store, since: string) {
  const db = store.db;
  const tables = {
    customers: await db.selectFrom('customers').selectAll().orderBy('id').execute(),
    identities: await db.selectFrom('customer_identities').selectAll().orderBy('id').execute(),
    merges: await db.selectFrom('merges').select(['id', 'survivor_id', 'merged_id', 'probability', 'plan_json', 'snapshot_json', 'event_id', 'undone_at']).orderBy('id').execute(),
    changes: await db.selectFrom('changes').select(['id', 'merge_id', 'event_id', 'customer_id', 'entity', 'entity_id', 'action', 'field', 'old_value', 'new_value']).orderBy('id').execute(),
    events: await db.selectFrom('events').select(['id', 'command', 'summary', 'details_json']).orderBy('id').execute(),
    metrics: (await sql`SELECT * FROM customer_metrics ORDER BY customer_id`.execute(db)).rows,
  };
  return JSON.parse(JSON.stringify(tables).replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, (iso) => (iso >= since ? 'this run' : iso))) as unknown;
}

describe.each(TEST_DIALECTS)('merging many groups in one transaction (real %s)', (dialect) => {
  it('records and writes what merging each group in its own transaction does, and each merge undoes on its own', async () => {
    const since = new Date().toISOString();
    const oneByOne = await seeded(dialect);
    const together = await seeded(dialect);
    try {
      // One by one, and the three-member group as two merges: each re-reads the survivor from the database.
      await mergeCluster(oneByOne, [1, 2], { actor: 't', probability: 0.99, command: 'test' });
      await mergeCluster(oneByOne, [1, 3], { actor: 't', probability: 0.99, command: 'test' });
      await mergeCluster(oneByOne, [4, 5], { actor: 't', probability: 0.9, command: 'test' });
      const applied = await mergeClusters(
        together,
        [
          { ids: [3, 1, 2], probability: 0.99 },
          { ids: [5, 4], probability: 0.9 },
        ],
        { actor: 't', command: 'test' },
      );
      expect(applied.map((group) => group.map((m) => [m.mergeId, m.survivorId, m.mergedId]))).toEqual([[[1, 1, 2], [2, 1, 3]], [[3, 4, 5]]]);
      expect(await dump(together, since)).toEqual(await dump(oneByOne, since));
      // C3's phone changed after C2's, but before the first merge wrote C2's onto C1: the survivor's is newer, so it stays.
      const survivor = await together.db.selectFrom('customers').select('phone').where('id', '=', 1).executeTakeFirstOrThrow();
      expect(survivor.phone).toBe('+14155550202');

      expect((await undoMerge(together, 3, 't')).status).toBe('undone');
      expect((await undoMerge(together, 1, 't')).status).toBe('refused');
      expect((await undoMerge(together, 2, 't')).status).toBe('undone');
      expect((await undoMerge(together, 1, 't')).status).toBe('undone');
      const statuses = await together.db.selectFrom('customers').select('status').orderBy('id').execute();
      expect(statuses.map((s) => s.status)).toEqual(['active', 'active', 'active', 'active', 'active', 'active']);
    } finally {
      await oneByOne.close();
      await together.close();
    }
  });

  it('writes nothing of a transaction whose group cannot be merged, and keeps the groups committed before it', async () => {
    const store = await seeded(dialect);
    try {
      await mergeCluster(store, [4, 5], { actor: 't', probability: 0.9, command: 'test' });
      const before = await dump(store, '');
      const committed: number[][] = [];
      const attempt = mergeClusters(
        store,
        [
          { ids: [1, 2], probability: 0.99 },
          { ids: [3, 5], probability: 0.99 },
        ],
        { actor: 't', command: 'test' },
        (applied) => committed.push(...applied.map((group) => group.map((m) => m.mergeId))),
      );
      await expect(attempt).rejects.toThrow(NotMergeableError);
      await expect(attempt).rejects.toThrow(/Customer 5 is merged into 4/);
      expect(committed).toEqual([]);
      expect(await dump(store, '')).toEqual(before);
    } finally {
      await store.close();
    }
  });
});
