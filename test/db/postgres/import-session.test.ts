import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { openStore } from '../../../src/db/open-store.js';
import { importSessionLimits } from '../../../src/db/postgres/postgres-import-session.js';
import { mergeCluster } from '../../../src/merge/merge-cluster.js';
import { customerCsvLines } from '../../../bench/generate-customer-csv.js';
import { orderCsvLines } from '../../../bench/generate-orders.js';
import { freshDatabase, TEST_DIALECTS, type FreshDatabase, type TestDialect } from '../../helpers/dialects.js';
import { runCliInProcess } from '../../helpers/run-cli-in-process.js';
import { FIXTURES } from '../../helpers/run-cli.js';

/**
 * The same imports, command by command, into a SQLite file and a PostgreSQL
 * database: every command must answer the same, and every table must then
 * hold the same rows — ids included — with only the times differing.
 */

/** Every table, ordered by its key. */
const TABLES: Record<string, string> = {
  import_batches: 'id',
  import_warnings: 'id',
  customers: 'id',
  customer_identities: 'id',
  customer_tags: 'customer_id, tag',
  customer_attributes: 'customer_id, name',
  customer_metrics: 'customer_id',
  products: 'id',
  orders: 'id',
  order_items: 'id',
  interactions: 'id',
  events: 'id',
  merges: 'id',
  changes: 'id',
  dedupe_decisions: 'left_id, right_id',
  duplicate_suspects: 'customer_id, other_id',
  segments: 'id',
  suppressions: 'hash',
  saved_mappings: 'name',
  settings: 'key',
};

const ISO_TIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g;

/** A database of each dialect, with a folder of its own for the files it imports (rejects files land beside them). */
class DialectPair {
  private constructor(readonly sides: { dialect: TestDialect; database: FreshDatabase; dir: string }[]) {}

