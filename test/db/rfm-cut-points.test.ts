import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { selectCustomerFields, type CustomerFieldsOptions } from '../../src/db/customer-fields-query.js';
import { openStore } from '../../src/db/open-store.js';
import { refreshRfmCutPoints } from '../../src/db/rfm-cut-points.js';
import type { Store } from '../../src/db/store.js';
import { mergeCluster } from '../../src/merge/merge-cluster.js';
import { adminQuery, freshLocation, TEST_DIALECTS, withStoreAt } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

const TODAY = '2026-12-05';
const AS_OF: CustomerFieldsOptions = { asOf: TODAY, today: TODAY };

/** Every active customer's RFM as "RFM segment" by external id ("-" without counted orders). */
async function scores(store: Store, options: CustomerFieldsOptions = AS_OF): Promise<Record<string, string>> {
  const rows = await selectCustomerFields(store, options)
    .innerJoin('customer_identities as ci', 'ci.customer_id', 'cf.id')
    .select(['ci.external_id', 'cf.rfm_score', 'cf.rfm_segment'])
    .orderBy('ci.external_id')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.external_id, row.rfm_score === null ? '-' : `${row.rfm_score} ${row.rfm_segment}`]));
}

async function kept(store: Store): Promise<{ fresh: boolean; given: string | null }> {
  const { rows } = await sql<{ metrics_version: number; computed_version: number | null; given_currency: string | null }>`
    SELECT metrics_version, computed_version, given_currency FROM rfm_cut_points`.execute(store.db);
  expect(rows).toHaveLength(1);
  return { fresh: rows[0]!.computed_version === rows[0]!.metrics_version, given: rows[0]!.given_currency };
}

/**
 * Moves every kept recency cut point before any order, and sets every kept recency score to what
 * they would then give: a read that uses what is kept scores every recency 5.
 */
async function tamper(store: Store): Promise<void> {
  await sql`UPDATE rfm_cut_points SET r1 = '0000-01-01', r2 = '0000-01-01', r3 = '0000-01-01', r4 = '0000-01-01'`.execute(store.db);
  await sql`UPDATE rfm_scores SET r = 5`.execute(store.db);
}

const allRecency5 = (byId: Record<string, string>) => Object.values(byId).every((value) => value === '-' || value.startsWith('5'));

