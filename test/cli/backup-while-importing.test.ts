import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { writeCustomerFile } from '../helpers/customer-files.js';
import { sqliteOnly } from '../helpers/cli-database.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';

const IMPORTED = 6000;

async function customerCount(cwd: string, db = 'customers.db'): Promise<number> {
  const result = await runCliInProcess(['query', '--count', '--db', db], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return Number(result.stdout.trim());
}

describe('custdb backup while another process imports (spawned import)', () => {
  it('every backup taken during the import holds all of it or none of it, and restores to a database doctor passes', async () => {
    const cwd = makeWorkdir('customers.csv');
    expect((await runCliInProcess(['import', 'customers.csv'], { cwd })).code).toBe(0);
    const before = await customerCount(cwd);
    writeCustomerFile(path.join(cwd, 'big.csv'), 'bulk', IMPORTED);

    let importDone = false;
    const importing = runCli(['import', 'big.csv'], { cwd }).then((result) => {
      importDone = true;
      return result;
    });
    // Backups one after another for as long as the import runs (and one more after it): some land while it writes.
    const duringImport: string[] = [];
    for (let k = 0; !importDone || k === 0; k++) {
      const startedDuring = !importDone;
      const file = `during-${k}.db`;
      const backup = await runCliInProcess(['backup', file], { cwd });
      expect(backup.code, backup.stderr).toBe(0);
      if (startedDuring && !importDone) duringImport.push(file);
    }
    const imported = await importing;
    expect(imported.code, imported.stderr).toBe(0);
    expect(duringImport.length).toBeGreaterThan(0);

    for (const file of duringImport) {
      const sqlite = new BetterSqlite3(path.join(cwd, file), { readonly: true });
      const rows = sqlite.prepare("SELECT count(*) FROM customers WHERE email LIKE 'bulk-%'").pluck().get() as number;
      sqlite.close();
      expect([file, rows]).toEqual([file, rows === 0 ? 0 : IMPORTED]);
    }
    const last = duringImport.at(-1)!;
    const restored = await runCliInProcess(['restore', last, '--yes'], { cwd });
    expect(restored.code, restored.stderr).toBe(0);
    const doctor = await runCliInProcess(['doctor', '--json'], { cwd });
    expect([doctor.code, JSON.parse(doctor.stdout).ok]).toEqual([0, true]);
    expect([before, before + IMPORTED]).toContain(await customerCount(cwd));
  });

  sqliteOnly('a file another process has open')('custdb restore (spawned) refuses to swap a database another connection has open, and changes nothing', async () => {
    const cwd = makeWorkdir('customers.csv');
    expect((await runCliInProcess(['import', 'customers.csv'], { cwd })).code).toBe(0);
    expect((await runCli(['backup', 'b.db'], { cwd })).code).toBe(0);
    const other = new BetterSqlite3(path.join(cwd, 'customers.db'));
    const hash = () => createHash('sha256').update(readFileSync(path.join(cwd, 'customers.db'))).digest('hex');
    const before = hash();
    try {
      other.prepare('SELECT count(*) FROM customers').get();
      const refused = await runCli(['restore', 'b.db', '--yes'], { cwd });
      expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/customers\.db is in use by another process, so it cannot be replaced now\. Nothing was changed\.[\s\S]*Stop the other custdb commands/)]);
    } finally {
      other.close();
    }
    expect(hash()).toBe(before);
    expect(existsSync(path.join(cwd, 'customers.db.before-restore'))).toBe(false);
    const restored = await runCli(['restore', 'b.db', '--yes'], { cwd });
    expect(restored.code, restored.stderr).toBe(0);
  });
});
