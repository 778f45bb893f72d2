import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freshDatabase, TEST_DIALECTS } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/**
 * Blank rows (skipped, not counted) for the first MiB: a NUL there makes the whole file "binary data", refused
 * before anything is read (src/csv/sniff-encoding.ts); one further in is a damaged row among good ones.
 */
const BLANK_LINES = 300_000;
const padding = (columns: number) => `${','.repeat(columns - 1)}\n`.repeat(BLANK_LINES);

describe.each(TEST_DIALECTS)('a NUL character (U+0000) in a cell, on %s', (dialect) => {
  async function setUp() {
    const database = await freshDatabase(dialect);
    onTestFinished(() => database.dispose());
    const dir = mkdtempSync(path.join(tmpdir(), 'custdb-nul-'));
    const run = (...args: string[]) => runCliInProcess([...args, '--db', database.location], { cwd: dir });
    const init = await run('init');
    expect(init.stderr).toBe('');
    expect(init.code).toBe(0);
    return { dir, run };
  }

  it('rejects the customer row, names the reason in the rejects file, and imports the rest', async () => {
    const { dir, run } = await setUp();
    const file = path.join(dir, 'customers.csv');
    writeFileSync(file, `First Name,Last Name,Email,Notes\n${padding(4)}Ann,Lee,ann@example.com,likes\u0000dark roast\nBo,Park,bo@example.com,\n`);
    const imported = await run('import', file, '--json', '--rejects', path.join(dir, 'rejects.csv'));
    expect(imported.code).toBe(0);
    const result = JSON.parse(imported.stdout) as { counts: { inserted: number; rejected: number } };
    expect(result.counts).toMatchObject({ inserted: 1, rejected: 1 });
    const rejects = readFileSync(path.join(dir, 'rejects.csv'), 'utf8');
    expect(rejects).toContain(`,${BLANK_LINES + 2},column 4 contains a NUL character (U+0000)`);
    expect(rejects).toContain('Ann,Lee,ann@example.com');
    const shown = await run('show', 'ann@example.com');
    expect(shown.code).not.toBe(0);
  });

  it('rejects the whole order whose line holds one, and the interaction row that does', async () => {
    const { dir, run } = await setUp();
    const orders = path.join(dir, 'orders.csv');
    writeFileSync(
      orders,
      'Order ID,Order Date,Email,Product,Quantity,Price,Total\n' +
        padding(7) +
        'A1,2026-01-02,ann@example.com,Mug,1,10.00,25.00\n' +
        'A1,2026-01-02,ann@example.com,Bean\u0000s,1,15.00,25.00\n' +
        'A2,2026-01-03,bo@example.com,Mug,1,10.00,10.00\n',
    );
    const imported = await run('import', orders, '--as', 'orders', '--json', '--rejects', path.join(dir, 'order-rejects.csv'), '--max-rejects', '100%');
    expect(imported.code).toBe(0);
    expect((JSON.parse(imported.stdout) as { counts: { inserted: number; rejected: number } }).counts).toMatchObject({ inserted: 1, rejected: 2 });
    const orderRejects = readFileSync(path.join(dir, 'order-rejects.csv'), 'utf8');
    expect(orderRejects.match(new RegExp(`line ${BLANK_LINES + 3}: column 4 contains a NUL character \\(U\\+0000\\)`, 'g'))).toHaveLength(2);

    const interactions = path.join(dir, 'interactions.csv');
    writeFileSync(interactions, `Date,Email,Channel,Summary\n${padding(4)}` + '2026-01-05,bo@example.com,phone,asked about\u0000 beans\n2026-01-06,bo@example.com,email,sent a quote\n');
    const noted = await run('import', interactions, '--as', 'interactions', '--json', '--rejects', path.join(dir, 'interaction-rejects.csv'), '--max-rejects', '100%');
    expect(noted.code).toBe(0);
    expect((JSON.parse(noted.stdout) as { counts: { inserted: number; rejected: number } }).counts).toMatchObject({ inserted: 1, rejected: 1 });
    expect(readFileSync(path.join(dir, 'interaction-rejects.csv'), 'utf8')).toContain('column 4 contains a NUL character (U+0000)');
  });
});
