import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { cliDatabaseLocation, NO_DATABASE, withCliDatabase } from '../helpers/cli-database.js';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

vi.mock('../../src/cli/prompts.js', () => ({ askReviewDecision: vi.fn(), askConfirm: vi.fn() }));
const prompts = await import('../../src/cli/prompts.js');
const { buildProgram } = await import('../../src/cli/program.js');

/** A database holding the bundled customers.csv (a household flagged at import) and the typed-twice fixture. */
async function seeded(): Promise<string> {
  const cwd = makeWorkdir('customers.csv', 'dedupe/customers-typed-twice.csv');
  for (const args of [['init'], ['import', 'customers.csv', '--default-country', 'US'], ['import', 'customers-typed-twice.csv', '--default-country', 'US']]) {
    const result = await runCliInProcess(args, { cwd });
    expect(result.code, result.stderr).toBe(0);
  }
  return cwd;
}

interface Pair {
  left: number;
  right: number;
  probability: number;
  decision: string;
  flaggedAtImport: string | null;
  reasons: { field: string; level: string; weight: number; words: string; text: string }[];
}

/** The customers' names as the database holds them now, for `names(ids)`. */
async function nameBook(cwd: string): Promise<(ids: number[]) => string[]> {
  const rows = await withCliDatabase(cwd, (db) => db.selectFrom('customers').select(['id', 'first_name', 'last_name']).execute());
  const byId = new Map(rows.map((row) => [row.id, `${row.first_name} ${row.last_name}`]));
  return (ids) => ids.map((id) => byId.get(id) ?? `no customer ${id}`);
}

