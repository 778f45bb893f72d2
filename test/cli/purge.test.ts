import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import { applyPurge, planPurge } from '../../src/privacy/purge-inactive.js';
import { CLI_DIALECT, cliDatabaseLocation, withCliDatabase } from '../helpers/cli-database.js';
import { cli, everyTableText } from '../helpers/privacy-people.js';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/** The database file and its log, hashed: a dry run must leave both as they were. */
function fileHash(cwd: string): string {
  const hash = createHash('sha256');
  for (const file of ['customers.db', 'customers.db-wal']) if (existsSync(path.join(cwd, file))) hash.update(readFileSync(path.join(cwd, file)));
  return hash.digest('hex');
}

/**
 * Customers of known ages, as of 2026-12-01 with 3 years (cut-off 2023-12-01): only R-1 (signed up 2019, last
 * ticket 2020) and R-3 (last order 2023-11-30) are due. R-2 ordered in 2024, R-4 wrote in 2025, R-5 has no
 * sign-up day (added today), R-6 signed up in 2024, R-7 was edited today, R-8 signed up on the cut-off day itself.
 */
async function customersOfKnownAges(): Promise<{ cwd: string; ids: Map<string, number> }> {
  const cwd = makeWorkdir('privacy/retention-customers.csv', 'privacy/retention-orders.csv', 'privacy/retention-tickets.csv');
  await cli(cwd, ['init']);
  await cli(cwd, ['import', 'retention-customers.csv', '--source', 'crm']);
  await cli(cwd, ['import', 'retention-orders.csv', '--as', 'orders', '--source', 'shop']);
  await cli(cwd, ['import', 'retention-tickets.csv', '--as', 'interactions', '--source', 'desk']);
  const rows = await withCliDatabase(cwd, (db) => db.selectFrom('customer_identities').select(['external_id', 'customer_id']).execute());
  const ids = new Map(rows.map((r) => [r.external_id, r.customer_id]));
  await cli(cwd, ['customers', 'edit', String(ids.get('R-7')), '--set', 'company=Gus & Co']);
  return { cwd, ids };
}

describe('custdb purge', () => {
  it('erases exactly the customers with nothing since the cut-off; a dry run changes nothing, not a byte of the file', async () => {
    const { cwd, ids } = await customersOfKnownAges();
    const due = [ids.get('R-1')!, ids.get('R-3')!];
    const before = await everyTableText(cwd);
    const hash = fileHash(cwd);

    const dry = await cli(cwd, ['purge', '--inactive-for', '3y', '--as-of', '2026-12-01', '--dry-run']);
    expect(dry.stdout).toMatch(
      new RegExp(`^2 customers with no order, interaction or change since 2023-12-01 \\(inactive for 3y as of 2026-12-01\\):\\n  customer ${due[0]}: last activity 2020-01-01\\n  customer ${due[1]}: last activity 2023-11-30\\nErasing them removes:[\\s\\S]*Dry run: nothing changed\\.\\n$`),
    );
    const dryJson = JSON.parse((await cli(cwd, ['purge', '--inactive-for', '36m', '--as-of', '2026-12-01', '--dry-run', '--json'])).stdout) as { status: string; cutoff: string; customers: { id: number }[] };
    expect([dryJson.status, dryJson.cutoff, dryJson.customers.map((c) => c.id)]).toEqual(['dry-run', '2023-12-01', due]);
    expect(await everyTableText(cwd)).toBe(before);
    if (CLI_DIALECT === 'sqlite') expect(fileHash(cwd)).toBe(hash);

    // Wrong input: no period, a bad period, a bad date, no --yes without a terminal; nothing changes.
    const noPeriod = await runCliInProcess(['purge', '--yes'], { cwd });
    expect([noPeriod.code, noPeriod.stderr]).toEqual([2, expect.stringMatching(/custdb config set retention 3y/)]);
    const badPeriod = await runCliInProcess(['purge', '--inactive-for', '36h', '--yes'], { cwd });
    expect([badPeriod.code, badPeriod.stderr]).toEqual([2, expect.stringMatching(/--inactive-for 36h: not a length of time[\s\S]*years, months, weeks or days, e\.g\. --inactive-for 3y, 18m or 90d/)]);
    const badDate = await runCliInProcess(['purge', '--inactive-for', '3y', '--as-of', '2026-02-30', '--yes'], { cwd });
    expect(badDate.code).toBe(2);
    const badSetting = await runCliInProcess(['config', 'set', 'retention', 'forever'], { cwd });
    expect(badSetting.code).toBe(2);
    await cli(cwd, ['config', 'set', 'retention', '3Y']);
    expect((await cli(cwd, ['config', 'get', 'retention'])).stdout).toBe('3y\n');
    const unasked = await runCliInProcess(['purge', '--as-of', '2026-12-01'], { cwd });
    expect([unasked.code, unasked.stderr]).toEqual([2, expect.stringMatching(/Add --yes to confirm/)]);
    const afterRefusals = await everyTableText(cwd);

    // The setting's period, cron-style.
    const purged = JSON.parse((await cli(cwd, ['purge', '--as-of', '2026-12-01', '--yes', '--json'])).stdout) as { status: string; customers: { id: number }[]; counts: { customers: number; ordersKept: number } };
    expect([purged.status, purged.customers.map((c) => c.id), purged.counts.customers, purged.counts.ordersKept]).toEqual(['erased', due, 2, 2]);
    const statuses = await withCliDatabase(cwd, (db) => db.selectFrom('customers').select(['id', 'status']).orderBy('id').execute());
    expect(statuses.filter((c) => c.status === 'erased').map((c) => c.id)).toEqual(due);
    expect(statuses.filter((c) => c.status === 'active')).toHaveLength(6);
    const after = await everyTableText(cwd);
    for (const gone of ['Oldsignup', 'ada.old@example.com', 'Oldorder', 'cy.oldorder@example.com', 'R-1', 'R-3']) expect(after, gone).not.toContain(gone);
    for (const kept of ['Recentorder', 'Recentticket', 'Nosignup', 'Newsignup', 'Edited', 'Borderline', 'RO-2', 'RO-3']) expect(after, kept).toContain(kept);
    expect(afterRefusals).toContain('Oldsignup');

    const again = JSON.parse((await cli(cwd, ['purge', '--as-of', '2026-12-01', '--yes', '--json'])).stdout) as { status: string };
    expect(again.status).toBe('nobody-due');
    expect((await cli(cwd, ['purge', '--as-of', '2026-12-01', '--yes'])).stdout).toMatch(/^Nobody is due: no active customer has gone without an order, interaction or change since 2023-12-01/);
  });
});

