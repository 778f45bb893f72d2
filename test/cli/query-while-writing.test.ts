import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS } from '../../src/db/dialect.js';
import { whileWriteLocked } from '../helpers/cli-database.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';

/**
 * A read keeps RFM's cut points when it finds them stale (src/db/rfm-cut-points.ts). While another process
 * holds the write lock — an import that runs for minutes — it must neither wait for it nor fail: it computes
 * the cut points in its own query and answers the same.
 */
describe('custdb query while another process writes (spawned binary)', () => {
  it('answers RFM at once, the same as before, without waiting for the lock', async () => {
    const cwd = makeWorkdir('rfm/orders.csv');
    const imported = await runCliInProcess(['import', 'orders.csv', '--as', 'orders'], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    // Spawned: the lock holder is this process, and a run in it would share its open file.
    const ask = () => runCli(['query', '--where', 'rfm_segment = "Champions"', '--fields', 'id,rfm_score', '--format', 'csv'], { cwd });
    const before = await ask();
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout.split('\n').length).toBeGreaterThan(2);

    // A committed write makes the kept cut points stale; then another writer holds the lock (and, on
    // PostgreSQL, their row), so the read cannot keep new ones.
    const note = await runCliInProcess(['customers', 'note', '1', 'called about a refund'], { cwd });
    expect(note.code, note.stderr).toBe(0);
    const during = await whileWriteLocked(cwd, sql`UPDATE rfm_cut_points SET metrics_version = metrics_version + 1`, async () => {
      const started = Date.now();
      const answer = await ask();
      return { ...answer, waited: Date.now() - started };
    });
    expect([during.code, during.stderr]).toEqual([0, '']);
    expect(during.stdout).toBe(before.stdout);
    expect(during.waited).toBeLessThan(BUSY_TIMEOUT_MS);
  });
});
