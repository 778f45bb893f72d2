import { chmodSync, existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { sqliteOnly } from '../helpers/cli-database.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { makeWorkdir } from '../helpers/run-cli.js';

interface DoctorJson {
  ok: boolean;
  checks: { backups: { count: number; newestAt: string | null; newestFile: string | null } };
  findings: { severity: string; check: string; message: string }[];
}

async function doctor(cwd: string): Promise<DoctorJson> {
  const result = await runCliInProcess(['doctor', '--json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as DoctorJson;
}

describe('custdb doctor on backups', () => {
  it('custdb config set backup-max-age 7d; custdb doctor warns when there is no backup, or the newest is older than that', async () => {
    const cwd = makeWorkdir('customers.csv');
    expect((await runCliInProcess(['import', 'customers.csv'], { cwd })).code).toBe(0);
    // Unset: no backups is not a finding (many databases are copied some other way).
    expect(await doctor(cwd)).toMatchObject({ ok: true, checks: { backups: { count: 0, newestAt: null, newestFile: null } }, findings: [] });

    const badAge = await runCliInProcess(['config', 'set', 'backup-max-age', 'a week'], { cwd });
    expect([badAge.code, badAge.stderr]).toEqual([2, expect.stringMatching(/"a week" is not an age such as 7d[\s\S]*36h, 7d, 2w/)]);
    expect((await runCliInProcess(['config', 'set', 'backup-max-age', '7D'], { cwd })).stdout).toBe('backup-max-age = 7d\n');
    const none = await doctor(cwd);
    expect(none.findings).toEqual([{ severity: 'warning', check: 'backups', message: `there is no backup in ${path.join(cwd, 'backups')} (backup-max-age is 7d); run "custdb backup"` }]);

    expect((await runCliInProcess(['backup'], { cwd })).code).toBe(0);
    const fresh = await doctor(cwd);
    expect(fresh.findings).toEqual([]);
    expect(fresh.checks.backups.count).toBe(1);
    const text = await runCliInProcess(['doctor'], { cwd });
    expect(text.stdout).toMatch(/ {2}backups {7}1, newest written \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\n/);

    const [file] = readdirSync(path.join(cwd, 'backups'));
    const eightDaysAgo = new Date(Date.now() - 8 * 86_400_000);
    utimesSync(path.join(cwd, 'backups', file!), eightDaysAgo, eightDaysAgo);
    const old = await doctor(cwd);
    expect(old.findings).toEqual([{ severity: 'warning', check: 'backups', message: expect.stringMatching(/^the newest backup, .*backups\/.*\.db, was written .* UTC, longer ago than backup-max-age \(7d\); run "custdb backup"$/) }]);
    // Warnings do not make doctor fail; a cron job with -q still hears of them.
    const quiet = await runCliInProcess(['doctor', '-q'], { cwd });
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).toMatch(/warning: \[backups\] the newest backup/);
  });

  sqliteOnly('file modes')('custdb doctor warns when the database, its -wal and -shm, or a backup is readable by others', async () => {
    const cwd = makeWorkdir('customers.csv');
    expect((await runCliInProcess(['import', 'customers.csv'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['backup'], { cwd })).code).toBe(0);
    const [file] = readdirSync(path.join(cwd, 'backups'));
    const backup = path.join(cwd, 'backups', file!);
    chmodSync(backup, 0o644);
    // SQLite gives the -wal and -shm it makes the database file's mode: doctor's own connection makes them 0644 here.
    chmodSync(path.join(cwd, 'customers.db'), 0o644);
    const report = await doctor(cwd);
    expect(report.ok).toBe(true);
    const chmod = (f: string) => `run "chmod 600 ${f}"`;
    expect(report.findings.map((f) => f.message)).toEqual([
      `the file is readable by others (mode 0644); ${chmod(path.join(cwd, 'customers.db'))}`,
      `${path.join(cwd, 'customers.db-wal')} holds recent changes to the database and is readable by others (mode 0644); ${chmod(path.join(cwd, 'customers.db-wal'))}`,
      `${path.join(cwd, 'customers.db-shm')} holds recent changes to the database and is readable by others (mode 0644); ${chmod(path.join(cwd, 'customers.db-shm'))}`,
      `${backup} is a copy of the database and is readable by others (mode 0644); ${chmod(backup)}`,
    ]);
  });

  sqliteOnly('damages the file\'s pages')('custdb doctor on a damaged database names the newest backup to restore, and following that advice gives a database doctor passes', async () => {
    const cwd = makeWorkdir('customers.csv');
    expect((await runCliInProcess(['import', 'customers.csv'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['backup'], { cwd })).code).toBe(0);
    const [name] = readdirSync(path.join(cwd, 'backups'));
    const backup = path.join(cwd, 'backups', name!);

    const database = path.join(cwd, 'customers.db');
    const raw = new BetterSqlite3(database);
    const root = raw.prepare(`SELECT rootpage FROM sqlite_master WHERE name = 'customers'`).pluck().get() as number;
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const bytes = readFileSync(database);
    bytes.fill(0xde, (root - 1) * pageSize, (root - 1) * pageSize + 64);
    writeFileSync(database, bytes);

    const damaged = await runCliInProcess(['doctor'], { cwd });
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toContain(`Damage found. Restore the newest backup with "custdb restore ${backup}" (it keeps the damaged file as ${database}.before-restore)`);
    const restored = await runCliInProcess(['restore', backup, '--yes'], { cwd });
    expect(restored.code, restored.stderr).toBe(0);
    expect((await runCliInProcess(['doctor'], { cwd })).code).toBe(0);
    expect(existsSync(`${database}.before-restore`)).toBe(true);
  });
});
