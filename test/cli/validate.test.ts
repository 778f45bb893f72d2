import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/open-store.js';
import type { ReportDocument, TableSection } from '../../src/reports/report-document.js';
import { buildQualityReport } from '../../src/validate/build-quality-report.js';
import type { ValidationResult } from '../../src/validate/validate-database.js';
import { cliDatabaseLocation, NO_DATABASE, queryCliDatabase, whileWriteLocked, withCliDatabase } from '../helpers/cli-database.js';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

const AS_OF = '2026-12-01';

/** One customer per problem (K2…K13), Alice (K1) clean but for her two currencies, and Zed (K14) erased below. */
const CUSTOMERS = `Customer ID,First Name,Last Name,Email,Phone,Address,City,Zip,Country,Birthday,Signup Date,Accepts Marketing
K1,Alice,Good,alice@example.com,+14155552671,1 Main St,Springfield,02134,US,1980-01-01,2024-01-01,yes
K2,Bob,Bad,not-an-email,,2 Main St,Springfield,02134,US,,2024-01-01,no
K3,Carol,Phone,carol@example.com,12,3 Main St,Springfield,02134,US,,2024-01-01,yes
K4,Dan,Zip,dan@example.com,,4 Main St,Springfield,ABCDE,US,,2024-01-01,yes
K5,Eve,Future,eve@example.com,,5 Main St,Springfield,02134,US,2090-05-05,2024-01-01,yes
K6,Fay,Old,fay@example.com,,6 Main St,Springfield,02134,US,1850-01-01,2024-01-01,yes
K7,Gus,Narnia,gus@example.com,,7 Lamp Post,Cair Paravel,,Narnia,,2024-01-01,yes
K8,Hal,Nocontact,,,,,,,,2024-01-01,
K9,Ivy,Noconsent,ivy@example.com,,9 Main St,Springfield,02134,US,,2024-01-01,
K10,Jo,Stale,jo@example.com,,10 Main St,Springfield,02134,US,,2015-01-01,yes
K11,Kim,Shared,kim@example.com,+14155550100,11 Main St,Springfield,02134,US,,2024-01-01,yes
K12,Lee,Shared,lee@example.com,+14155550100,11 Main St,Springfield,02134,US,,2024-01-01,yes
K13,Mo,Oldbuyer,mo@example.com,,13 Main St,Springfield,02134,US,,2010-01-01,yes
K14,Zed,Gone,zed@example.com,,14 Main St,Springfield,02134,US,,2024-01-01,yes
`;

/** Alice pays in two currencies; Carol's order C1 says 50.00 for one 10.00 mug; Mo last ordered in 2020. */
const ORDERS = `Order ID,Email,Created At,Currency,Total,Lineitem name,Lineitem quantity,Lineitem price
A1,alice@example.com,2026-06-01,USD,20.00,Mug,2,10.00
A2,alice@example.com,2026-06-02,EUR,15.00,Cup,1,15.00
C1,carol@example.com,2026-06-03,USD,50.00,Mug,1,10.00
M1,mo@example.com,2020-03-01,USD,10.00,Mug,1,10.00
`;

const SUPPORT = `Ticket #,Date,Customer Email,Channel,Type,Subject
T1,2026-05-01 10:00,zed@example.com,E-mail,Support request,Where is my parcel
`;

async function succeed(cwd: string, ...args: string[]): Promise<void> {
  const result = await runCliInProcess(args, { cwd });
  expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
}

/** customer ids by external id (K1…K14), as this dialect numbered them. */
async function idsByExternalId(cwd: string): Promise<Record<string, number>> {
  const rows = await queryCliDatabase<{ external_id: string; customer_id: number }>(cwd, sql`SELECT external_id, customer_id FROM customer_identities`);
  return Object.fromEntries(rows.map((row) => [row.external_id, row.customer_id]));
}

function finding(result: ValidationResult, code: string) {
  const found = result.findings.find((f) => f.code === code);
  expect(found, code).toBeDefined();
  return found!;
}