describe('custdb dedupe (listing)', () => {
  it('--format json lists the typed-twice people as clusters, with pairs, probabilities and per-field reasons; nothing changes', async () => {
    const cwd = await seeded();
    const result = await runCliInProcess(['dedupe', '--format', 'json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const out = JSON.parse(result.stdout) as { clusters: number[][]; pairs: Pair[]; customers: number; threshold: number };
    expect(out.customers).toBe(58);
    expect(out.threshold).toBe(0.9);
    const names = await nameBook(cwd);
    const clustered = out.clusters.map((ids) => names(ids).join(' / ')).sort();
    expect(clustered).toEqual(
      expect.arrayContaining([
        'Katherine Moore / Kathy Moore',
        'Robert Chen / Bob Chen',
        'Thi Nguyen / Nguyen Thi',
        'Margaret Fitzgerald / Margaret Fitzgerlad',
        'Daniel Okafor / Danny Okafor',
        'Elizabeth Harper / Liz Harper / Elizabeth Harpur',
        'Jonathan Pryce / Jonathon Pryce',
        'Grace Kim / Grace Kim',
        'Henry Walsh / Henry Walsh',
      ]),
    );
    // The Delgados share an address but are a couple: never proposed.
    expect(clustered.some((c) => c.includes('Delgado'))).toBe(false);
    const pair = out.pairs[0]!;
    expect(pair).toMatchObject({ decision: 'match', left: expect.any(Number), right: expect.any(Number) });
    expect(pair.probability).toBeGreaterThanOrEqual(0.9);
    expect(pair.reasons.map((r) => r.field)).toContain('birthDate');
    expect(pair.reasons[0]!.text).toMatch(/\(([+-]\d+\.\d|0)\)$/);
    // Listing changed nothing.
    const merges = await runCliInProcess(['merges', 'list', '--json'], { cwd });
    expect(JSON.parse(merges.stdout)).toEqual({ merges: [] });
  });

  it('--json is the same as --format json; --format csv is one row per customer per group', async () => {
    const cwd = await seeded();
    const json = await runCliInProcess(['dedupe', '--json'], { cwd });
    expect(JSON.parse(json.stdout).clusters.length).toBeGreaterThanOrEqual(9);
    const csv = await runCliInProcess(['dedupe', '--format', 'csv'], { cwd });
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe('group,probability,customer_id,first_name,last_name,email,phone,postal_code,city,flagged_at_import,why');
    expect(lines.some((l) => /^\d+,[01]\.\d{4},\d+,Kathy,Moore,kathy\.m@example\.net,/.test(l))).toBe(true);
    // The why column is in words, like the table's.
    expect(lines.find((l) => l.includes('Fitzgerlad'))).toMatch(/,no,.*email domain typo/);
    const table = await runCliInProcess(['dedupe'], { cwd });
    expect(table.stdout).toMatch(/group .* sure .* id .* name/);
    expect(table.stderr).toMatch(/groups? of duplicates among 58 customers \(threshold 0\.9\)/);
  });

  it('custdb dedupe says why in words a shop owner reads; --json keeps the level keys for machines', async () => {
    const cwd = await seeded();
    const levelKeys = /\b(sameLocal|typoDomain|dayMonthSwapped|oneDigit|sameYear|sameEnding|sameStreet|oneChar|exact)\b/;
    // Wide enough that no reason wraps.
    const table = await runCliInProcess(['dedupe'], { cwd, env: { COLUMNS: '160' } });
    expect(table.code, table.stderr).toBe(0);
    // Margaret Fitzgerald's second email ends in .con; Jonathan Pryce used jpryce@ at two providers.
    expect(table.stdout).toMatch(/email domain typo \+\d+\.\d/);
    expect(table.stdout).toMatch(/same name before the @ \+\d+\.\d/);
    expect(table.stdout).toMatch(/first name a known nickname \+\d+\.\d/);
    expect(table.stdout).not.toMatch(levelKeys);
    const csv = await runCliInProcess(['dedupe', '--format', 'csv'], { cwd });
    expect(csv.stdout).not.toMatch(levelKeys);

    const json = JSON.parse((await runCliInProcess(['dedupe', '--json'], { cwd })).stdout) as { pairs: Pair[] };
    const reasons = json.pairs.flatMap((p) => p.reasons);
    expect(reasons).toContainEqual(expect.objectContaining({ field: 'email', level: 'typoDomain', words: 'email domain typo' }));
    expect(reasons).toContainEqual(expect.objectContaining({ field: 'email', level: 'sameLocal', words: 'same name before the @' }));
  });

  it('--explain ID ID gives every field its level and weight, in words and numbers', async () => {
    const cwd = await seeded();
    const list = JSON.parse((await runCliInProcess(['dedupe', '--json'], { cwd })).stdout) as { clusters: number[][] };
    const names = await nameBook(cwd);
    const kathy = list.clusters.find((ids) => names(ids).includes('Kathy Moore'))!;
    const text = await runCliInProcess(['dedupe', '--explain', String(kathy[0]), String(kathy[1])], { cwd });
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Katherine Moore and #\d+ Kathy Moore: .*likely the same person/);
    expect(text.stdout).toMatch(/\n  first name a known nickname \(\+\d+\.\d\)\n/);
    expect(text.stdout).toMatch(/\n  same birth date \(\+\d+\.\d\)\n/);
    expect(text.stdout).toMatch(/= match weight \+\d+\.\d bits → probability 0?\.?\d/);
    const json = JSON.parse((await runCliInProcess(['dedupe', '--explain', String(kathy[0]), String(kathy[1]), '--json'], { cwd })).stdout);
    expect(json.fields).toContainEqual(expect.objectContaining({ field: 'firstName', level: 'nickname' }));

    const unknown = await runCliInProcess(['dedupe', '--explain', '1', '999'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/There is no customer 999/);
    const oneId = await runCliInProcess(['dedupe', '--explain', '1'], { cwd });
    expect(oneId.code).toBe(2);
    expect(oneId.stderr).toMatch(/--explain needs two customer ids/);
  });

  it('refuses bad usage with exit 2: bad threshold, --review without a terminal, two modes at once, no database', async () => {
    const cwd = await seeded();
    const bad = await runCliInProcess(['dedupe', '--threshold', '1.5'], { cwd });
    expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/--threshold 1\.5 is not a probability/)]);
    const review = await runCliInProcess(['dedupe', '--review'], { cwd });
    expect([review.code, review.stderr]).toEqual([2, expect.stringMatching(/no terminal to ask in/)]);
    const both = await runCliInProcess(['dedupe', '--review', '--merge'], { cwd });
    expect(both.code).toBe(2);
    const none = await runCliInProcess(['dedupe', '--db', 'missing.db'], { cwd });
    expect([none.code, none.stderr]).toEqual([2, expect.stringMatching(NO_DATABASE)]);
  });

  it('--merge previews and needs --yes without a terminal; with --yes merges every group above the threshold', async () => {
    const cwd = await seeded();
    const refused = await runCliInProcess(['dedupe', '--merge'], { cwd });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/Merge plan \(threshold 0\.99\)/);
    expect(refused.stderr).toMatch(/Add --yes to confirm/);
    expect(JSON.parse((await runCliInProcess(['merges', 'list', '--json'], { cwd })).stdout).merges).toEqual([]);

    const merged = await runCliInProcess(['dedupe', '--merge', '--yes', '--json'], { cwd });
    expect(merged.code, merged.stderr).toBe(0);
    const out = JSON.parse(merged.stdout) as { status: string; merges: { survivorId: number; mergedIds: number[] }[] };
    expect(out.status).toBe('merged');
    expect(out.merges.length).toBeGreaterThanOrEqual(9);
    const after = JSON.parse((await runCliInProcess(['dedupe', '--json'], { cwd })).stdout) as { clusters: number[][] };
    // None of the people typed twice is left; what remains is made of customers nobody merged (the engine's call).
    const mergedIds = new Set(out.merges.flatMap((m) => [m.survivorId, ...m.mergedIds]));
    expect(after.clusters.flat().filter((id) => mergedIds.has(id) && !out.merges.some((m) => m.survivorId === id))).toEqual([]);
    const names = await nameBook(cwd);
    expect(after.clusters.map((ids) => names(ids).join(' / ')).filter((c) => /Moore|Chen|Okafor|Harper|Pryce|Kim|Walsh/.test(c))).toEqual([]);
  });
});

