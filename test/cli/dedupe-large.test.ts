import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

const PEOPLE = 2000;
const NAMES = [
  ['Katherine', 'Kate'],
  ['Robert', 'Bob'],
  ['Elizabeth', 'Liz'],
  ['William', 'Bill'],
] as const;
const SYLLABLES = ['ka', 'lo', 'mi', 'ra', 'ten', 'vo', 'sha', 'pel', 'dor', 'quin', 'bex', 'zu'];

/** A surname of its own for person k, so each pair of records is found apart from every other. */
function surname(k: number): string {
  const parts = [0, 1, 2, 3].map((d) => SYLLABLES[Math.floor(k / SYLLABLES.length ** d) % SYLLABLES.length]);
  const word = parts.join('');
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Every person typed twice: full name and work email once, nickname and another email the second time; same birth date and address. */
function nearDuplicatesCsv(people: number): string {
  const lines = ['First Name,Last Name,Email,Address,City,Zip,Country,Birthday'];
  for (let k = 0; k < people; k++) {
    const [full, nick] = NAMES[k % NAMES.length]!;
    const last = surname(k);
    const birthday = `19${50 + (k % 50)}-${String((k % 12) + 1).padStart(2, '0')}-${String((k % 28) + 1).padStart(2, '0')}`;
    const address = `${(k % 900) + 1} ${last} Street,Springfield,${String(10000 + k)},US,${birthday}`;
    lines.push(`${full},${last},${full.toLowerCase()}.${last.toLowerCase()}@example.com,${address}`);
    lines.push(`${nick},${last},${nick.toLowerCase()}${k}@mail.example.org,${address}`);
  }
  return `${lines.join('\n')}\n`;
}

describe(`custdb dedupe on a large result (${PEOPLE} people, each typed twice)`, () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'people.csv'), nearDuplicatesCsv(PEOPLE));
    for (const args of [['init'], ['import', 'people.csv']]) {
      const result = await runCliInProcess(args, { cwd });
      expect(result.code, result.stderr).toBe(0);
    }
  }, 60_000);

  it('custdb dedupe shows the 50 most certain groups in 80 columns, counts with separators, and says how many it left out', async () => {
    const result = await runCliInProcess(['dedupe'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/^2,000 groups of duplicates among 4,000 customers \(threshold 0\.9\)/m);
    const labels = result.stdout.split('\n').filter((line) => /^│ \d[\d,]* +│/.test(line));
    expect(labels).toHaveLength(50);
    expect(result.stdout.replaceAll('\n', ' ')).toMatch(/… showing the 50 most certain of 2,000 groups; --format csv for all of them, or --limit N\./);
    for (const line of result.stdout.trimEnd().split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(/│ same birth date \+\d+\.\d +│/);

    const five = await runCliInProcess(['dedupe', '--limit', '5'], { cwd, env: { COLUMNS: '120' } });
    expect(five.stdout.split('\n').filter((line) => /^│ \d[\d,]* +│/.test(line))).toHaveLength(5);
    expect(five.stdout).toMatch(/│ phone +│/);
    const all = await runCliInProcess(['dedupe', '--limit', '0'], { cwd });
    expect(all.stdout.split('\n').filter((line) => /^│ \d[\d,]* +│/.test(line))).toHaveLength(PEOPLE);
    expect(all.stdout).not.toMatch(/showing the/);
  });

  it('custdb dedupe --format json writes every group as one valid document', async () => {
    const result = await runCliInProcess(['dedupe', '--format', 'json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { customers: number; clusters: number[][]; clusterDetails: { ids: number[]; survivor: number }[]; pairs: { left: number; right: number }[] };
    expect(out.customers).toBe(2 * PEOPLE);
    expect(out.clusters).toHaveLength(PEOPLE);
    expect(out.clusterDetails[0]).toMatchObject({ ids: out.clusters[0], survivor: Math.min(...out.clusters[0]!) });
    expect(out.pairs.length).toBeGreaterThanOrEqual(PEOPLE);
    const limited = await runCliInProcess(['dedupe', '--format', 'json', '--limit', '5'], { cwd });
    expect([limited.code, limited.stderr]).toEqual([2, expect.stringMatching(/the JSON document always lists every group/)]);
  });

  it('custdb dedupe --format csv lists every customer of every group; --limit shortens it', async () => {
    const result = await runCliInProcess(['dedupe', '--format', 'csv'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const rows = parse(result.stdout, { columns: true }) as { group: string; customer_id: string; why: string }[];
    expect(rows).toHaveLength(2 * PEOPLE);
    expect(new Set(rows.map((r) => r.group)).size).toBe(PEOPLE);
    expect(new Set(rows.map((r) => r.customer_id)).size).toBe(2 * PEOPLE);
    const limited = parse((await runCliInProcess(['dedupe', '--format', 'csv', '--limit', '3'], { cwd })).stdout, { columns: true }) as { group: string }[];
    expect(limited.map((r) => r.group)).toEqual(['1', '1', '2', '2', '3', '3']);
  });
});
