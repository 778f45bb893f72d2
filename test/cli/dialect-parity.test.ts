import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, TEST_DIALECTS, type FreshDatabase, type TestDialect } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

/**
 * The same user's session, command by command, on a SQLite file and on a
 * PostgreSQL database: every command must answer the same (timestamps and the
 * database's name aside) and exports must be the same bytes.
 */

const fixture = (...parts: string[]) => path.join(FIXTURES, ...parts);

/** One step of the session: the command, and whether its output must match across dialects as it is. */
const SESSION: { args: string[]; exit?: number }[] = [
  { args: ['init', '--json'] },
  { args: ['config', 'set', 'default-country', 'US'] },
  { args: ['import', fixture('customers.csv'), '--json'] },
  { args: ['import', fixture('dedupe', 'customers-typed-twice.csv'), '--json'] },
  { args: ['import', fixture('dedupe', 'customers-typed-again.csv'), '--json'] },
  { args: ['import', fixture('orders', 'shopify_orders.csv'), '--json'] },
  { args: ['import', fixture('orders', 'woocommerce_orders.csv'), '--json'] },
  { args: ['import', fixture('interactions', 'support_log.csv'), '--as', 'interactions', '--json'] },
  { args: ['import', fixture('customers.csv'), '--json'] },
  { args: ['dedupe', '--format', 'json'] },
  { args: ['dedupe', '--merge', '--yes', '--threshold', '0.9', '--json'] },
  { args: ['merges', 'list', '--json'] },
  { args: ['show', '1', '--json'] },
  { args: ['show', '3', '--json'] },
  { args: ['customers', 'tag', '2', 'vip', '--json'] },
  { args: ['customers', 'edit', '2', '--set', 'company=Archer Roasters', '--json'] },
  { args: ['export', 'customers'] },
  { args: ['export', 'customers', '--format', 'json'] },
  { args: ['export', 'orders'] },
  { args: ['export', 'interactions'] },
  { args: ['imports', 'list', '--json'] },
  { args: ['imports', 'show', '4', '--warnings', '--json'] },
  { args: ['customers', 'note', '2', 'Asked for decaf samples', '--json'] },
  { args: ['imports', 'undo', '5', '--yes', '--json'] },
  { args: ['merges', 'undo', '1', '--yes', '--json'] },
  { args: ['export', 'customers'] },
  { args: ['doctor', '--json'] },
];

/** What legitimately differs between two runs: when things happened, the database's name, and a file's mode (a server has none). */
function comparable(text: string, location: string): string {
  return text
    .replaceAll(location, '<db>')
    .replace(/"mode": ("\d+"|null)/g, '"mode": "<mode>"')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>')
    .replace(/"(elapsedMs|seconds)": [\d.]+/g, '"$1": 0');
}

const outputs = new Map<TestDialect, { step: string; code: number; stdout: string; stderr: string }[]>();
const databases: FreshDatabase[] = [];

describe.each(TEST_DIALECTS)('a session on %s', (dialect) => {
  beforeAll(async () => {
    const database = await freshDatabase(dialect);
    databases.push(database);
    const results = [];
    for (const step of SESSION) {
      const result = await runCliInProcess([...step.args, '--db', database.location]);
      results.push({ step: step.args.map((a) => path.basename(a)).join(' '), code: result.code, stdout: comparable(result.stdout, database.location), stderr: comparable(result.stderr, database.location) });
    }
    outputs.set(dialect, results);
  });

  it('runs every command of the session successfully', () => {
    const failed = outputs.get(dialect)!.filter((r) => r.code !== 0);
    expect(failed).toEqual([]);
  });

  it('imports, merges, exports and undoes what the fixtures hold', () => {
    const results = outputs.get(dialect)!;
    const exported = results.find((r) => r.step === 'export customers')!.stdout.trim().split('\n');
    expect(exported.length).toBeGreaterThan(20);
    const merged = JSON.parse(results.find((r) => r.step.startsWith('dedupe --merge'))!.stdout) as { merges: unknown[] };
    expect(merged.merges.length).toBeGreaterThan(0);
    const undone = JSON.parse(results.find((r) => r.step.startsWith('imports undo'))!.stdout) as { status: string };
    expect(undone.status).toBe('undone');
    expect(results.find((r) => r.step.startsWith('doctor'))!.stdout).toMatch(/"ok": true/);
  });
});

describe.runIf(TEST_DIALECTS.includes('sqlite') && TEST_DIALECTS.includes('postgres'))('SQLite and PostgreSQL', () => {
  it('answer every command of the session the same, and export the same bytes', () => {
    const sqlite = outputs.get('sqlite')!;
    const postgres = outputs.get('postgres')!;
    expect(postgres.map((r) => r.step)).toEqual(sqlite.map((r) => r.step));
    const differing = sqlite.flatMap((answer, i) => (JSON.stringify(answer) === JSON.stringify(postgres[i]) ? [] : [{ sqlite: answer, postgres: postgres[i] }]));
    expect(differing).toEqual([]);
  });
});

afterAll(async () => {
  for (const database of databases) await database.dispose();
});
