import { rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { writeCustomerFile } from '../helpers/customer-files.js';
import { fuzzSettings } from '../helpers/fuzz-settings.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { makeWorkdir, runCli, type CliResult } from '../helpers/run-cli.js';

const settings = fuzzSettings({ sampleRuns: 1, sampleSeconds: 20, fullRuns: 20 });
const LOCKED = /locked by another process \(waited \d+ s\)/;

function storedCustomers(db: string): number {
  const sqlite = new Database(db, { readonly: true });
  try {
    return (sqlite.prepare("SELECT count(*) AS n FROM customers WHERE status = 'active'").get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

function checkNoCrash(name: string, result: CliResult): void {
  expect(result.stderr, `${name}: ${result.stderr}`).not.toContain('internal error');
  if (result.code === 2) expect(result.stderr, `${name} exited 2 without saying it waited for a lock`).toMatch(LOCKED);
}

describe('commands running at the same time on one database', () => {
  it(
    `custdb import a.csv & custdb import b.csv & custdb export customers & custdb show — ${settings.runs} rounds from seed ${settings.firstSeed}`,
    async () => {
      const deadline = Date.now() + settings.seconds * 1000;
      for (let round = 0; round < settings.runs && Date.now() < deadline; round++) {
        const seed = settings.firstSeed + round;
        const dir = makeWorkdir();
        const db = path.join(dir, 'customers.db');
        // Different sizes each round, so the imports and the export overlap at different points.
        const sizeA = 1_000 + (seed % 5) * (settings.full ? 1_000 : 200);
        const sizeB = 1_500 + (seed % 3) * (settings.full ? 1_500 : 300);
        writeCustomerFile(path.join(dir, 'a.csv'), 'a', sizeA);
        writeCustomerFile(path.join(dir, 'b.csv'), 'b', sizeB);
        expect((await runCliInProcess(['init', '--db', db])).code).toBe(0);

        const [importA, importB, exported, shown] = await Promise.all([
          runCli(['import', 'a.csv', '--json'], { cwd: dir }),
          runCli(['import', 'b.csv', '--json'], { cwd: dir }),
          runCli(['export', 'customers', '--fields', 'email'], { cwd: dir }),
          runCli(['show', 'a-1@example.com', '--json'], { cwd: dir }),
        ]);
        const context = `round ${round} (seed ${seed}, ${sizeA} + ${sizeB} rows) in ${dir}`;

        let expected = 0;
        for (const [name, result, size] of [['import a.csv', importA, sizeA], ['import b.csv', importB, sizeB]] as const) {
          checkNoCrash(`${name}, ${context}`, result);
          expect([0, 2], `${name}, ${context}: ${result.stderr}`).toContain(result.code);
          if (result.code === 0) {
            const json = JSON.parse(result.stdout) as { status: string; counts: { inserted: number } };
            expect(json.status, context).toBe('imported');
            expect(json.counts.inserted, context).toBe(size);
            expected += size;
          }
        }
        checkNoCrash(`export, ${context}`, exported);
        expect([0, 2], `export, ${context}: ${exported.stderr}`).toContain(exported.code);
        if (exported.code === 0) {
          // The export reads one snapshot: both imports, one, or none — never part of one.
          const rows = (parse(exported.stdout, { columns: true }) as { email: string }[]).length;
          expect([0, sizeA, sizeB, sizeA + sizeB], `export saw ${rows} customers, ${context}`).toContain(rows);
        }
        checkNoCrash(`show, ${context}`, shown);
        expect([0, 1, 2], `show, ${context}`).toContain(shown.code);

        expect(storedCustomers(db), `${context}: the imports that exited 0 reported ${expected} customers inserted; rows were lost`).toBe(expected);
        const listed = await runCliInProcess(['imports', 'list', '--json', '--db', db]);
        const batches = (JSON.parse(listed.stdout) as { batches: { status: string; inserted: number }[] }).batches;
        expect(batches.filter((b) => b.status === 'committed').map((b) => b.inserted).sort(), context).toEqual(
          [importA, importB].flatMap((r, i) => (r.code === 0 ? [i === 0 ? sizeA : sizeB] : [])).sort(),
        );
        const doctor = await runCliInProcess(['doctor', '--json', '--db', db]);
        expect(doctor.code, `${context}: ${doctor.stdout}`).toBe(0);
      }
    },
    (settings.seconds + 90) * 1000,
  );

  it(
    `custdb import while custdb show runs again and again: every customer the import reports is stored — ${settings.runs} rounds from seed ${settings.firstSeed}`,
    async () => {
      // A reader that opens the file just as the import does is where a -wal/-shm file can go missing under a writer.
      const deadline = Date.now() + settings.seconds * 1000;
      for (let round = 0; round < settings.runs && Date.now() < deadline; round++) {
        const dir = makeWorkdir();
        const db = path.join(dir, 'customers.db');
        writeCustomerFile(path.join(dir, 'a.csv'), 'a', 500);
        expect((await runCliInProcess(['init', '--db', db])).code).toBe(0);
        const importing = runCli(['import', 'a.csv', '--json'], { cwd: dir });
        let finished = false;
        void importing.then(() => (finished = true));
        let shows = 0;
        while (!finished) {
          const shown = await runCliInProcess(['show', '1', '--db', db]);
          expect(shown.stderr).not.toContain('internal error');
          shows += 1;
          // Let the child's exit be noticed: an in-process command may finish without leaving the microtask queue.
          await new Promise((resolve) => setImmediate(resolve));
        }
        const result = await importing;
        expect(result.code, result.stderr).toBe(0);
        const inserted = (JSON.parse(result.stdout) as { counts: { inserted: number } }).counts.inserted;
        expect(storedCustomers(db), `round ${round} (seed ${settings.firstSeed + round}) in ${dir}: the import reported ${inserted} inserted, ${shows} shows ran meanwhile`).toBe(inserted);
        rmSync(dir, { recursive: true, force: true });
      }
    },
    (settings.seconds + 60) * 1000,
  );

  it('custdb import while another program holds the write lock for longer than the busy timeout: exit 2, "locked … waited", nothing written', async () => {
    const dir = makeWorkdir();
    const db = path.join(dir, 'customers.db');
    writeCustomerFile(path.join(dir, 'a.csv'), 'a', 100);
    expect((await runCliInProcess(['init', '--db', db])).code).toBe(0);

    const holder = new Database(db);
    holder.exec('BEGIN IMMEDIATE');
    const blocked = runCli(['import', 'a.csv', '--json'], { cwd: dir });
    // Readers are not blocked by a writer: an export runs meanwhile.
    const exported = await runCli(['export', 'customers'], { cwd: dir });
    const result = await blocked;
    holder.exec('ROLLBACK');
    holder.close();

    expect(exported.code, exported.stderr).toBe(0);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(LOCKED);
    expect(result.stderr).not.toContain('internal error');
    expect(JSON.parse(result.stdout)).toMatchObject({ error: { kind: 'DatabaseBusyError' } });
    expect(storedCustomers(db)).toBe(0);

    const again = await runCliInProcess(['import', path.join(dir, 'a.csv'), '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    expect(storedCustomers(db)).toBe(100);
    expect((await runCliInProcess(['doctor', '--db', db])).code).toBe(0);
  });
});
