import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { CLI_DIALECT, sqliteOnly, withCliDatabase } from '../helpers/cli-database.js';
import { cli, everyTableText, janeEverywhere } from '../helpers/privacy-people.js';
import { runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

/** Jane's values as the fixtures spell them, and as custdb stores them: none may survive her erasure. */
const JANE = ['Quexley', 'jane.quexley@example.com', 'jane.q@oldmail.example', '+442079460123', 'Plover Lane', 'Norwich', 'NR2 4QX', 'S-1001', 'T-77', 'N-5', '1984-07-19'];
/** What must stay: other people, and Jane's orders for the books. */
const OTHERS = ['Marlow', 'bob.marlow@example.com', 'Danvers', 'dev.patel@example.com'];

describe('custdb privacy forget', () => {
  it('erases a person imported from three sources, merged, edited, with orders and interactions: no byte of them is left, orders stay', async () => {
    const { cwd, janeId, newsletterId } = await janeEverywhere();
    const before = await everyTableText(cwd);
    for (const value of [...JANE, ...OTHERS]) expect(before, value).toContain(value);

    // No terminal and no --yes: refused, nothing changed.
    const unasked = await runCliInProcess(['privacy', 'forget', 'shop:S-1001'], { cwd });
    expect(unasked.code).toBe(2);
    expect(unasked.stderr).toMatch(/Forgetting customer \d+ removes:[\s\S]*orders kept for the books[\s\S]*Add --yes to confirm/);
    expect(await everyTableText(cwd)).toBe(before);

    // The merged-away newsletter record names the same person.
    const forgotten = await cli(cwd, ['privacy', 'forget', String(newsletterId), '--yes', '--json']);
    const result = JSON.parse(forgotten.stdout) as { customerId: number; records: number[]; erasedOn: string; counts: Record<string, number> };
    expect(result.customerId).toBe(janeId);
    expect(result.records.sort()).toEqual([janeId, newsletterId].sort());
    expect(result.counts).toMatchObject({ customers: 2, identities: 3, ordersKept: 2, merges: 1, interactions: 2 });
    expect(result.counts.suppressions).toBeGreaterThanOrEqual(6);
    expect(forgotten.stderr).toMatch(new RegExp(`customer ${newsletterId} was merged into customer ${janeId}`));

    const after = await everyTableText(cwd);
    for (const value of JANE) expect(after, value).not.toContain(value);
    for (const value of OTHERS) expect(after, value).toContain(value);

    const kept = await withCliDatabase(cwd, async (db) => ({
      customer: await db.selectFrom('customers').select(['status', 'first_name', 'email']).where('id', '=', janeId).executeTakeFirstOrThrow(),
      orders: await db.selectFrom('orders').select(['external_id', 'total_minor', 'ordered_at']).where('customer_id', '=', janeId).orderBy('external_id').execute(),
      items: await db.selectFrom('order_items').innerJoin('orders', 'orders.id', 'order_items.order_id').select(['order_items.name', 'order_items.quantity']).where('orders.customer_id', '=', janeId).orderBy('order_items.name').execute(),
    }));
    expect(kept.customer).toEqual({ status: 'erased', first_name: null, email: null });
    expect(kept.orders).toEqual([
      { external_id: 'O-1', total_minor: 4250, ordered_at: expect.stringMatching(/^2026-03-01/) },
      { external_id: 'O-2', total_minor: 1700, ordered_at: expect.stringMatching(/^2026-06-11/) },
    ]);
    expect(kept.items).toEqual([{ name: 'Rye loaf', quantity: 5 }, { name: 'Seeded sourdough', quantity: 2 }]);

    const again = await runCliInProcess(['privacy', 'forget', String(janeId), '--yes'], { cwd });
    expect([again.code, again.stderr]).toEqual([1, expect.stringMatching(/already erased/)]);
    const gone = await runCliInProcess(['privacy', 'forget', 'shop:S-1001', '--yes'], { cwd });
    expect([gone.code, gone.stderr]).toEqual([1, expect.stringMatching(/No customer matches/)]);

    // Erasure sticks: the same three files again (--force: same content) bring back nobody, and say why.
    const erasedOn = result.erasedOn;
    for (const [file, source] of [['shop.csv', 'shop'], ['till.csv', 'till'], ['newsletter.csv', 'news']] as const) {
      const again = await cli(cwd, ['import', file, '--source', source, '--default-country', 'GB', '--force', '--json']);
      const summary = JSON.parse(again.stdout) as { status: string; counts: { rows: number; rejected: number; erased?: number }; rejectsFile: string };
      expect([file, summary.status, summary.counts.rejected, summary.counts.erased]).toEqual([file, 'imported', 1, 1]);
      const rejects = readFileSync(path.join(cwd, summary.rejectsFile), 'utf8');
      expect(rejects).toContain(`erased on ${erasedOn}`);
      for (const value of JANE) expect(rejects, `${value} in ${summary.rejectsFile}`).not.toContain(value);
    }
    writeFileSync(path.join(cwd, 'more-orders.csv'), 'order_id,email,ordered_at,currency,total\nO-9,jane.quexley@example.com,2026-11-01,GBP,9.00\nO-10,bob.marlow@example.com,2026-11-02,GBP,4.00\n');
    const orders = await cli(cwd, ['import', 'more-orders.csv', '--as', 'orders', '--source', 'shop']);
    expect(orders.stderr).toMatch(/1 of the rejected rows are of people who were erased/);
    const text = await everyTableText(cwd);
    for (const value of JANE) expect(text, value).not.toContain(value);
    expect(text).toContain('O-10');
    expect(text).not.toContain('O-9');

    // Undoing the old batches or the merge would bring her back: refused, nothing changed.
    const batches = await withCliDatabase(cwd, (db) => db.selectFrom('import_batches').select(['id', 'file_name']).orderBy('id').execute());
    for (const file of ['shop.csv', 'till.csv', 'newsletter.csv', 'orders.csv', 'tickets.csv']) {
      const batch = batches.find((b) => b.file_name === file)!;
      const undo = await runCliInProcess(['imports', 'undo', String(batch.id), '--yes', '--keep-later-changes'], { cwd });
      expect([file, undo.code]).toEqual([file, 1]);
      expect(undo.stdout).toMatch(new RegExp(`Cannot undo batch ${batch.id}: it touched customers who were erased since[\\s\\S]*customer (${janeId}|${newsletterId}) was erased on ${erasedOn}`));
    }
    const mergeUndo = await runCliInProcess(['merges', 'undo', '1', '--yes'], { cwd });
    expect([mergeUndo.code, mergeUndo.stdout]).toEqual([1, expect.stringMatching(new RegExp(`Cannot undo merge 1[\\s\\S]*customer ${janeId} was erased on ${erasedOn}`))]);
    expect(await everyTableText(cwd)).toBe(text);

    if (CLI_DIALECT === 'sqlite') {
      const file = path.join(cwd, 'customers.db');
      expect(statSync(`${file}.keys`).mode & 0o777).toBe(0o600);
      const rawBytes = () => Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)]).toString('latin1');
      for (const value of JANE) expect(rawBytes().includes(value), `${value} in the raw file`).toBe(false);
      expect(rawBytes()).toContain('bob.marlow@example.com');
      // The key is not in the database: a copy of the file alone cannot test guesses.
      expect(rawBytes()).not.toContain(readFileSync(`${file}.keys`, 'utf8').trim());
      const sqlite = new BetterSqlite3(file);
      sqlite.exec('VACUUM');
      sqlite.close();
      for (const value of JANE) expect(rawBytes().includes(value), `${value} after VACUUM`).toBe(false);
    }
  });

  // Spawned: the in-process runner counts the test's own reader as a file the command left open.
  sqliteOnly('a reader of the file in another connection')('says so when another reader keeps the old pages in the -wal, and they go when it closes (spawned binary)', async () => {
    const { cwd } = await janeEverywhere();
    const file = path.join(cwd, 'customers.db');
    const reader = new BetterSqlite3(file, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM customers').get();
    // SQLite's checkpoint waits its busy timeout (5 s) for the reader before giving up.
    const forgotten = await runCli(['privacy', 'forget', 'shop:S-1001', '--yes'], { cwd });
    expect(forgotten.code, forgotten.stderr).toBe(0);
    expect(forgotten.stderr).toMatch(/warning: another process is reading .*customers\.db: the erased values are gone from the database, but older copies of its pages stay in .*customers\.db-wal/);
    reader.exec('COMMIT');
    reader.close();
    expect(existsSync(`${file}-wal`)).toBe(true);
    await cli(cwd, ['show', 'shop:S-1002']);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const raw = readFileSync(file).toString('latin1');
    for (const value of JANE) expect(raw.includes(value), `${value} in the raw file`).toBe(false);
  });
});

describe('custdb privacy forget (spawned binary)', () => {
  it('custdb privacy forget shop:S-1001 --yes --json erases her and says so, exit 0', async () => {
    const { cwd, janeId } = await janeEverywhere();
    const result = await runCli(['privacy', 'forget', 'shop:S-1001', '--yes', '--json'], { cwd });
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(JSON.parse(result.stdout)).toMatchObject({ customerId: janeId, counts: { customers: 2, ordersKept: 2 } });
    for (const value of JANE) expect(await everyTableText(cwd), value).not.toContain(value);
  });
});
