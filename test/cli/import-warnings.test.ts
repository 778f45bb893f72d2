import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

interface Warning {
  line: number;
  field: string;
  message: string;
}

const CUSTOMERS_WARNINGS: Warning[] = [
  { line: 9, field: 'email', message: 'possible typo in domain gmial.com (did you mean gmail.com?)' },
  { line: 13, field: 'phone', message: 'not a valid phone number for GB: "07700 900123"' },
  { line: 15, field: 'email', message: 'invalid email not-an-email: has no @' },
  { line: 17, field: 'postal_code', message: 'US ZIP code 2108 has 4 digits; it probably lost its leading zero (02108?)' },
  { line: 18, field: 'phone', message: 'phone in scientific notation (Excel mangled it); the digits are lost' },
];

async function showWarnings(cwd: string, batch: number): Promise<Warning[]> {
  const result = await runCliInProcess(['imports', 'show', String(batch), '--warnings', '--json'], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { warnings: Warning[] }).warnings;
}

describe('import warnings are kept with their lines', () => {
  it('custdb import customers.csv, then custdb imports show 1 --warnings lists every warning with its line', async () => {
    const cwd = makeWorkdir('customers.csv');
    const imported = await runCliInProcess(['import', 'customers.csv', '--default-country', 'US', '--json'], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    const summary = JSON.parse(imported.stdout) as { warningExamples: Warning[]; warningsUnlisted: number };
    expect(summary.warningExamples).toEqual(CUSTOMERS_WARNINGS);
    expect(summary.warningsUnlisted).toBe(0);

    const shown = await runCliInProcess(['imports', 'show', '1', '--warnings'], { cwd });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('  warnings: 5\n');
    for (const w of CUSTOMERS_WARNINGS) expect(shown.stdout).toContain(`    line ${w.line}: ${w.field}: ${w.message}\n`);
    expect(await showWarnings(cwd, 1)).toEqual(CUSTOMERS_WARNINGS);

    const plain = await runCliInProcess(['imports', 'show', '1'], { cwd });
    expect(plain.stdout).toContain('warnings: 5 (list them with custdb imports show 1 --warnings)');
    expect(plain.stdout).not.toContain('line 9');
  });

  it('keeps the warnings of orders and interactions files too', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'orders.csv'), 'Order ID,Email,Order Date,Total,Currency\n1001,ann@example.com,2026-01-02,10.00,dollars\n1002,bob@gmial.com,2026-01-03,12.00,USD\n');
    writeFileSync(path.join(cwd, 'tickets.csv'), 'Date,Email,Channel,Summary\n2026-02-01,cat@gmial.com,email,Asked about decaf\n');
    expect((await runCliInProcess(['import', 'orders.csv'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['import', 'tickets.csv', '--as', 'interactions'], { cwd })).code).toBe(0);
    expect(await showWarnings(cwd, 1)).toEqual([
      { line: 2, field: 'currency', message: 'currency "dollars" is not an ISO code; left empty' },
      { line: 3, field: 'email', message: 'possible typo in domain gmial.com (did you mean gmail.com?)' },
    ]);
    expect(await showWarnings(cwd, 2)).toEqual([{ line: 2, field: 'email', message: 'possible typo in domain gmial.com (did you mean gmail.com?)' }]);
  });

  it('--json lists the first 1,000 and counts the rest; the database keeps them all, a dry run none', async () => {
    const cwd = makeWorkdir();
    const rows = Array.from({ length: 1500 }, (_, i) => `Person${i},typo${i}@gmial.com`);
    writeFileSync(path.join(cwd, 'many.csv'), `First Name,Email\n${rows.join('\n')}\n`);

    const dry = JSON.parse((await runCliInProcess(['import', 'many.csv', '--dry-run', '--json'], { cwd })).stdout) as Record<string, unknown>;
    expect(dry).toMatchObject({ status: 'dry-run', warnings: { email: 1500 }, warningsUnlisted: 500 });
    expect(dry.notes).toContain('500 more warnings are not listed here, and nothing was kept (the file was not imported)');

    const result = await runCliInProcess(['import', 'many.csv', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as { batchId: number; warningExamples: Warning[]; warningsUnlisted: number; notes: string[] };
    expect(summary.warningExamples).toHaveLength(1000);
    expect(summary.warningExamples[999]).toMatchObject({ line: 1001, field: 'email' });
    expect(summary.warningsUnlisted).toBe(500);
    expect(summary.notes).toContain(`500 more warnings are not listed here: see them all with custdb imports show ${summary.batchId} --warnings`);

    const kept = await showWarnings(cwd, summary.batchId);
    expect(kept).toHaveLength(1500);
    expect(kept.map((w) => w.line)).toEqual(Array.from({ length: 1500 }, (_, i) => i + 2));
    expect(summary.batchId).toBe(1);
  });
});