  static async open(): Promise<DialectPair> {
    const sides = [];
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const dir = mkdtempSync(path.join(tmpdir(), `custdb-pair-${dialect}-`));
      sides.push({ dialect, database: await freshDatabase(dialect), dir });
    }
    return new DialectPair(sides);
  }

  /** Copies a fixture (or writes `content`) into each side's folder under `name`. */
  addFile(name: string, content?: string): void {
    for (const side of this.sides) {
      if (content === undefined) cpSync(path.join(FIXTURES, name), path.join(side.dir, path.basename(name)));
      else writeFileSync(path.join(side.dir, name), content);
    }
  }

  /**
   * Runs `custdb ARGS --db …` on both sides (`{file}` in an argument is the side's folder), expects the
   * same exit code and output (unless `sameOutput` is false), and returns the SQLite side's output.
   */
  async run(args: string[], options: { exit?: number; sameOutput?: boolean } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const results = [];
    for (const side of this.sides) {
      const sideArgs = args.map((arg) => arg.replaceAll('{dir}', side.dir));
      const result = await runCliInProcess([...sideArgs, '--db', side.database.location]);
      const mask = (text: string) => text.replaceAll(side.database.location, '<db>').replaceAll(side.dir, '<dir>').replace(ISO_TIME, '<time>').replace(/"elapsedMs": \d+/g, '"elapsedMs": 0');
      results.push({ code: result.code, stdout: mask(result.stdout), stderr: mask(result.stderr) });
    }
    const [sqlite, postgres] = results;
    const what = `custdb ${args.join(' ')}`;
    if (options.sameOutput ?? true) expect(postgres, what).toEqual(sqlite);
    else expect(postgres!.code, what).toBe(sqlite!.code);
    if (options.exit !== undefined) expect(sqlite!.code, `${what}\n${sqlite!.stderr}`).toBe(options.exit);
    return sqlite!;
  }

  /** Runs `work` on a store of each side. */
  async withStores<T>(work: (store: Awaited<ReturnType<typeof openStore>>['store']) => Promise<T>): Promise<T[]> {
    const results: T[] = [];
    for (const side of this.sides) {
      const { store } = await openStore({ location: side.database.location, create: false, migrations: 'check' });
      try {
        results.push(await work(store));
      } finally {
        await store.close();
      }
    }
    return results;
  }

  /** Every table's rows, times masked, must be the same on both sides (but the audit log's database role: SQLite has none; and its hashes, which cover the times). */
  async expectSameTables(step: string): Promise<void> {
    const [sqlite, postgres] = await this.withStores(async (store) => {
      const dump: Record<string, unknown> = {};
      for (const [table, order] of Object.entries(TABLES)) {
        const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(order)}`.execute(store.db);
        const comparable = table === 'events' ? rows.map(({ db_role: _role, prev_hash: _prev, hash: _hash, ...event }) => event) : rows;
        dump[table] = JSON.parse(JSON.stringify(comparable).replace(ISO_TIME, '<time>'));
      }
      return dump;
    });
    for (const table of Object.keys(TABLES)) expect(postgres![table], `${table} after ${step}`).toEqual(sqlite![table]);
  }

  async dispose(): Promise<void> {
    for (const side of this.sides) {
      await side.database.dispose();
      rmSync(side.dir, { recursive: true, force: true });
    }
  }
}

const bothDialects = TEST_DIALECTS.includes('sqlite') && TEST_DIALECTS.includes('postgres');
let pair: DialectPair | undefined;

afterEach(async () => {
  await pair?.dispose();
  pair = undefined;
});

async function openPair(): Promise<DialectPair> {
  pair = await DialectPair.open();
  // init says the file's permissions, which a server database has none of.
  await pair.run(['init', '--json'], { exit: 0, sameOutput: false });
  return pair;
}

describe.runIf(bothDialects)('a PostgreSQL import leaves the rows a SQLite import leaves', () => {
  it('every import fixture and export preset, one after another into one database', async () => {
    const both = await openPair();
    const cases = [
      ...readdirSync(path.join(FIXTURES, 'import')).filter((f) => f.endsWith('.csv')).map((f) => `import/${f}`),
      ...readdirSync(path.join(FIXTURES, 'presets')).filter((f) => f.endsWith('.csv')).map((f) => `presets/${f}`),
    ].sort();
    for (const fixture of cases) {
      const expectedFile = path.join(FIXTURES, fixture.replace(/\.csv$/, '.expected.json'));
      const args: string[] = JSON.parse(readFileSync(expectedFile, 'utf8')).args ?? [];
      both.addFile(fixture);
      await both.run(['import', `{dir}/${path.basename(fixture)}`, '--json', ...args]);
      await both.expectSameTables(fixture);
    }
  }, 300_000);

  it('customers: again unchanged, an update file, look-alikes, a dry run, merged customers found through their survivor, undo and the ids after it', async () => {
    const both = await openPair();
    await both.run(['config', 'set', 'default-country', 'US'], { exit: 0 });
    both.addFile('customers.csv');
    await both.run(['import', '{dir}/customers.csv', '--json'], { exit: 0 });
    await both.expectSameTables('customers.csv');
    const again = await both.run(['import', '{dir}/customers.csv', '--force', '--json'], { exit: 0 });
    expect(JSON.parse(again.stdout).counts).toMatchObject({ inserted: 0, updated: 0 });
    await both.expectSameTables('customers.csv again');

    both.addFile(
      'update.csv',
      [
        'Customer ID,First Name,Last Name,Email,Phone,Company,City,Accepts Marketing,Tags,Favourite Roast',
        // Found by id: a new email (moved off jane's old one), new tag, new roast, consent withdrawn.
        'C-1001,Jane,O\'Brien,jane@newmail.example.com,(415) 555-2671,Acme,Oakland,no,"vip, espresso",light',
        // Found by id: a new phone.
        'C-1002,Robert,McDonald,bob.mcdonald@example.com,+44 20 7946 0000,,,,,',
        // No id, jane's old email: she left it a row earlier, so this is someone new.
        ',Janet,Obrien,jane.obrien@example.com,,,,,,',
        // No id, twice: the second row finds the first (written in the same chunk).
        ',Zoe,Quinn,zoe.quinn@example.com,+1 415 555 0199,,,yes,new,',
        ',Zoe,Quinn,zoe.quinn@example.com,,Quinn Ltd,,,,',
        // Shares robert's email with another first name: new, flagged as a possible duplicate.
        ',Rob,Other,bob.mcdonald@example.com,,,,,,',
      ].join('\n') + '\n',
    );
    const update = await both.run(['import', '{dir}/update.csv', '--update', 'overwrite', '--json'], { exit: 0 });
    expect(JSON.parse(update.stdout)).toMatchObject({ counts: { inserted: 3, updated: 3, suspects: 1 }, matchedBy: { external_id: 2, email: 1 } });
    await both.expectSameTables('update.csv');

    for (const fixture of ['dedupe/customers-typed-twice.csv', 'dedupe/customers-typed-again.csv', 'import/couple-shared-email.csv', 'import/household-shared-phone.csv']) {
      both.addFile(fixture);
      await both.run(['import', `{dir}/${path.basename(fixture)}`, '--json'], { exit: 0 });
      await both.expectSameTables(fixture);
    }
    both.addFile('import/same-person-twice.csv');
    await both.run(['import', '{dir}/same-person-twice.csv', '--dry-run', '--json'], { exit: 0 });
    await both.expectSameTables('a dry run');

    // 5 into 4, then 4 into 3: C-1005's row finds customer 3 two hops down the chain; C-1002's finds 1.
    await both.withStores((store) => mergeCluster(store, [4, 5], { actor: 't', probability: null, command: 'test' }));
    await both.withStores((store) => mergeCluster(store, [3, 4], { actor: 't', probability: null, command: 'test' }));
    await both.withStores((store) => mergeCluster(store, [1, 2], { actor: 't', probability: null, command: 'test' }));
    await both.expectSameTables('merges');
    both.addFile('merged.csv', ['Customer ID,First Name,Email,Company', 'C-1005,,,Five Ltd', 'C-1002,,,Two Ltd', 'C-1004,,,Four Ltd'].join('\n') + '\n');
    const merged = await both.run(['import', '{dir}/merged.csv', '--update', 'overwrite', '--json'], { exit: 0 });
    expect(JSON.parse(merged.stdout)).toMatchObject({ counts: { inserted: 0, updated: 3 }, matchedBy: { external_id: 3 } });
    await both.expectSameTables('merged.csv');
    // Ids the import gave are behind the identity sequences: a customer added after it takes the next one.
    await both.run(['customers', 'add', '--first-name', 'Late', '--email', 'late@example.com', '--json'], { exit: 0 });
    await both.expectSameTables('customers add');

    const batches = await both.run(['imports', 'list', '--json'], { exit: 0 });
    const last = (JSON.parse(batches.stdout) as { batches: { id: number }[] }).batches[0]!.id;
    await both.run(['imports', 'undo', String(last), '--yes', '--json'], { exit: 0 });
    await both.expectSameTables('undo');
    both.addFile('import/full-name-split.csv');
    await both.run(['import', '{dir}/full-name-split.csv', '--json'], { exit: 0 });
    await both.expectSameTables('an import after undo');
  }, 120_000);

  it('orders and interactions: every orders fixture, again, a changed status, interactions, undo', async () => {
    const both = await openPair();
    await both.run(['config', 'set', 'default-country', 'US'], { exit: 0 });
    both.addFile('customers.csv');
    await both.run(['import', '{dir}/customers.csv', '--json'], { exit: 0 });
    for (const fixture of readdirSync(path.join(FIXTURES, 'orders')).filter((f) => f.endsWith('.csv')).sort()) {
      both.addFile(`orders/${fixture}`);
      await both.run(['import', `{dir}/${fixture}`, '--json']);
      await both.expectSameTables(fixture);
    }
    const again = await both.run(['import', '{dir}/shopify_orders.csv', '--force', '--json'], { exit: 0 });
    expect(JSON.parse(again.stdout).counts).toMatchObject({ inserted: 0, unchanged: 3 });
    const refunded = readFileSync(path.join(FIXTURES, 'orders/shopify_orders.csv'), 'utf8').replace(/,paid,/, ',refunded,');
    both.addFile('shopify_refunded.csv', refunded);
    const changed = await both.run(['import', '{dir}/shopify_refunded.csv', '--json'], { exit: 0 });
    expect(JSON.parse(changed.stdout).counts).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    await both.expectSameTables('a changed status');

    both.addFile('interactions/support_log.csv');
    await both.run(['import', '{dir}/support_log.csv', '--max-rejects', '1', '--json'], { exit: 0 });
    await both.expectSameTables('support_log.csv');
    const unchanged = await both.run(['import', '{dir}/support_log.csv', '--max-rejects', '1', '--force', '--json'], { exit: 0 });
    expect(JSON.parse(unchanged.stdout).counts).toMatchObject({ inserted: 0 });

    const { batches } = JSON.parse((await both.run(['imports', 'list', '--json'], { exit: 0 })).stdout) as { batches: { id: number; kind: string }[] };
    const orders = batches.find((b) => b.kind === 'orders')!.id;
    await both.run(['imports', 'undo', String(orders), '--yes', '--json']);
    await both.expectSameTables('undo of an orders import');
  }, 120_000);

  it('files of many chunks, written and forgotten every few hundred rows: customers, their repeats, updates, orders', async () => {
    // Small enough that the session writes and forgets between chunks, so lookups cross what it wrote and forgot.
    const limits = { ...importSessionLimits };
    Object.assign(importSessionLimits, { writeRows: 700, memoryEntries: 2500 });
    onTestFinished(() => void Object.assign(importSessionLimits, limits));
    const both = await openPair();
    const csv = (lines: Iterable<string>) => `${[...lines].join('\n')}\n`;
    both.addFile('many.csv', csv(customerCsvLines({ rows: 5000, seed: 7 })));
    await both.run(['import', '{dir}/many.csv', '--json'], { exit: 0 });
    await both.expectSameTables('many.csv');
    // The same people and more, typed again (a third repeated, spelled differently), overwriting what they had.
    both.addFile('more.csv', csv(customerCsvLines({ rows: 7000, seed: 7, duplicateShare: 0.3 })));
    const more = await both.run(['import', '{dir}/more.csv', '--update', 'overwrite', '--json'], { exit: 0 });
    expect(JSON.parse(more.stdout).counts.updated).toBeGreaterThan(500);
    await both.expectSameTables('more.csv');
    const again = await both.run(['import', '{dir}/many.csv', '--force', '--json'], { exit: 0 });
    expect(JSON.parse(again.stdout).counts.inserted).toBeLessThan(50);
    await both.expectSameTables('many.csv again');
    both.addFile('orders.csv', csv(orderCsvLines({ rows: 6000, seed: 7 })));
    await both.run(['import', '{dir}/orders.csv', '--as', 'orders', '--json'], { exit: 0 });
    await both.expectSameTables('orders.csv');
    await both.run(['import', '{dir}/orders.csv', '--as', 'orders', '--force', '--json'], { exit: 0 });
    await both.expectSameTables('orders.csv again');
  }, 300_000);

  it.each([
    { writeRows: 700, memoryEntries: 2500, what: 'written and forgotten every few hundred rows' },
    { writeRows: 1_000_000, memoryEntries: 1_000_000, what: 'kept in memory to the end' },
  ])('customers moved off and onto a shared email and phone, chunks apart ($what)', async ({ writeRows, memoryEntries }) => {
    const limits = { ...importSessionLimits };
    Object.assign(importSessionLimits, { writeRows, memoryEntries });
    onTestFinished(() => void Object.assign(importSessionLimits, limits));
    const both = await openPair();
    // 15 people share an email, 15 others a phone: more than the 10 a lookup answers with.
    const base = ['Customer ID,First Name,Last Name,Email,Phone'];
    for (let i = 1; i <= 15; i++) base.push(`S-${i},Sam${i},Shared,shared@example.com,`);
    for (let i = 1; i <= 15; i++) base.push(`H-${i},Hal${i},Home,,+1 415 555 0100`);
    base.push('X-1,Xena,Other,xena@example.com,');
    both.addFile('base.csv', `${base.join('\n')}\n`);
    await both.run(['import', '{dir}/base.csv', '--default-country', 'US', '--json'], { exit: 0 });

    // Thousands of unrelated rows put the interesting ones in different chunks.
    const special = new Map<number, string[]>([
      [100, ['S-1,Sam1,Shared,moved1@example.com,', 'X-1,Xena,Other,shared@example.com,', 'Y-1,Yan,Known,xena@example.com,']],
      [1500, [',Sam12,Shared,shared@example.com,', ',Sam13,Shared,shared@example.com,', 'H-1,Hal1,Home,,+1 415 555 0101']],
      [2500, ['S-2,Sam2,Shared,moved2@example.com,', 'S-3,Sam3,Shared,moved3@example.com,', ',Hal11,Home,,+1 415 555 0100']],
      [3500, [',Sam13,Shared,shared@example.com,', ',Xena,Other,shared@example.com,', 'S-1,Sam1,Shared,shared@example.com,', 'Y-1,,,,']],
      [4500, [',Sam1,Shared,shared@example.com,', ',Sam14,Shared,shared@example.com,', ',Hal12,Home,,+1 415 555 0100', 'H-1,Hal1,Home,,+1 415 555 0100']],
    ]);
    const lines = ['Customer ID,First Name,Last Name,Email,Phone'];
    for (let i = 0; i < 5000; i++) {
      lines.push(...(special.get(i) ?? []));
      lines.push(`P-${i},Pat${i},Padding${i},pad${i}@example.com,`);
    }
    both.addFile('moves.csv', `${lines.join('\n')}\n`);
    const moves = await both.run(['import', '{dir}/moves.csv', '--default-country', 'US', '--update', 'overwrite', '--json'], { exit: 0 });
    expect(JSON.parse(moves.stdout).counts).toMatchObject({ rejected: 0 });
    await both.expectSameTables('moves.csv');
  }, 300_000);
});