describe('custdb purge (spawned binary)', () => {
  it('custdb purge --inactive-for 3y --as-of 2026-12-01 --dry-run --json lists who is due and changes nothing', async () => {
    const { cwd, ids } = await customersOfKnownAges();
    const before = await everyTableText(cwd);
    const result = await runCli(['purge', '--inactive-for', '3y', '--as-of', '2026-12-01', '--dry-run', '--json'], { cwd });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect((JSON.parse(result.stdout) as { customers: { id: number }[] }).customers.map((c) => c.id)).toEqual([ids.get('R-1'), ids.get('R-3')]);
    expect(await everyTableText(cwd)).toBe(before);
  });
});

describe('custdb validate and custdb purge agree on who is due', () => {
  it('a customer signed up long ago is due in both; once tagged (a recorded change) in neither', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'old.csv'), 'email,first_name,signup_date\nold@example.com,Olga,2015-01-01\n');
    for (const args of [['import', 'old.csv'], ['config', 'set', 'retention', '3y']]) expect((await runCliInProcess(args, { cwd })).code).toBe(0);
    const due = async () => {
      const validated = JSON.parse((await runCliInProcess(['validate', '--json', '--as-of', '2026-12-05'], { cwd })).stdout) as { findings: { code: string; count: number }[] };
      const purged = JSON.parse((await runCliInProcess(['purge', '--dry-run', '--json', '--as-of', '2026-12-05'], { cwd })).stdout) as { customers: unknown[] };
      return [validated.findings.find((f) => f.code === 'retention-due')!.count, purged.customers.length];
    };
    // The import records no change of a new customer: a signup in 2015 and nothing since makes them due.
    expect(await due()).toEqual([1, 1]);
    expect((await runCliInProcess(['customers', 'tag', 'old@example.com', 'loyal'], { cwd })).code).toBe(0);
    expect(await due()).toEqual([0, 0]);
  });

  it('a customer who comes back to life between the plan (the question) and the erasure is kept', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'old.csv'), 'email,first_name,signup_date\nold@example.com,Olga,2015-01-01\nolder@example.com,Otto,2014-01-01\n');
    expect((await runCliInProcess(['import', 'old.csv'], { cwd })).code).toBe(0);
    const { store } = await openStore({ location: cliDatabaseLocation(cwd), create: false, migrations: 'check' });
    try {
      const plan = await planPurge(store, { amount: 3, unit: 'year', text: '3y' }, '2026-12-05');
      expect(plan.customers).toHaveLength(2);
      // Meanwhile, while the prompt waits, another process tags Olga: a recorded change (spawned: this test holds the database open).
      expect((await runCli(['customers', 'tag', 'old@example.com', 'loyal'], { cwd })).code).toBe(0);
      const done = await applyPurge(store, plan, 'test');
      expect(done.counts?.customers).toBe(1);
    } finally {
      await store.close();
    }
    const shown = await runCliInProcess(['show', 'old@example.com'], { cwd });
    expect(shown.code, shown.stderr).toBe(0);
  });
});
