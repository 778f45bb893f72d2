import { copyFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { checkPredictionFreshness } from '../../src/analytics/prediction-freshness.js';
import type { Store } from '../../src/db/store.js';
import { mergeCluster } from '../../src/merge/merge-cluster.js';
import { undoMerge } from '../../src/merge/undo-merge.js';
import { freshLocation, TEST_DIALECTS, withStoreAt } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

describe.each(TEST_DIALECTS)('stored predictions on %s', (dialect) => {
  it('say they are stale after a merge and after its undo (orders moved, none added), and a fit is in the audit log', async () => {
    const { location, dir } = await freshLocation(dialect, 'custdb-fresh-');
    copyFileSync(path.join(FIXTURES, 'orders', 'cdnow_sample.csv'), path.join(dir, 'cdnow_sample.csv'));
    const cli = (args: string[]) => runCliInProcess([...args, '--db', location], { cwd: dir });
    expect((await cli(['import', 'cdnow_sample.csv', '--as', 'orders', '--source', 'cdnow'])).code).toBe(0);
    const fitted = await cli(['analytics', 'fit', '--as-of', '1997-09-30', '--json']);
    expect(fitted.code, fitted.stderr).toBe(0);
    const fitId = JSON.parse(fitted.stdout).stored.fitId as number;

    const withStore = <T>(work: (store: Store) => Promise<T>) => withStoreAt(location, work);
    const note = () => withStore((store) => checkPredictionFreshness(store, ['p_active']));
    expect(await note()).toBeUndefined();

    // Two customers who both bought: merged, one's orders become the other's.
    const merged = await withStore(async (store) => {
      const { rows } = await sql<{ customer_id: number }>`SELECT customer_id FROM customer_metrics WHERE orders_count >= 2 ORDER BY customer_id LIMIT 2`.execute(store.db);
      const before = await sql<{ n: number }>`SELECT count(*) AS n FROM orders`.execute(store.db);
      const [applied] = await mergeCluster(store, rows.map((row) => Number(row.customer_id)), { actor: 'test', probability: null, command: 'test' });
      const after = await sql<{ n: number }>`SELECT count(*) AS n FROM orders`.execute(store.db);
      expect(Number(after.rows[0]!.n)).toBe(Number(before.rows[0]!.n));
      return applied!;
    });
    expect(await note()).toMatch(/\(orders up to 1997-09-30\); 1 merge made or undone since: run custdb analytics fit$/);
    const queried = await cli(['query', '--where', 'p_active < 0.5', '--count']);
    expect(queried.stderr).toMatch(/1 merge made or undone since/);

    await withStore((store) => undoMerge(store, merged.mergeId, 'test'));
    expect(await note()).toMatch(/; 2 merges made or undone since:/);
    writeLateOrder(dir);
    expect((await cli(['import', 'late.csv', '--as', 'orders', '--source', 'cdnow'])).code).toBe(0);
    expect(await note()).toMatch(/; 1 order changed and 2 merges made or undone since:/);

    const refit = await cli(['analytics', 'fit', '--as-of', '1998-07-01', '--json']);
    expect(refit.code, refit.stderr).toBe(0);
    expect(await note()).toBeUndefined();

    // Each stored fit is an audit entry, with ids and counts only, and the chain still holds.
    const log = await cli(['log', '--command', 'analytics fit', '--format', 'json']);
    expect(log.code, log.stderr).toBe(0);
    const { entries } = JSON.parse(log.stdout) as { entries: { summary: string }[] };
    expect(entries.map((entry) => entry.summary)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^fit ${fitId}: bgnbd, gg on 2357 customers' orders up to 1997-09-30; their predictions stored$`)),
        expect.stringMatching(/^fit \d+: bgnbd, gg on 2357 customers' orders up to 1998-07-01/),
      ]),
    );
    expect((await cli(['doctor'])).code).toBe(0);
  }, 180_000);
});

function writeLateOrder(dir: string): void {
  // A customer's order after the sample's last day: one order added since the fit.
  writeFileSync(path.join(dir, 'late.csv'), 'customer_id,order_date,quantity,amount\n00004,19980701,1,12.50\n');
}