describe('look-alikes flagged at import', () => {
  it('custdb import customers-typed-again.csv counts the look-alikes of customers already there; show and --json tell which', async () => {
    const cwd = await seeded();
    const again = makeWorkdir('dedupe/customers-typed-again.csv');
    const file = path.join(again, 'customers-typed-again.csv');
    const dry = await runCliInProcess(['import', file, '--default-country', 'US', '--dry-run', '--json'], { cwd });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).counts).toMatchObject({ inserted: 5, updated: 1, suspects: 3 });

    const result = await runCliInProcess(['import', file, '--default-country', 'US'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/rows 6 +inserted 5 +updated 1 +unchanged 0 +rejected 0 +possible duplicates 3\n/);

    const shown = await runCliInProcess(['show', 'kate.moore@gmail.com'], { cwd, env: { COLUMNS: '100' } });
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/Possible duplicates \(2, not yet reviewed\)/);
    expect(shown.stdout).toMatch(/customer 19: Katherine Moore, katherine\.moore@example\.com/);
    // The reason is wrapped, never cut.
    expect(shown.stdout.replace(/\n +/g, ' ')).toMatch(/looks like customer 19: same surname, birth date and street address, first name a known nickname \(probability >0\.99\)/);

    const listed = JSON.parse((await runCliInProcess(['dedupe', '--json'], { cwd })).stdout) as { pairs: Pair[] };
    const tom = listed.pairs.find((p) => p.flaggedAtImport?.includes('email domain typo'));
    const names = await nameBook(cwd);
    expect(tom && names([tom.left, tom.right])).toEqual(['Tom Smith', 'Tom Smith']);
  });
});

describe('custdb dedupe --review (in-process, prompts scripted)', () => {
  const ask = vi.mocked(prompts.askReviewDecision);
  beforeEach(() => ask.mockReset());

  async function review(cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    let code = -1;
    const io = { stdout, stderr, stdin: new PassThrough(), stdoutIsTTY: false, stderrIsTTY: true, stdinIsTTY: true, env: { NO_COLOR: '1' }, user: 'tester' };
    const program = buildProgram(io, (c) => (code = c));
    await program.parseAsync(['dedupe', '--review', '--db', cliDatabaseLocation(cwd)], { from: 'user' });
    return { code, stdout: out, stderr: err };
  }

  it('offers the import-flagged pair first, saves each answer at once, and resumes with what is left after quit', async () => {
    const cwd = await seeded();
    const questions: string[] = [];
    ask.mockImplementation(async (_io, question) => {
      questions.push(question);
      return (['distinct', 'merge', 'skip', 'quit'] as const)[questions.length - 1] ?? 'quit';
    });
    const first = await review(cwd);
    expect(first.code).toBe(0);
    expect(questions).toHaveLength(4);
    const total = Number(/of (\d+):/.exec(questions[0]!)![1]);
    // Tom and Tina (flagged at import: same phone, different first name) come first, and are told apart.
    const firstGroup = first.stderr.split('Group 2 of')[0]!;
    expect(firstGroup).toMatch(/flagged at import: same phone as customer \d+ but a different first name \(Tina \/ Tom\)/);
    expect(firstGroup).toMatch(/≠ +│ first name +│ Tom +│ Tina/);
    expect(first.stdout).toMatch(/Stopped: 1 merged, 1 not the same, 1 skipped; \d+ groups left/);
    const merges = JSON.parse((await runCliInProcess(['merges', 'list', '--json'], { cwd })).stdout).merges as unknown[];
    expect(merges).toHaveLength(1);

    questions.length = 0;
    ask.mockImplementation(async (_io, question) => {
      questions.push(question);
      return 'quit';
    });
    await review(cwd);
    // Two groups fewer: the merged one and the one marked "not the same"; the skipped one is offered again.
    expect(questions[0]).toMatch(new RegExp(`^Group 1 of ${total - 2}:`));

    const listed = JSON.parse((await runCliInProcess(['dedupe', '--json'], { cwd })).stdout) as { clusters: number[][]; pairs: Pair[] };
    const names = await nameBook(cwd);
    expect(listed.clusters.map((ids) => names(ids).join(' / ')).some((c) => c.includes('Tina'))).toBe(false);
  });

  it('offers the look-alikes the last import flagged before the groups nobody flagged', async () => {
    const cwd = await seeded();
    const again = makeWorkdir('dedupe/customers-typed-again.csv');
    expect((await runCliInProcess(['import', path.join(again, 'customers-typed-again.csv'), '--default-country', 'US'], { cwd })).code).toBe(0);
    let asked = 0;
    ask.mockImplementation(async () => (++asked < 5 ? 'skip' : 'quit'));
    const { stderr } = await review(cwd);
    const titles = stderr.split('\n').filter((line) => /^Group \d+ of \d+ — /.test(line));
    expect(titles).toHaveLength(5);
    // Kate Moore, Tom Smith and Jon Pryce (each in a group with the customers they look like), then Tom and Tina.
    for (const title of titles.slice(0, 3)) expect(title).toMatch(/flagged at import: looks like customer \d+: /);
    expect(titles[3]).toMatch(/flagged at import: same phone as customer \d+ but a different first name \(Tina \/ Tom\)/);
    expect(titles[4]).not.toMatch(/flagged at import/);
  });
});
