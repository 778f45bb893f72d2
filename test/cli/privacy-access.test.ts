import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { adminQuery, freshDatabase, TEST_DIALECTS } from '../helpers/dialects.js';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Erasure under team access on PostgreSQL: only owners erase (the server refuses staff their writes to
 * suppressions), staff imports still recognise erased people (they read the key), and no analyst can read
 * the key the hashes are made with.
 */
const SUFFIX = randomBytes(3).toString('hex');
const SAM = `sam_${SUFFIX}`; // staff
const UNA = `una_${SUFFIX}`; // analyst, unmasked
const ANA = `ana_${SUFFIX}`; // analyst, masked
const created: string[] = [];

afterAll(async () => {
  for (const name of created) await adminQuery(`DROP ROLE IF EXISTS "${name}"`).catch(() => {});
});

function as(location: string, name: string): string {
  const url = new URL(location);
  url.username = name;
  url.password = '';
  return url.toString();
}

async function sqlAs(url: string, text: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe.runIf(TEST_DIALECTS.includes('postgres'))('privacy forget and purge under PostgreSQL access control', () => {
  it('staff may not erase, but their imports reject erased people; analysts cannot read the suppression key', async () => {
    const database = await freshDatabase('postgres');
    const owner = database.location;
    const databaseName = new URL(owner).pathname.slice(1);
    created.push(SAM, UNA, ANA, ...['owner', 'staff', 'analyst', 'analyst_unmasked'].map((g) => `custdb_${databaseName}_${g}`));
    const cwd = makeWorkdir();
    const custdb = (db: string, args: string[]) => runCliInProcess([...args, '--db', db], { cwd });
    try {
      for (const args of [
        ['init'],
        ['customers', 'add', '--first-name', 'Jane', '--last-name', 'Quexley', '--email', 'jane.quexley@example.com'],
        ['access', 'grant', SAM, '--role', 'staff', '--no-password'],
        ['access', 'grant', UNA, '--role', 'analyst', '--unmasked', '--no-password'],
        ['access', 'grant', ANA, '--role', 'analyst', '--no-password'],
      ]) {
        const result = await custdb(owner, args);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      }

      const byStaff = await custdb(as(owner, SAM), ['privacy', 'forget', '1', '--yes']);
      expect(byStaff.code).toBe(2);
      expect(byStaff.stderr).toMatch(new RegExp(SAM));
      const purgeByStaff = await custdb(as(owner, SAM), ['purge', '--inactive-for', '1d', '--as-of', '2030-01-01', '--yes']);
      expect(purgeByStaff.code).toBe(2);
      expect(await sqlAs(owner, `SELECT status FROM customers WHERE id = 1`)).toEqual([{ status: 'active' }]);

      expect((await custdb(owner, ['privacy', 'forget', '1', '--yes'])).code).toBe(0);
      expect(await sqlAs(owner, `SELECT count(*)::int AS n FROM suppression_key`)).toEqual([{ n: 1 }]);

      writeFileSync(path.join(cwd, 'again.csv'), 'email,first_name\njane.quexley@example.com,Jane\nbob@example.com,Bob\n');
      const staffImport = await custdb(as(owner, SAM), ['import', path.join(cwd, 'again.csv'), '--json']);
      expect(staffImport.code, staffImport.stderr).toBe(0);
      expect(JSON.parse(staffImport.stdout).counts).toMatchObject({ inserted: 1, rejected: 1, erased: 1 });

      await expect(sqlAs(as(owner, UNA), `SELECT key FROM suppression_key`)).rejects.toMatchObject({ code: '42501' });
      expect(await sqlAs(as(owner, ANA), `SELECT key FROM custdb_masked.suppression_key`)).toEqual([{ key: null }]);
    } finally {
      await database.dispose();
    }
  });
});
