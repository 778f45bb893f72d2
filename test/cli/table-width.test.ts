import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

function widest(text: string): number {
  return Math.max(...text.split('\n').map((line) => [...line].length));
}

describe('list tables fit the terminal', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = makeWorkdir('customers.csv', 'dedupe/customers-typed-twice.csv');
    // A long file name and counts in the thousands, as a real nightly import has.
    const rows = ['first_name,last_name,email'];
    for (let i = 0; i < 1500; i++) rows.push(`Ann${i},Smith${i},ann${i}@example.com`);
    writeFileSync(path.join(cwd, 'shopify-customers-export-2026-12-05-full.csv'), `${rows.join('\n')}\n`);
    for (const file of ['customers.csv', 'customers-typed-twice.csv', 'shopify-customers-export-2026-12-05-full.csv']) {
      expect((await runCliInProcess(['import', file, '--default-country', 'US'], { cwd })).code).toBe(0);
    }
    expect((await runCliInProcess(['dedupe', '--merge', '--yes'], { cwd })).code).toBe(0);
  });

  it('custdb imports list (not a terminal: 80 columns) keeps the whole file name and groups thousands', async () => {
    const result = await runCliInProcess(['imports', 'list'], { cwd });
    expect(result.code).toBe(0);
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
    const fileColumn = result.stdout.split('\n').map((line) => line.split('│')[2]?.trim() ?? '').join('');
    expect(fileColumn).toContain('shopify-customers-export-2026-12-05-full.csv');
    expect(result.stdout).toContain('1,500');
    expect(result.stdout).not.toMatch(/\bsource\b/);
  });

  it('COLUMNS=200 custdb imports list shows every column on one line per batch', async () => {
    const result = await runCliInProcess(['imports', 'list'], { cwd, env: { COLUMNS: '200' } });
    expect(result.stdout).toMatch(/│ batch │ when +│ file +│ source │ rows +│ inserted │ updated │ rejected │ status +│/);
    expect(result.stdout).toMatch(/│ 3 +│ \d{4}-\d\d-\d\d \d\d:\d\d │ shopify-customers-export-2026-12-05-full\.csv │ csv +│ 1,500 │ 1,500 +│ 0 +│ 0 +│ committed │/);
  });

  it('custdb merges list (80 columns) fits, its field lists wrapped rather than cut', async () => {
    const wide = await runCliInProcess(['merges', 'list'], { cwd, env: { COLUMNS: '300' } });
    expect(widest(wide.stdout)).toBeGreaterThan(60);
    const result = await runCliInProcess(['merges', 'list'], { cwd });
    expect(result.code).toBe(0);
    expect(widest(result.stdout)).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(/│ merge │ when +│ kept │ merged │ sure +│ fields taken +│/);
  });
});
