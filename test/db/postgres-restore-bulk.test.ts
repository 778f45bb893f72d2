import { copyFileSync, cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/db/store.js';
import { freshLocation, TEST_DIALECTS, withStoreAt } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

/** Text COPY's format has to escape (tab, newline, backslash, carriage return), and what it does not: quotes, non-ASCII. */
const AWKWARD_FIRST_NAME = 'Tab\there';
const AWKWARD_NOTES = 'line one\nline two\r\nback\\slash \\N "quoted" \'single\' Zoë 東京 🙂';
/** Doubles whose shortest decimal form is long: they must come back bit for bit. */
const AWKWARD_PROBABILITIES = [1 / 3, 0.1 + 0.2];

async function rowsOf(store: Store): Promise<{ customers: unknown[]; merges: unknown[] }> {
  return {
    customers: await store.db.selectFrom('customers').selectAll().orderBy('id').execute(),
    merges: await store.db.selectFrom('merges').selectAll().orderBy('id').execute(),
  };
}

/** Two new PostgreSQL databases, a folder, and the CLI run there; the source holds the bundled customers.csv. */
async function twoDatabases() {
  const source = (await freshLocation('postgres')).location;
  const { location: target, dir: cwd } = await freshLocation('postgres');
  const custdb = (db: string, ...args: string[]) => runCliInProcess(['--db', db, ...args], { cwd });
  cpSync(path.join(FIXTURES, 'customers.csv'), path.join(cwd, 'customers.csv'));
  expect((await custdb(source, 'import', 'customers.csv', '--default-country', 'US')).code).toBe(0);
  return { source, target, cwd, custdb };
}

/** Backup and restore of PostgreSQL are bulk copies (src/db/copy-tables.ts): COPY into the server, multi-row inserts into the file. */
describe.skipIf(!TEST_DIALECTS.includes('postgres'))('a PostgreSQL backup restored onto PostgreSQL', () => {
  it('gives back every row exactly (merged customers, awkward text, long reals, NULLs), and new rows get ids after them', async () => {
    const { source, target, cwd, custdb } = await twoDatabases();
    cpSync(path.join(FIXTURES, 'dedupe', 'customers-typed-twice.csv'), path.join(cwd, 'typed-twice.csv'));
    expect((await custdb(source, 'import', 'typed-twice.csv', '--default-country', 'US')).code).toBe(0);
    const merged = await custdb(source, 'dedupe', '--merge', '--yes');
    expect(merged.code, merged.stderr).toBe(0);
    const before = await withStoreAt(source, async (store) => {
      // Values no import would write, set the way another program could.
      await store.db.updateTable('customers').set({ first_name: AWKWARD_FIRST_NAME, notes: AWKWARD_NOTES, company: null }).where('id', '=', 1).execute();
      const merges = await store.db.selectFrom('merges').select('id').orderBy('id').execute();
      for (const [i, probability] of AWKWARD_PROBABILITIES.entries()) await store.db.updateTable('merges').set({ probability }).where('id', '=', merges[i]!.id).execute();
      return rowsOf(store);
    });
    // Several customers merged into others: a column naming its own table, filled in after the table.
    expect(before.customers.filter((c) => (c as { merged_into: number | null }).merged_into !== null).length).toBeGreaterThan(1);
    expect(before.merges.length).toBeGreaterThanOrEqual(AWKWARD_PROBABILITIES.length);
    const exported = await custdb(source, 'export', 'customers');
    const mergesListed = await custdb(source, 'merges', 'list', '--json');
    expect((await custdb(source, 'backup', 'b.db')).code).toBe(0);

    const restored = await custdb(target, 'restore', 'b.db', '--yes');
    expect(restored.code, restored.stderr).toBe(0);
    expect((await custdb(target, 'export', 'customers')).stdout).toBe(exported.stdout);
    expect((await custdb(target, 'merges', 'list', '--json')).stdout).toBe(mergesListed.stdout);
    const after = await withStoreAt(target, rowsOf);
    expect(after).toEqual(before);
    expect(after.customers).toContainEqual(expect.objectContaining({ id: 1, first_name: AWKWARD_FIRST_NAME, notes: AWKWARD_NOTES, company: null }));

    // An import after the restore: its customer takes the next id, past the restored ones.
    writeFileSync(path.join(cwd, 'new.csv'), 'First Name,Email\nNewcomer,newcomer@example.com\n');
    const imported = await custdb(target, 'import', 'new.csv');
    expect(imported.code, imported.stderr).toBe(0);
    const maxRestored = Math.max(...before.customers.map((c) => (c as { id: number }).id));
    const newcomer = await withStoreAt(target, (store) => store.db.selectFrom('customers').select('id').where('email_norm', '=', 'newcomer@example.com').executeTakeFirstOrThrow());
    expect(newcomer.id).toBe(maxRestored + 1);
  });

  it('refuses a backup holding U+0000 (SQLite stores it, PostgreSQL cannot) with a clear error, and changes nothing', async () => {
    const { source, target, cwd, custdb } = await twoDatabases();
    expect((await custdb(source, 'backup', 'b.db')).code).toBe(0);
    expect((await custdb(target, 'restore', 'b.db', '--yes')).code).toBe(0);
    const exported = await custdb(target, 'export', 'customers');
    // Another program writes a NUL into the backup file; its row counts stay what the backup recorded.
    copyFileSync(path.join(cwd, 'b.db'), path.join(cwd, 'nul.db'));
    const file = new BetterSqlite3(path.join(cwd, 'nul.db'));
    file.prepare('UPDATE customers SET notes = ? WHERE id = 2').run('before\u0000after');
    file.close();

    const refused = await custdb(target, 'restore', 'nul.db', '--yes');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('customers.notes holds a NUL character (U+0000), which PostgreSQL cannot store: "before\\u0000after". Nothing was restored.');
    expect(refused.stderr).toContain('Restore the backup into a SQLite file instead');
    expect((await custdb(target, 'export', 'customers')).stdout).toBe(exported.stdout);
  });
});