describe('custdb validate on a database with one of each problem', () => {
  let cwd: string;
  let ids: Record<string, number>;

  beforeAll(async () => {
    cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'customers.csv'), CUSTOMERS);
    writeFileSync(path.join(cwd, 'orders.csv'), ORDERS);
    writeFileSync(path.join(cwd, 'support.csv'), SUPPORT);
    await succeed(cwd, 'import', 'customers.csv', '--default-country', 'US');
    await succeed(cwd, 'import', 'orders.csv', '--as', 'orders', '--source', 'shop');
    await succeed(cwd, 'import', 'support.csv', '--as', 'interactions');
    await succeed(cwd, 'config', 'set', 'retention', '5y');
    ids = await idsByExternalId(cwd);
    // Zed is erased as an erasure leaves a customer: the row stays, so his interaction now points at nobody.
    await withCliDatabase(cwd, (db) => db.updateTable('customers').set({ status: 'erased' }).where('id', '=', ids.K14!).execute());
  });

  it(`custdb validate --as-of ${AS_OF} --json counts each planted problem once, with its customer as the example`, async () => {
    const run = await runCliInProcess(['validate', '--as-of', AS_OF, '--json'], { cwd });
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as ValidationResult;
    expect(result).toMatchObject({ asOf: AS_OF, staleAfter: '3y', staleBefore: '2023-12-01', retention: '5y', retentionBefore: '2021-12-01', customers: 13 });
    const one = (code: string, externalId: string, severity: string) =>
      expect(finding(result, code), code).toMatchObject({ severity, count: 1, examples: [ids[externalId]], exampleKind: 'customer' });
    one('invalid-email', 'K2', 'error');
    one('invalid-phone', 'K3', 'warning');
    one('invalid-postal-code', 'K4', 'warning');
    one('future-date', 'K5', 'error');
    one('date-before-1900', 'K6', 'error');
    one('unknown-country', 'K7', 'warning');
    one('no-contact', 'K8', 'warning');
    one('missing-consent', 'K9', 'warning');
    one('mixed-currencies', 'K1', 'warning');
    // The pair was flagged from the side imported second.
    expect(finding(result, 'duplicates-pending')).toMatchObject({ severity: 'warning', count: 1, examples: [ids.K12], command: 'custdb dedupe --review' });
    expect(finding(result, 'stale')).toMatchObject({ severity: 'info', count: 2, examples: [ids.K10, ids.K13] });
    expect(finding(result, 'retention-due')).toMatchObject({ severity: 'warning', count: 2, examples: [ids.K10, ids.K13], command: `custdb purge --inactive-for 5y --dry-run --as-of ${AS_OF}` });

    const [order] = await queryCliDatabase<{ id: number }>(cwd, sql`SELECT id FROM orders WHERE external_id = 'C1'`);
    expect(finding(result, 'order-total-mismatch')).toMatchObject({ severity: 'error', count: 1, examples: [order!.id], exampleKind: 'order', command: `custdb show ${ids.K3}` });
    const [interaction] = await queryCliDatabase<{ id: number }>(cwd, sql`SELECT id FROM interactions`);
    expect(finding(result, 'orphan-interactions')).toMatchObject({ severity: 'warning', count: 1, examples: [interaction!.id], exampleKind: 'interaction' });

    expect(result.findings.map((f) => f.code)).toHaveLength(14);
    expect(result.completeness.find((c) => c.field === 'phone')).toEqual({ field: 'phone', filled: 4, percent: 30.8 });
    expect(result.completeness.find((c) => c.field === 'first_name')).toEqual({ field: 'first_name', filled: 13, percent: 100 });
  });

  it('the query each finding names selects exactly the customers it counted', async () => {
    const result = JSON.parse((await runCliInProcess(['validate', '--as-of', AS_OF, '--json'], { cwd })).stdout) as ValidationResult;
    const queried = result.findings.filter((f) => f.command?.startsWith('custdb query --where ') === true);
    expect(queried.map((f) => f.code)).toEqual(['future-date', 'date-before-1900', 'no-contact', 'missing-consent', 'stale']);
    for (const f of queried) {
      const [, where, rest] = /^custdb query --where '(.*)'(.*)$/.exec(f.command!)!;
      const args = ['query', '--where', where!, '--fields', 'id', '--format', 'json', ...rest!.trim().split(' ').filter((word) => word !== '')];
      const answer = await runCliInProcess(args, { cwd });
      expect(answer.code, `${f.code}: ${answer.stderr}`).toBe(0);
      expect((JSON.parse(answer.stdout) as { id: number }[]).map((row) => row.id), f.code).toEqual(f.examples);
    }
  });

  it(`custdb validate --as-of ${AS_OF} prints the findings in a table of at most 80 columns, with their commands, and exits 1`, async () => {
    const run = await runCliInProcess(['validate', '--as-of', AS_OF], { cwd, env: { COLUMNS: '80' } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^Checked 13 active customers as of 2026-12-01\.\nStale after 3y \(since 2023-12-01\); retention 5y \(since 2021-12-01\)\.\n/);
    expect(run.stdout).toMatch(/│ error +│ invalid-email +│ 1 +│ \d+ +│/);
    expect(run.stdout).toMatch(/│ error +│ order-total-mismatch +│ 1 +│ order \d+ +│/);
    expect(run.stdout).toMatch(/│ info +│ stale +│ 2 +│ \d+, \d+ +│/);
    expect(run.stdout).toContain(`  invalid-email: emails that are not valid addresses\n    $ custdb show ${ids.K2}\n`);
    expect(run.stdout).toMatch(/ {2}phone +30\.8% {2}4\n/);
    expect(run.stdout).toMatch(/Found 4 errors, 9 warnings and 1 note\.\n$/);
    expect(run.stdout).not.toContain('\u001b');
    expect(run.stdout.split('\n').filter((line) => /^[┌│└]/.test(line)).length).toBe(17);
    // Commands stay whole on their line, to be copied; everything else fits.
    for (const line of run.stdout.split('\n').filter((text) => !text.startsWith('    $ '))) expect([...line].length, line).toBeLessThanOrEqual(80);
  });

  it('custdb validate --stale-after 90d and 18m move the stale line back from the as-of day', async () => {
    const days = JSON.parse((await runCliInProcess(['validate', '--as-of', AS_OF, '--stale-after', '90d', '--json'], { cwd })).stdout) as ValidationResult;
    expect(days.staleBefore).toBe('2026-09-02');
    // Every active customer's last sign of life is before September 2026 (Alice's last order: June).
    expect(finding(days, 'stale').count).toBe(13);
    const months = JSON.parse((await runCliInProcess(['validate', '--as-of', AS_OF, '--stale-after', '18m', '--json'], { cwd })).stdout) as ValidationResult;
    expect(months.staleBefore).toBe('2025-06-01');
    expect(finding(months, 'stale').count).toBe(11);
  });

  // Spawned: the lock is held by this test process's own connection, which an in-process run would count as its own open file.
  it('custdb validate answers at once while another process holds the write lock, since it only reads (spawned binary)', async () => {
    const run = await whileWriteLocked(cwd, sql`UPDATE settings SET value = value WHERE key = 'retention'`, () => runCli(['validate', '--as-of', AS_OF, '--json'], { cwd }));
    expect(run.code, run.stderr).toBe(1);
    expect((JSON.parse(run.stdout) as ValidationResult).customers).toBe(13);
  });

  it('buildQualityReport gives the same findings as a report document: figures, a findings table with a bar on count, completeness', async () => {
    const { store } = await openStore({ location: cliDatabaseLocation(cwd), create: false, migrations: 'apply' });
    try {
      const document = await buildQualityReport(store, { asOf: AS_OF });
      expect(document).toMatchObject({ title: 'Data quality', asOf: AS_OF });
      expect(document.sections[0]).toMatchObject({
        kind: 'figures',
        figures: [
          { label: 'Active customers checked', value: 13, type: 'integer' },
          { label: 'Findings that are errors', value: 4, type: 'integer' },
          { label: 'Findings that are warnings', value: 9, type: 'integer' },
          { label: 'Stale (no activity since 2023-12-01)', value: 2, type: 'integer' },
        ],
      });
      const findings = document.sections[1] as TableSection;
      expect(findings).toMatchObject({ kind: 'table', title: 'Findings', bar: 'count' });
      expect(findings.rows).toHaveLength(14);
      expect(findings.rows[0]).toEqual({
        finding: 'invalid-email',
        severity: 'error',
        count: 1,
        examples: String(ids.K2),
        command: `custdb show ${ids.K2}`,
      });
      expect(findings.rows.find((row) => row.finding === 'order-total-mismatch')?.examples).toMatch(/^order \d+$/);
      const completeness = document.sections[2] as TableSection;
      expect(completeness).toMatchObject({ kind: 'table', title: 'Completeness', bar: 'percent' });
      expect(completeness.rows.find((row) => row.field === 'birth_date')).toEqual({ field: 'birth_date', filled: 3, percent: 23.1 });
    } finally {
      await store.close();
    }
  });

  it('custdb report quality is that document on the command line (exit 0: a report, not a check), and refuses --where', async () => {
    const run = await runCliInProcess(['report', 'quality', '--as-of', AS_OF, '--stale-after', '18m', '--format', 'json'], { cwd });
    expect(run.code, run.stderr).toBe(0);
    const document = JSON.parse(run.stdout) as ReportDocument;
    expect(document.title).toBe('Data quality');
    const findings = document.sections[1] as TableSection;
    expect(findings.rows.find((row) => row.finding === 'stale')?.count).toBe(11);
    expect(findings.rows.find((row) => row.finding === 'invalid-email')?.count).toBe(1);
    const scoped = await runCliInProcess(['report', 'quality', '--where', 'country = "GB"'], { cwd });
    expect(scoped.code).toBe(2);
    expect(scoped.stderr).toContain('--where and --segment do not apply');
  });
});

