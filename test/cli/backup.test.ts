import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { CLI_DIALECT, queryCliDatabase, snapshotCliDatabase } from '../helpers/cli-database.js';
import { everyTableText } from '../helpers/privacy-people.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { makeWorkdir } from '../helpers/run-cli.js';

/** The customers export, as a CSV file's bytes: what a restore must give back exactly. */
async function exportCustomers(cwd: string): Promise<string> {
  const result = await runCliInProcess(['export', 'customers', '--format', 'csv'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

/** A working folder with customers and their orders imported. */
async function importedWorkdir(): Promise<string> {
  const cwd = makeWorkdir('customers.csv', 'orders/shopify_orders.csv');
  for (const args of [['import', 'customers.csv'], ['import', 'shopify_orders.csv', '--as', 'orders']]) {
    const result = await runCliInProcess(args, { cwd });
    expect(result.code, result.stderr).toBe(0);
  }
  return cwd;
}

/** Jane O'Brien of customers.csv, as her values are stored. */
const JANE = { email: 'jane.obrien@example.com', values: ['jane.obrien@example.com', '+14155552671', '12 Market St', 'oat milk', "O'Brien"] };

/** Jane is erased: neither shown nor exported, none of her values in any table, and a new import of her (--force: the same file again) rejected as erased. */
async function expectJaneErased(cwd: string): Promise<void> {
  const show = await runCliInProcess(['show', JANE.email], { cwd });
  expect(show.code, show.stdout).toBe(1);
  const exported = await exportCustomers(cwd);
  const everything = await everyTableText(cwd);
  for (const value of JANE.values) {
    expect(exported).not.toContain(value);
    expect(everything).not.toContain(JSON.stringify(value).slice(1, -1));
  }
  const again = await runCliInProcess(['import', 'customers.csv', '--force', '--json'], { cwd });
  expect(again.code, again.stderr).toBe(0);
  // customers.csv has her twice (rows 2 and 21, typed differently): both are turned away.
  expect((JSON.parse(again.stdout) as { counts: { erased?: number } }).counts.erased).toBe(2);
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('custdb backup and restore', () => {
  it('custdb backup b.db; custdb restore b.db --yes gives back the customers export byte for byte', async () => {
    const cwd = await importedWorkdir();
    const atBackup = await exportCustomers(cwd);

    const backup = await runCliInProcess(['backup', 'b.db', '--json'], { cwd });
    expect(backup.code, backup.stderr).toBe(0);
    const written = JSON.parse(backup.stdout) as { file: string; encrypted: boolean; counts: Record<string, number> };
    expect(written).toMatchObject({ file: path.join(cwd, 'b.db'), encrypted: false, counts: { customers: 20, orders: 3 } });
    expect(statSync(written.file).mode & 0o777).toBe(0o600);
    expect(readdirSync(cwd).filter((f) => f.includes('.tmp'))).toEqual([]);

    // Changes after the backup: a new customer, an edited one, a setting.
    writeFileSync(path.join(cwd, 'more.csv'), 'Email,First Name\nlate@example.com,Late\n');
    expect((await runCliInProcess(['import', 'more.csv'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['customers', 'note', '1', 'called after the backup'], { cwd })).code).toBe(0);
    const afterChanges = await exportCustomers(cwd);
    expect(afterChanges).not.toBe(atBackup);

    const noYes = await runCliInProcess(['restore', 'b.db'], { cwd });
    expect([noYes.code, noYes.stderr]).toEqual([2, expect.stringMatching(/Add --yes to confirm/)]);
    expect(noYes.stderr).toMatch(/customers\s+│ 21\s+│ 20/);

    const restored = await runCliInProcess(['restore', 'b.db', '--yes'], { cwd });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^Restored \S*customers\.db from the backup\./);
    expect(await exportCustomers(cwd)).toBe(atBackup);
    if (CLI_DIALECT === 'sqlite') {
      expect(restored.stdout).toContain(`kept as ${path.join(cwd, 'customers.db.before-restore')}`);
      expect(existsSync(path.join(cwd, 'customers.db-wal'))).toBe(false);
    }
    // The restored database is sound, and says in its log that it was restored.
    expect((await runCliInProcess(['doctor'], { cwd })).code).toBe(0);
    expect(await queryCliDatabase(cwd, sql`SELECT actor, command, summary FROM events ORDER BY id DESC LIMIT 1`)).toEqual([
      { actor: expect.any(String), command: 'restore', summary: expect.stringMatching(/^restored the backup b\.db taken at \d{4}-/) },
    ]);
    if (CLI_DIALECT === 'sqlite') {
      // The kept file undoes the restore the same way.
      const undo = await runCliInProcess(['restore', 'customers.db.before-restore', '--yes', '--json'], { cwd });
      expect(undo.code, undo.stderr).toBe(0);
      // A plain database (not written by custdb backup) says nothing of when it was taken.
      expect(JSON.parse(undo.stdout)).toMatchObject({
        file: path.join(cwd, 'customers.db.before-restore'),
        encrypted: false,
        takenAt: null,
        backupCounts: { customers: 21 },
        currentCounts: { customers: 20 },
        beforeRestore: path.join(cwd, 'customers.db.before-restore'),
        suppressionsCarried: 0,
        erasedAgain: 0,
        keysFile: null,
      });
      expect(await exportCustomers(cwd)).toBe(afterChanges);
    }
    // A backup is never overwritten.
    const again = await runCliInProcess(['backup', 'b.db'], { cwd });
    expect([again.code, again.stderr]).toEqual([2, expect.stringMatching(/already exists/)]);
  });

  it('custdb restore refuses a truncated or corrupted backup with exit 2 and leaves the database untouched', async () => {
    const cwd = await importedWorkdir();
    expect((await runCliInProcess(['backup', 'good.db'], { cwd })).code).toBe(0);
    const bytes = readFileSync(path.join(cwd, 'good.db'));
    writeFileSync(path.join(cwd, 'truncated.db'), bytes.subarray(0, Math.floor(bytes.length / 2)));
    const corrupted = Buffer.from(bytes);
    corrupted.fill(0x5a, 3 * 4096, 3 * 4096 + 512);
    writeFileSync(path.join(cwd, 'corrupted.db'), corrupted);
    writeFileSync(path.join(cwd, 'notes.txt'), 'not a database at all\n');

    const before = await snapshotCliDatabase(cwd);
    const fileHash = CLI_DIALECT === 'sqlite' ? sha256(path.join(cwd, 'customers.db')) : undefined;
    for (const bad of ['truncated.db', 'corrupted.db', 'notes.txt', 'missing.db']) {
      const result = await runCliInProcess(['restore', bad, '--yes'], { cwd });
      expect([bad, result.code]).toEqual([bad, 2]);
      expect(result.stderr).toMatch(bad === 'missing.db' ? /No backup file at/ : /is not a usable custdb backup: .*Nothing was changed\./);
      expect(result.stdout).toBe('');
    }
    expect(await snapshotCliDatabase(cwd)).toBe(before);
    if (fileHash !== undefined) {
      expect(sha256(path.join(cwd, 'customers.db'))).toBe(fileHash);
      expect(existsSync(path.join(cwd, 'customers.db.before-restore'))).toBe(false);
    }
  });

  it('custdb restore refuses a backup from a newer custdb (exit 2, the hint) and migrates an older one', async () => {
    const cwd = await importedWorkdir();
    expect((await runCliInProcess(['backup', 'newer.db'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['backup', 'older.db'], { cwd })).code).toBe(0);
    const newer = new BetterSqlite3(path.join(cwd, 'newer.db'));
    newer.prepare("INSERT INTO schema_migrations (position, name, applied_at) VALUES (999, '0999-from-the-future', '2030-01-01T00:00:00.000Z')").run();
    newer.close();
    const refused = await runCliInProcess(['restore', 'newer.db', '--yes'], { cwd });
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/was updated by a newer custdb \(it has migration 0999-from-the-future[\s\S]*Upgrade custdb/)]);

    // An older custdb's backup: the last two migrations (the audit log's hash chain, what fits knew of merges) not yet applied.
    const older = new BetterSqlite3(path.join(cwd, 'older.db'));
    const last = older.prepare('SELECT name FROM schema_migrations ORDER BY position DESC LIMIT 1').pluck().get() as string;
    expect(last).toBe('0012-fit-merges');
    older.exec('ALTER TABLE model_fits DROP COLUMN max_merge_id; ALTER TABLE model_fits DROP COLUMN undone_merges');
    older.exec("DROP TABLE audit_head; ALTER TABLE events DROP COLUMN prev_hash; ALTER TABLE events DROP COLUMN hash; DELETE FROM schema_migrations WHERE name IN ('0011-audit-chain', '0012-fit-merges')");
    const recorded = JSON.parse(older.prepare("SELECT value FROM backup_info WHERE key = 'counts'").pluck().get() as string) as Record<string, number>;
    delete recorded.audit_head;
    older.prepare("UPDATE backup_info SET value = ? WHERE key = 'counts'").run(JSON.stringify(recorded));
    older.close();
    const atBackup = await exportCustomers(cwd);
    const migrated = await runCliInProcess(['restore', 'older.db', '--yes'], { cwd });
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toMatch(/from an older custdb; the restored database gets migration\(s\) 0011-audit-chain, 0012-fit-merges/);
    expect(await exportCustomers(cwd)).toBe(atBackup);
    expect((await runCliInProcess(['doctor'], { cwd })).code).toBe(0);
  });

  it('custdb backup --dir d --keep 2 --json names backups by date and keeps the newest two', async () => {
    const cwd = await importedWorkdir();
    const names: string[] = [];
    for (let k = 0; k < 3; k++) {
      const result = await runCliInProcess(['backup', '--dir', 'd', '--keep', '2', '--json'], { cwd });
      expect(result.code, result.stderr).toBe(0);
      names.push(path.basename((JSON.parse(result.stdout) as { file: string }).file));
      // Names carry the second: a second backup within one second would need another.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    // The database's name comes first: the file's, or (PostgreSQL) the server database's.
    const dbName = CLI_DIALECT === 'sqlite' ? 'customers' : '\\w+';
    expect(names[0]).toMatch(new RegExp(`^${dbName}-\\d{4}-\\d{2}-\\d{2}\\.db$`));
    expect(names[1]).toMatch(new RegExp(`^${dbName}-\\d{4}-\\d{2}-\\d{2}-\\d{6}\\.db$`));
    expect(readdirSync(path.join(cwd, 'd')).sort()).toEqual([names[1], names[2]].sort());
    const bad = await runCliInProcess(['backup', '--keep', '0'], { cwd });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--keep 0 is not a number of backups/)]);
    const plain = await runCliInProcess(['backup'], { cwd });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(new RegExp(`^Wrote ${path.join(cwd, 'backups')}/${dbName}-\\d{4}-\\d{2}-\\d{2}\\.db \\([\\d.]+ KiB; 20 customers, 3 orders, 0 interactions\\); verified`));
    expect(statSync(path.join(cwd, 'backups')).mode & 0o777).toBe(0o700);
  });

  it('custdb restore does not resurrect a forgotten person: restored, she is erased again, her values in no table, and her next import is rejected', async () => {
    const cwd = await importedWorkdir();
    expect((await runCliInProcess(['backup', 'b.db'], { cwd })).code).toBe(0);
    const forgotten = await runCliInProcess(['privacy', 'forget', JANE.email, '--yes'], { cwd });
    expect(forgotten.code, forgotten.stderr).toBe(0);

    const restored = await runCliInProcess(['restore', 'b.db', '--yes', '--json'], { cwd });
    expect(restored.code, restored.stderr).toBe(0);
    const result = JSON.parse(restored.stdout) as { suppressionsCarried: number; erasedAgain: number; keysFile: string | null };
    expect([result.suppressionsCarried > 0, result.erasedAgain, result.keysFile]).toEqual([true, 1, null]);
    await expectJaneErased(cwd);
  });

  it('custdb backup saves <db>.keys beside the backup (0600), and a restore on a machine without one puts it back; without it, a restore that needs it refuses', async () => {
    if (CLI_DIALECT !== 'sqlite') return; // A server keeps the suppression key in a table, which the backup holds.
    const cwd = await importedWorkdir();
    expect((await runCliInProcess(['privacy', 'forget', JANE.email, '--yes'], { cwd })).code).toBe(0);
    const backup = await runCliInProcess(['backup', 'b.db', '--json'], { cwd });
    expect(backup.code, backup.stderr).toBe(0);
    const keys = path.join(cwd, 'b.db.keys');
    expect(JSON.parse(backup.stdout)).toMatchObject({ keysFile: keys });
    expect(readFileSync(keys)).toEqual(readFileSync(path.join(cwd, 'customers.db.keys')));
    expect(statSync(keys).mode & 0o777).toBe(0o600);

    const elsewhere = makeWorkdir('customers.csv');
    copyFileSync(path.join(cwd, 'b.db'), path.join(elsewhere, 'b.db'));
    const refused = await runCliInProcess(['restore', 'b.db', '--yes'], { cwd: elsewhere });
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/holds hashes of erased people, but their key is neither in \S+customers\.db\.keys nor in \S+b\.db\.keys[\s\S]*Nothing was changed/)]);
    expect(existsSync(path.join(elsewhere, 'customers.db'))).toBe(false);

    copyFileSync(keys, path.join(elsewhere, 'b.db.keys'));
    const restored = await runCliInProcess(['restore', 'b.db', '--yes'], { cwd: elsewhere });
    expect(restored.code, restored.stderr).toBe(0);
    expect(readFileSync(path.join(elsewhere, 'customers.db.keys'))).toEqual(readFileSync(keys));
    await expectJaneErased(elsewhere);
  });

  it('custdb backup --encrypt saves <db>.keys beside the backup encrypted the same way, and restore decrypts it with the backup\'s passphrase', async () => {
    if (CLI_DIALECT !== 'sqlite') return; // A server keeps the suppression key in a table, which the backup holds.
    const cwd = await importedWorkdir();
    const env = { CUSTDB_BACKUP_PASSPHRASE: 'a backup passphrase' };
    expect((await runCliInProcess(['privacy', 'forget', JANE.email, '--yes'], { cwd })).code).toBe(0);
    const backup = await runCliInProcess(['backup', 'b.db.age', '--encrypt', '--passphrase'], { cwd, env });
    expect([backup.code, backup.stdout]).toEqual([0, expect.stringContaining(`Saved the key of the erased people's hashes as ${path.join(cwd, 'b.db.age.keys')}: keep it with the backup.`)]);
    const key = readFileSync(path.join(cwd, 'customers.db.keys'), 'utf8').trim();
    const saved = readFileSync(path.join(cwd, 'b.db.age.keys'), 'latin1');
    expect([saved.startsWith('age-encryption.org/v1'), saved.includes(key), statSync(path.join(cwd, 'b.db.age.keys')).mode & 0o777]).toEqual([true, false, 0o600]);

    const elsewhere = makeWorkdir('customers.csv');
    for (const file of ['b.db.age', 'b.db.age.keys']) copyFileSync(path.join(cwd, file), path.join(elsewhere, file));
    const restored = await runCliInProcess(['restore', 'b.db.age', '--passphrase', '--yes'], { cwd: elsewhere, env });
    expect([restored.code, restored.stdout]).toEqual([0, expect.stringContaining(`Put the backup's suppression key in place as ${path.join(elsewhere, 'customers.db.keys')}.`)]);
    expect(readFileSync(path.join(elsewhere, 'customers.db.keys'), 'utf8').trim()).toBe(key);
    await expectJaneErased(elsewhere);
  });
});
