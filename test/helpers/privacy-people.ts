import { expect } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import { mergeCluster } from '../../src/merge/merge-cluster.js';
import { cliDatabaseLocation, withCliDatabase } from './cli-database.js';
import { makeWorkdir } from './run-cli.js';
import { runCliInProcess } from './run-cli-in-process.js';

const FIXTURES = ['privacy/shop.csv', 'privacy/till.csv', 'privacy/newsletter.csv', 'privacy/orders.csv', 'privacy/tickets.csv'];

/** Runs custdb in `cwd` and expects exit `code`, showing the output when it differs. */
export async function cli(cwd: string, args: string[], code = 0): Promise<{ stdout: string; stderr: string }> {
  const result = await runCliInProcess(args, { cwd });
  expect(result.code, `custdb ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(code);
  return result;
}

/** Every row of every table of the database, as one text. */
export async function everyTableText(cwd: string): Promise<string> {
  return withCliDatabase(cwd, async (db) => {
    const tables = (await db.introspection.getTables()).map((t) => t.name).filter((name) => !name.startsWith('custdb_'));
    expect(tables).toContain('customers');
    const parts: string[] = [];
    for (const table of tables) {
      const rows = await db.selectFrom(table as 'customers').selectAll().execute();
      parts.push(`${table}: ${JSON.stringify(rows)}`);
    }
    return parts.join('\n');
  });
}

/** Jane imported from three sources (two join her by phone and source id; the newsletter's other email makes a second record, merged), with orders, a ticket, an edit and a note. */
export async function janeEverywhere(): Promise<{ cwd: string; janeId: number; newsletterId: number }> {
  const cwd = makeWorkdir(...FIXTURES);
  await cli(cwd, ['init']);
  await cli(cwd, ['import', 'shop.csv', '--source', 'shop', '--default-country', 'GB']);
  await cli(cwd, ['import', 'till.csv', '--source', 'till', '--default-country', 'GB']);
  await cli(cwd, ['import', 'newsletter.csv', '--source', 'news', '--default-country', 'GB']);
  await cli(cwd, ['import', 'orders.csv', '--as', 'orders', '--source', 'shop']);
  await cli(cwd, ['import', 'tickets.csv', '--as', 'interactions', '--source', 'desk']);
  const ids = await withCliDatabase(cwd, (db) => db.selectFrom('customer_identities').select(['source', 'external_id', 'customer_id']).execute());
  const janeId = ids.find((i) => i.external_id === 'S-1001')!.customer_id;
  const newsletterId = ids.find((i) => i.external_id === 'N-5')!.customer_id;
  expect(ids.find((i) => i.external_id === 'T-77')!.customer_id).toBe(janeId);
  expect(newsletterId).not.toBe(janeId);
  const { store } = await openStore({ location: cliDatabaseLocation(cwd), create: false, migrations: 'apply' });
  try {
    await mergeCluster(store, [janeId, newsletterId], { actor: 'test', probability: 0.97, command: 'dedupe --review' });
  } finally {
    await store.close();
  }
  await cli(cwd, ['customers', 'edit', String(janeId), '--set', 'address_line2=Flat 2, Plover Lane', '--set', 'attr.loaf=rye']);
  await cli(cwd, ['customers', 'tag', String(janeId), 'quexley-regular']);
  await cli(cwd, ['customers', 'note', String(janeId), 'Jane Quexley prefers collection at NR2 4QX']);
  return { cwd, janeId, newsletterId };
}