describe('custdb validate on a clean database, and its exit codes', () => {
  let cwd: string;

  beforeAll(async () => {
    cwd = makeWorkdir();
    writeFileSync(
      path.join(cwd, 'customers.csv'),
      'First Name,Last Name,Email,Phone,Address,City,Zip,Country,Signup Date,Accepts Marketing\nAda,Lovelace,ada@example.com,+442079460958,1 Baker Street,London,NW1 6XE,GB,2025-03-01,yes\n',
    );
    await succeed(cwd, 'import', 'customers.csv');
  });

  it('custdb validate finds nothing on a clean database and exits 0', async () => {
    const run = await runCliInProcess(['validate', '--as-of', AS_OF], { cwd });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('│');
    expect(run.stdout).toMatch(/no retention set\.\n/);
    expect(run.stdout).toMatch(/No problems found\.\n$/);
    const json = JSON.parse((await runCliInProcess(['validate', '--as-of', AS_OF, '--json'], { cwd })).stdout) as ValidationResult;
    expect(json.findings.filter((f) => f.count > 0)).toEqual([]);
    expect(json.findings.every((f) => f.command === null && f.examples.length === 0)).toBe(true);
    // Without a retention setting there is nothing to be due for.
    expect(json.findings.map((f) => f.code)).not.toContain('retention-due');
  });

  it('custdb validate --fail-on warning exits 1 on a warning that the default (error) lets through', async () => {
    await succeed(cwd, 'customers', 'add', '--first-name', 'Grace', '--email', 'grace@example.com');
    const lenient = await runCliInProcess(['validate', '--as-of', AS_OF, '--json'], { cwd });
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(finding(JSON.parse(lenient.stdout) as ValidationResult, 'missing-consent')).toMatchObject({ count: 1, severity: 'warning' });
    const strict = await runCliInProcess(['validate', '--as-of', AS_OF, '--fail-on', 'warning'], { cwd });
    expect(strict.code, strict.stderr).toBe(1);
    expect(strict.stdout).toMatch(/│ warning +│ missing-consent +│ 1 /);
  });

  it('custdb validate -q prints nothing when nothing fails, and the findings when something does', async () => {
    const quiet = await runCliInProcess(['validate', '--as-of', AS_OF, '-q'], { cwd });
    expect(quiet).toMatchObject({ code: 0, stdout: '', stderr: '' });
    const failing = await runCliInProcess(['validate', '--as-of', AS_OF, '-q', '--fail-on', 'warning'], { cwd });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toContain('missing-consent');
  });

  it('custdb validate judges each postal code by its country: a 4-digit US ZIP is out, a German PLZ and a London postcode are in', async () => {
    const [ada] = await queryCliDatabase<{ id: number }>(cwd, sql`SELECT id FROM customers WHERE email = 'ada@example.com'`);
    await succeed(cwd, 'customers', 'add', '--first-name', 'Hans', '--country', 'DE', '--email', 'hans@example.com');
    const [hans] = await queryCliDatabase<{ id: number }>(cwd, sql`SELECT id FROM customers WHERE email = 'hans@example.com'`);
    await succeed(cwd, 'customers', 'edit', String(hans!.id), '--set', 'postal_code=10115');
    const before = JSON.parse((await runCliInProcess(['validate', '--as-of', AS_OF, '--json'], { cwd })).stdout) as ValidationResult;
    expect(finding(before, 'invalid-postal-code').count).toBe(0);
    await succeed(cwd, 'customers', 'edit', String(ada!.id), '--set', 'country=US', '--set', 'postal_code=2108');
    const after = JSON.parse((await runCliInProcess(['validate', '--as-of', AS_OF, '--json'], { cwd })).stdout) as ValidationResult;
    expect(finding(after, 'invalid-postal-code')).toMatchObject({ count: 1, examples: [ada!.id] });
  });

  it.each([
    [['--stale-after', '3x'], /--stale-after 3x: not a length of time\.\n {2}Write years, months, weeks or days, e\.g\. --stale-after 3y, 18m or 90d\.\n/],
    [['--stale-after', '0d'], /--stale-after 0d: not a length of time/],
    [['--fail-on', 'info'], /argument 'info' is invalid\. Allowed choices are warning, error/],
    [['--as-of', '2026-02-30'], /--as-of 2026-02-30: not a date/],
  ])('custdb validate %j exits 2 with a hint, changing nothing', async (args, message) => {
    const run = await runCliInProcess(['validate', ...args], { cwd });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
  });

  it('custdb config set retention 3x exits 2 naming the spans it takes, keeping no setting', async () => {
    const run = await runCliInProcess(['config', 'set', 'retention', '3x'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/"3x" is not a length of time\.\n {2}Write years, months, weeks or days: 3y, 18m or 90d\.\n/);
    expect((await runCliInProcess(['config', 'get', 'retention'], { cwd })).stdout).toBe('\n');
  });

  it('custdb validate exits 2 when another tool stored a retention that is no span, naming how to set it', async () => {
    await withCliDatabase(cwd, (db) => db.insertInto('settings').values({ key: 'retention', value: 'forever' }).execute());
    try {
      const run = await runCliInProcess(['validate'], { cwd });
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/The retention setting "forever" is not a length of time\.\n {2}Set it again: custdb config set retention 3y\.\n/);
    } finally {
      await withCliDatabase(cwd, (db) => db.deleteFrom('settings').where('key', '=', 'retention').execute());
    }
  });

  it('custdb validate with no database exits 2', async () => {
    const run = await runCliInProcess(['validate', '--db', 'missing.db'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(NO_DATABASE);
  });
});

describe('custdb validate on 1,200 customers', () => {
  it('finds the five smallest ids of a common problem (1,200 without consent) and of a rare one (3 invalid emails) alike', async () => {
    const cwd = makeWorkdir();
    const rows = Array.from({ length: 1200 }, (_, k) => `Person${k},${k % 400 === 250 ? `broken${k}.example.com` : `p${k}@example.com`}`);
    writeFileSync(path.join(cwd, 'customers.csv'), `First Name,Email\n${rows.join('\n')}\n`);
    await succeed(cwd, 'import', 'customers.csv');
    const ids = await queryCliDatabase<{ id: number; email: string }>(cwd, sql`SELECT id, email FROM customers ORDER BY id`);
    const result = JSON.parse((await runCliInProcess(['validate', '--json'], { cwd })).stdout) as ValidationResult;
    expect(finding(result, 'missing-consent')).toMatchObject({ count: 1200, examples: ids.slice(0, 5).map((row) => row.id) });
    const broken = ids.filter((row) => row.email.startsWith('broken')).map((row) => row.id);
    expect(broken).toHaveLength(3);
    expect(finding(result, 'invalid-email')).toMatchObject({ count: 3, examples: broken });
  });
});

describe('custdb validate (spawned binary)', () => {
  it('custdb validate --json --fail-on warning: one JSON document, exit 1 for a warning', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'customers.csv'), 'First Name,Email\nAda,ada@example.com\n');
    await succeed(cwd, 'import', 'customers.csv');
    const run = await runCli(['validate', '--json', '--fail-on', 'warning'], { cwd });
    expect(run.code, run.stderr).toBe(1);
    const result = JSON.parse(run.stdout) as ValidationResult;
    expect(result.customers).toBe(1);
    expect(finding(result, 'missing-consent').count).toBe(1);
  });
});