describe.each(TEST_DIALECTS)('kept RFM cut points on %s', (dialect) => {
  it('are used while fresh, and a write (import, its undo, a merge) makes reads compute them again until refreshed', async () => {
    const { location, dir } = await freshLocation(dialect, 'custdb-cuts-');
    copyFileSync(path.join(FIXTURES, 'rfm', 'orders.csv'), path.join(dir, 'orders.csv'));
    const first = await runCliInProcess(['import', 'orders.csv', '--as', 'orders', '--source', 'shop', '--db', location, '--json'], { cwd: dir });
    expect(first.code, first.stderr).toBe(0);
    // The CLI is run with no store open here: on SQLite it checks that it leaves no file open behind it.
    const withStore = <T>(work: (store: Store) => Promise<T>) => withStoreAt(location, work);
    const computed = await withStore(async (store) => {
      expect((await kept(store)).fresh).toBe(false);
      const before = await scores(store);
      expect(before.R19).toBe('555 Champions');
      await refreshRfmCutPoints(store, AS_OF);
      expect(await kept(store)).toEqual({ fresh: true, given: null });
      expect(await scores(store)).toEqual(before);
      // Every scored customer's scores are kept, and a read takes them rather than scoring again.
      const scored = Object.values(before).filter((value) => value !== '-').length;
      const keptScores = await sql<{ n: number }>`SELECT count(*) AS n FROM rfm_scores`.execute(store.db);
      expect(Number(keptScores.rows[0]!.n)).toBe(scored);
      await sql`UPDATE rfm_scores SET m = 1`.execute(store.db);
      expect(Object.values(await scores(store)).every((value) => value === '-' || value[2] === '1')).toBe(true);
      await tamper(store);
      expect(allRecency5(await scores(store))).toBe(true);
      // As of a past day the cut points come from the orders then, never the kept ones.
      expect(allRecency5(await scores(store, { asOf: '2026-11-30', today: TODAY }))).toBe(false);
      return before;
    });

    // A note and an interactions import change interaction metrics only: RFM reads orders, so what is kept stays fresh.
    const r05 = await withStore(async (store) => (await store.db.selectFrom('customer_identities').select('customer_id').where('external_id', '=', 'R05').executeTakeFirstOrThrow()).customer_id);
    const noted = await runCliInProcess(['customers', 'note', String(r05), 'Called about a refund', '--db', location], { cwd: dir });
    expect(noted.code, noted.stderr).toBe(0);
    writeFileSync(path.join(dir, 'support.csv'), 'Ticket #,Date,Customer ID,Channel,Type,Subject\nT1,2026-12-01 10:00,R05,E-mail,Support request,Where is my parcel\n');
    const tickets = await runCliInProcess(['import', 'support.csv', '--as', 'interactions', '--source', 'shop', '--db', location, '--json'], { cwd: dir });
    expect(tickets.code, tickets.stderr).toBe(0);
    await withStore(async (store) => {
      expect((await kept(store)).fresh).toBe(true);
      const { rows } = await sql<{ n: number }>`SELECT interactions_count AS n FROM customer_metrics WHERE customer_id = ${r05}`.execute(store.db);
      expect(Number(rows[0]!.n)).toBe(2);
    });

    // R01, the worst customer, orders three times this month: the import moves the cut points.
    writeFileSync(
      path.join(dir, 'more.csv'),
      ['Customer ID,Order ID,Order Date,Order Status,Amount', 'R01,O901,2026-12-01,paid,900.00', 'R01,O902,2026-12-02,paid,900.00', 'R01,O903,2026-12-03,paid,900.00'].join('\n') + '\n',
    );
    const second = await runCliInProcess(['import', 'more.csv', '--as', 'orders', '--source', 'shop', '--db', location, '--json'], { cwd: dir });
    expect(second.code, second.stderr).toBe(0);
    await withStore(async (store) => {
      expect((await kept(store)).fresh).toBe(false);
      const afterImport = await scores(store);
      expect(allRecency5(afterImport)).toBe(false);
      expect(afterImport.R01).toMatch(/^5/);
      await refreshRfmCutPoints(store, AS_OF);
      expect((await kept(store)).fresh).toBe(true);
      expect(await scores(store)).toEqual(afterImport);
      await tamper(store);
    });

    const batchId = (JSON.parse(second.stdout) as { batchId: number }).batchId;
    const undone = await runCliInProcess(['imports', 'undo', String(batchId), '--yes', '--db', location], { cwd: dir });
    expect(undone.code, undone.stderr).toBe(0);
    await withStore(async (store) => {
      expect((await kept(store)).fresh).toBe(false);
      expect(await scores(store)).toEqual(computed);
      await refreshRfmCutPoints(store, AS_OF);
      expect(await scores(store)).toEqual(computed);

      await tamper(store);
      const ids = await store.db.selectFrom('customer_identities').select(['external_id', 'customer_id']).where('external_id', 'in', ['R01', 'R19']).execute();
      await mergeCluster(store, ids.map((row) => row.customer_id), { actor: 'test', probability: null, command: 'test' });
      expect((await kept(store)).fresh).toBe(false);
      const afterMerge = await scores(store);
      expect(allRecency5(afterMerge)).toBe(false);
      expect(Object.keys(afterMerge)).toHaveLength(Object.keys(computed).length);
      await refreshRfmCutPoints(store, AS_OF);
      expect(await scores(store)).toEqual(afterMerge);
    });
  });

  it('rank spend in the main currency they were computed for: a read naming another one computes its own', async () => {
    const { location, dir } = await freshLocation(dialect, 'custdb-cuts-');
    copyFileSync(path.join(FIXTURES, 'rfm', 'orders.csv'), path.join(dir, 'orders.csv'));
    const imported = await runCliInProcess(['import', 'orders.csv', '--as', 'orders', '--source', 'shop', '--db', location, '--json'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const { store } = await openStore({ location, create: false, migrations: 'apply' });
    try {
      const inEur = { ...AS_OF, mainCurrency: 'EUR' };
      const computed = await scores(store, inEur);
      await refreshRfmCutPoints(store, inEur);
      expect(await kept(store)).toEqual({ fresh: true, given: 'EUR' });
      await tamper(store);
      expect(allRecency5(await scores(store, inEur))).toBe(true);
      expect(allRecency5(await scores(store))).toBe(false);
      await refreshRfmCutPoints(store, AS_OF);
      expect(await kept(store)).toEqual({ fresh: true, given: null });
      expect(await scores(store, inEur)).toEqual(computed);
      await tamper(store);
      expect(allRecency5(await scores(store))).toBe(true);
      expect(allRecency5(await scores(store, inEur))).toBe(false);
    } finally {
      await store.close();
    }
  });
});

describe.runIf(TEST_DIALECTS.includes('postgres'))('kept RFM cut points for a PostgreSQL role that may only read', () => {
  it('are computed in its query, and the kept row is left as it was', async () => {
    const { location, dir } = await freshLocation('postgres', 'custdb-cuts-');
    copyFileSync(path.join(FIXTURES, 'rfm', 'orders.csv'), path.join(dir, 'orders.csv'));
    const imported = await runCliInProcess(['import', 'orders.csv', '--as', 'orders', '--source', 'shop', '--db', location, '--json'], { cwd: dir });
    expect(imported.code, imported.stderr).toBe(0);
    const reader = `cuts_reader_${process.pid}`;
    await adminQuery(`DROP ROLE IF EXISTS ${reader}`);
    await adminQuery(`CREATE ROLE ${reader} LOGIN`);
    const owner = await openStore({ location, create: false, migrations: 'apply' });
    try {
      await sql.raw(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${reader}`).execute(owner.store.db);
      const computed = await scores(owner.store);
      const url = new URL(location);
      url.username = reader;
      url.password = '';
      const { store } = await openStore({ location: url.toString(), create: false, migrations: 'check' });
      try {
        await refreshRfmCutPoints(store, AS_OF);
        expect(await scores(store)).toEqual(computed);
      } finally {
        await store.close();
      }
      expect((await kept(owner.store)).fresh).toBe(false);
    } finally {
      await sql.raw(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${reader}`).execute(owner.store.db);
      await owner.store.close();
      await adminQuery(`DROP ROLE ${reader}`);
    }
  });
});
