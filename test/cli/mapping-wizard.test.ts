import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { makeContext, type CommandContext } from '../../src/cli/context.js';
import type { Io } from '../../src/cli/io.js';
import { runMappingWizard } from '../../src/cli/mapping-wizard.js';
import { openStore } from '../../src/db/open-store.js';
import { MissingColumnError, UsageError } from '../../src/errors.js';
import { importCustomers, type ImportOptions } from '../../src/import/import-customers.js';
import { createdCliDatabase, runOnDialect } from '../helpers/cli-database.js';
import { BIN, FIXTURES, makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

// The wizard in process, with every answer scripted: src/cli/prompts.ts is replaced, and a
// prompt the script does not expect (or a question it did not foresee) fails the test.

type Kind = 'target' | 'column' | 'yes/no' | 'name';
interface Step {
  kind: Kind;
  /** The question must match this. */
  about: RegExp;
  /** SUGGESTED takes the prompt's default; a column question is answered with the column's name, "done" or "none". */
  answer: string | boolean | Error;
}
interface Choice {
  value: string;
  name: string;
}

const script = vi.hoisted(() => {
  const state = { steps: [] as Step[], asked: [] as { kind: Kind; message: string; suggested?: unknown; choices?: string[]; choiceNames?: string[] }[] };
  function next(kind: Kind, message: string, choices?: Choice[], suggested?: unknown): unknown {
    const step = state.steps.shift();
    state.asked.push({ kind, message, suggested, ...(choices ? { choices: choices.map((c) => c.value), choiceNames: choices.map((c) => c.name) } : {}) });
    if (step === undefined) throw new Error(`unexpected ${kind} prompt: ${message}`);
    if (step.kind !== kind || !step.about.test(message)) throw new Error(`expected a ${step.kind} prompt about ${step.about}, got ${kind}: ${message}`);
    if (step.answer instanceof Error) throw step.answer;
    if (step.answer === 'SUGGESTED') return suggested;
    if (choices === undefined) return step.answer;
    const answer = String(step.answer);
    const choice = kind === 'column' ? choices.find((c) => c.value === answer || c.name === answer || c.name.startsWith(`${answer} →`)) : choices.find((c) => c.value === answer);
    if (choice === undefined) throw new Error(`"${answer}" is not among the choices of: ${message}`);
    return choice.value;
  }
  return { state, next };
});

vi.mock('../../src/cli/prompts.js', () => ({
  askColumnTarget: async (_io: unknown, message: string, choices: Choice[], suggested: string) => script.next('target', message, choices, suggested),
  askWhichColumn: async (_io: unknown, message: string, choices: Choice[]) => script.next('column', message, choices),
  askYesNo: async (_io: unknown, message: string, suggested: boolean) => script.next('yes/no', message, undefined, suggested),
  askName: async (_io: unknown, message: string, suggested: string, validate: (value: string) => string | true) => {
    const answer = script.next('name', message, undefined, suggested) as string;
    const valid = validate(answer);
    if (valid !== true) throw new Error(`the wizard refused "${answer}": ${valid}`);
    return answer;
  },
  askConfirm: async (_io: unknown, message: string) => script.next('yes/no', message),
}));

const SUGGESTED = 'SUGGESTED';
const ODD_CSV = [
  'Ref,Who,Contact,Mob.,Town,Fav Roast,Member since,Customer Email',
  "A-17,Jane O'Brien,jane@example.com,07700 900123,Leeds,dark,2024-01-05,jane@example.com",
  'A-18,Tom Baker,tom.baker@example.com,+44 20 7946 0958,York,light,2024-02-11,tom@example.com',
  'A-19,Sara Lee,sara@example.org,020 7946 0001,Hull,medium,2024-03-20,sara@example.org',
  '',
].join('\n');
const NO_ID_CSV = 'Code,Colour,Mob.\nX1,red,07700 900123\nX2,blue,07700 900124\n';

function workdirWith(name: string, content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'custdb-wizard-'));
  writeFileSync(path.join(dir, name), content);
  return dir;
}

function terminal(options: { interactive?: boolean; json?: boolean; columns?: number } = {}): { ctx: CommandContext; stderr: () => string } {
  let text = '';
  const stderr = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    }),
    // A terminal's width, as a TTY stream reports it.
    options.columns === undefined ? {} : { columns: options.columns },
  );
  const tty = options.interactive ?? true;
  const io: Io = {
    stdout: new Writable({ write: (_c, _e, done) => done() }),
    stderr,
    stdin: process.stdin,
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    stdinIsTTY: tty,
    env: { NO_COLOR: '1' },
    user: 'tester',
  };
  return { ctx: makeContext(io, { json: options.json }), stderr: () => text };
}

function importOptions(file: string, extra: Partial<ImportOptions> = {}): ImportOptions {
  return { file, maps: [], ignoreUnmapped: false, update: 'fill', maxRejects: { percent: 10 }, dryRun: false, force: false, actor: 'tester', ...extra };
}

afterEach(() => {
  expect(script.state.steps, 'scripted answers left unused').toEqual([]);
  script.state.steps = [];
  script.state.asked = [];
});

describe('the mapping wizard (scripted answers)', () => {
  it('shows columns, samples and guesses; taking the suggestions maps the odd file right, and the answers import', async () => {
    const dir = workdirWith('odd.csv', ODD_CSV);
    const file = path.join(dir, 'odd.csv');
    const { ctx, stderr } = terminal();
    script.state.steps = [
      { kind: 'yes/no', about: /^Keep "Fav Roast" as custom field/, answer: true },
      { kind: 'target', about: /^"Who" \(e\.g\. Jane O'Brien \| Tom Baker \| Sara Lee\) goes to/, answer: SUGGESTED },
      { kind: 'target', about: /^"Contact"/, answer: SUGGESTED },
      { kind: 'target', about: /^"Mob\."/, answer: SUGGESTED },
      { kind: 'target', about: /^"Member since"/, answer: 'signup_date' },
      { kind: 'target', about: /^"Customer Email"/, answer: SUGGESTED },
      { kind: 'yes/no', about: /^Change any of the other 2 columns\?/, answer: false },
      { kind: 'yes/no', about: /^Save this mapping by name/, answer: true },
      { kind: 'name', about: /^Name for the mapping/, answer: 'odd-till' },
    ];
    const answers = await runMappingWizard(ctx, importOptions(file));

    expect(answers).toEqual({
      maps: ['Who=full_name', 'Contact=email', 'Mob.=phone', 'Fav Roast=attr.fav_roast', 'Member since=signup_date', 'Customer Email=attr.customer_email'],
      saveMapping: 'odd-till',
    });
    const suggested = Object.fromEntries(script.state.asked.filter((a) => a.kind === 'target').map((a) => [a.message.split('"')[1], a.suggested]));
    // Contact's answer took email, so Customer Email is no longer offered email first.
    expect(suggested).toEqual({ Who: 'full_name', Contact: 'email', 'Mob.': 'phone', 'Member since': 'attr.member_since', 'Customer Email': 'attr.customer_email' });
    expect(script.state.asked.find((a) => a.kind === 'name')?.suggested).toBe('odd');

    const shown = stderr();
    expect(shown).toContain('odd.csv matches no platform export custdb knows');
    expect(shown).toMatch(/Mob\.\s+07700 900123 \| \+44 20 7946 0958 \|.*\s+attr\.mob\s+not recognised/);
    expect(shown).toMatch(/Contact\s+jane@example\.com.*\s+full_name\s+doubtful \(email\?\)/);
    expect(shown).toMatch(/Customer Email\s+.*\s+email\s+a guess/);
    expect(shown).toContain('custdb import ' + file + ' --mapping odd-till');

    // The answers are what the import uses: every column lands where the user said, and the mapping is saved.
    const { store } = await openStore({ location: await createdCliDatabase(dir, 'test.db'), create: true, migrations: 'apply' });
    try {
      const result = await importCustomers(store, { ...importOptions(file), ...answers });
      expect(result.status).toBe('imported');
      expect(Object.fromEntries(result.mapping.map((m) => [m.column, m.target]))).toEqual({
        Ref: 'external_id',
        Who: 'full_name',
        Contact: 'email',
        'Mob.': 'phone',
        Town: 'city',
        'Fav Roast': 'attr.fav_roast',
        'Member since': 'signup_date',
        'Customer Email': 'attr.customer_email',
      });
      const saved = await store.db.selectFrom('saved_mappings').select(['name', 'mapping_json']).execute();
      expect(saved.map((s) => s.name)).toEqual(['odd-till']);
      expect(JSON.parse(saved[0]!.mapping_json).columns).toContainEqual(expect.objectContaining({ header: 'Mob.', target: 'phone' }));
    } finally {
      await store.close();
    }
  });

  it('lets the user change any column, name a custom field and ignore one; a field given twice moves the first column away', async () => {
    const file = path.join(workdirWith('odd.csv', ODD_CSV), 'odd.csv');
    const { ctx, stderr } = terminal();
    script.state.steps = [
      { kind: 'yes/no', about: /^Keep "Fav Roast"/, answer: false },
      { kind: 'target', about: /^"Who"/, answer: SUGGESTED },
      { kind: 'target', about: /^"Contact"/, answer: 'full_name' },
      { kind: 'target', about: /^"Mob\."/, answer: 'attr.*' },
      { kind: 'name', about: /^Custom field name/, answer: 'Mobile Number' },
      { kind: 'target', about: /^"Fav Roast"/, answer: 'ignore' },
      { kind: 'target', about: /^"Member since"/, answer: SUGGESTED },
      { kind: 'target', about: /^"Customer Email"/, answer: SUGGESTED },
      { kind: 'yes/no', about: /^Change any of the other 2 columns\?/, answer: true },
      { kind: 'column', about: /^Which column\?/, answer: 'Town' },
      { kind: 'target', about: /^"Town"/, answer: 'region' },
      { kind: 'column', about: /^Which column\?/, answer: 'done' },
      { kind: 'yes/no', about: /^Save this mapping/, answer: false },
    ];
    const answers = await runMappingWizard(ctx, importOptions(file));
    expect(answers).toEqual({
      maps: ['Who=attr.who', 'Contact=full_name', 'Mob.=attr.mobile_number', 'Town=region', 'Fav Roast=ignore', 'Member since=attr.member_since', 'Customer Email=email'],
    });
    expect(stderr()).toContain('"Who" now goes to attr.who: full_name comes from "Contact".');
    // Only the answers that differ from what custdb does on its own are needed next time.
    expect(stderr()).toContain(`custdb import ${file} --map "Mob.=attr.mobile_number" --map "Town=region" --map "Fav Roast=ignore"\n`);
  });

  it('with nothing that identifies a customer, asks which column does, offering only identifying fields', async () => {
    const file = path.join(workdirWith('noid.csv', NO_ID_CSV), 'noid.csv');
    script.state.steps = [
      { kind: 'target', about: /^"Code"/, answer: SUGGESTED },
      { kind: 'target', about: /^"Colour"/, answer: SUGGESTED },
      { kind: 'target', about: /^"Mob\."/, answer: 'attr.mob' },
      { kind: 'column', about: /^Which column identifies the customer\?/, answer: 'Code' },
      { kind: 'target', about: /^"Code"/, answer: SUGGESTED },
      { kind: 'yes/no', about: /^Save this mapping/, answer: false },
    ];
    const { ctx, stderr } = terminal();
    const answers = await runMappingWizard(ctx, importOptions(file));
    expect(answers).toEqual({ maps: ['Code=external_id', 'Colour=attr.colour', 'Mob.=attr.mob'] });
    expect(stderr()).toContain('No column identifies a customer yet');
    expect(script.state.asked[2]?.suggested).toBe('phone');
    expect(script.state.asked[4]?.choices).toEqual(['external_id', 'email', 'phone', 'first_name', 'last_name', 'full_name']);
  });

  it('"none of them" stops with exit 2 and nothing written', async () => {
    const file = path.join(workdirWith('noid.csv', NO_ID_CSV), 'noid.csv');
    script.state.steps = [
      { kind: 'target', about: /^"Code"/, answer: SUGGESTED },
      { kind: 'target', about: /^"Colour"/, answer: SUGGESTED },
      { kind: 'target', about: /^"Mob\."/, answer: 'ignore' },
      { kind: 'column', about: /^Which column identifies/, answer: 'none' },
    ];
    const error = await runMappingWizard(terminal().ctx, importOptions(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingColumnError);
    expect((error as MissingColumnError).exitCode).toBe(2);
  });

  it('Ctrl-C at any question stops the import (exit 1), naming --map and --mapping', async () => {
    const file = path.join(workdirWith('odd.csv', ODD_CSV), 'odd.csv');
    const interrupt = Object.assign(new Error('User force closed the prompt with SIGINT'), { name: 'ExitPromptError' });
    script.state.steps = [{ kind: 'yes/no', about: /^Keep/, answer: interrupt }];
    const error = await runMappingWizard(terminal().ctx, importOptions(file)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ exitCode: 1, message: 'Stopped before importing: nothing was written.' });
    expect((error as UsageError).hint).toMatch(/--map "COLUMN=FIELD" or --mapping NAME/);
  });

  it('offers the preset a header looks a little like', async () => {
    // "Mob." holds phone numbers under a name custdb does not know: a real question, so the wizard runs.
    const crm = 'Record ID,Colour,Size,Loyalty,Shoe,Hat,Bag,Mob.,Email\n1,red,M,gold,42,no,yes,07700 900123,a@example.com\n2,blue,S,none,38,yes,no,07700 900124,b@example.com\n';
    const file = path.join(workdirWith('crm.csv', crm), 'crm.csv');
    script.state.steps = [{ kind: 'yes/no', about: /^Read it as a HubSpot contacts export instead\?/, answer: true }];
    const { ctx, stderr } = terminal();
    expect(await runMappingWizard(ctx, importOptions(file))).toEqual({ maps: [], preset: 'hubspot-contacts' });
    expect(stderr()).toMatch(/looks a little like a HubSpot contacts export, 5\d%/);
    expect(stderr()).toContain('--preset hubspot-contacts');
  });

  it('keeps a --save-mapping name given on the command line instead of asking for one', async () => {
    const file = path.join(workdirWith('odd.csv', ODD_CSV), 'odd.csv');
    script.state.steps = [
      { kind: 'yes/no', about: /^Keep/, answer: true },
      ...['Who', 'Contact', 'Mob\\.', 'Member since', 'Customer Email'].map((name): Step => ({ kind: 'target', about: new RegExp(`^"${name}"`), answer: SUGGESTED })),
      { kind: 'yes/no', about: /^Change any/, answer: false },
    ];
    const answers = await runMappingWizard(terminal().ctx, importOptions(file, { saveMapping: 'till' }));
    expect(answers?.saveMapping).toBe('till');
  });

  it('asks nothing without a terminal, with --json, with --map/--mapping/--preset, or for a recognised export', async () => {
    const odd = path.join(workdirWith('odd.csv', ODD_CSV), 'odd.csv');
    expect(await runMappingWizard(terminal({ interactive: false }).ctx, importOptions(odd))).toBeNull();
    expect(await runMappingWizard(terminal({ json: true }).ctx, importOptions(odd))).toBeNull();
    expect(await runMappingWizard(terminal().ctx, importOptions(odd, { maps: ['Mob.=phone'] }))).toBeNull();
    expect(await runMappingWizard(terminal().ctx, importOptions(odd, { mapping: 'till' }))).toBeNull();
    expect(await runMappingWizard(terminal().ctx, importOptions(odd, { preset: 'shopify-customers' }))).toBeNull();
    const shopify = path.join(FIXTURES, 'presets', 'shopify-customers-2023.csv');
    expect(await runMappingWizard(terminal().ctx, importOptions(shopify))).toBeNull();
    expect(await runMappingWizard(terminal().ctx, importOptions(path.join(FIXTURES, 'presets', 'shopify-customers-2023-excel-eu.csv')))).toBeNull();
    expect(script.state.asked).toEqual([]);
  });

  it('asks nothing, in a terminal, when the only columns it does not know are kept as custom fields', async () => {
    const file = path.join(workdirWith('shop.csv', 'Email,First Name,Fav Roast,Grind\nann@example.com,Ann,dark,fine\nbo@example.com,Bo,light,coarse\n'), 'shop.csv');
    expect(await runMappingWizard(terminal().ctx, importOptions(file))).toBeNull();
    expect(script.state.asked).toEqual([]);
  });

  it('fits its table of columns, every prompt and every choice to a 60-column terminal', async () => {
    const wide = [
      'Reference Number Of The Customer,Who Is This Person Really,Contact Details Column,Mobile Phone Number (Personal),Favourite Roast Of Coffee Beans',
      'A-17-2024-LEEDS-0001,Jane Elizabeth O\'Brien-Fitzgerald,jane.elizabeth.obrien@example.com,07700 900123,dark roast with a hint of chocolate',
      'A-18-2024-YORK-0002,Thomas Alexander Baker,tom.alexander.baker@example.com,+44 20 7946 0958,light roast with citrus notes',
      '',
    ].join('\n');
    const file = path.join(workdirWith('wide.csv', wide), 'wide.csv');
    script.state.steps = [
      { kind: 'target', about: /^"Reference/, answer: SUGGESTED },
      { kind: 'target', about: /^"Who/, answer: SUGGESTED },
      { kind: 'target', about: /^"Contact/, answer: SUGGESTED },
      { kind: 'target', about: /^"Mobile/, answer: SUGGESTED },
      { kind: 'target', about: /^"Favourite/, answer: SUGGESTED },
      { kind: 'yes/no', about: /^Save this mapping/, answer: false },
    ];
    const { ctx, stderr } = terminal({ columns: 60 });
    await runMappingWizard(ctx, importOptions(file));
    // The table's lines are the indented ones; prose and commands are left to the terminal to wrap, so they copy whole.
    const table = stderr().split('\n').filter((line) => line.startsWith('  '));
    expect(table).toHaveLength(6);
    expect(table.filter((line) => line.length > 60)).toEqual([]);
    expect(script.state.asked.map((a) => a.message).filter((message) => message.length > 50)).toEqual([]);
    expect(script.state.asked.flatMap((a) => a.choiceNames ?? []).filter((name) => name.length > 58)).toEqual([]);
  });
});

/** Runs the binary with stdin left open and never written to, as cron or a pipe might; resolves when it exits or after `limitMs`. */
async function runWithOpenStdin(args: string[], cwd: string, limitMs: number): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  const run = await runOnDialect(args, { cwd });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...run.args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...run.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      child.stdin.destroy();
      resolve({ code, stdout: run.asWritten(stdout), stderr: run.asWritten(stderr), timedOut });
    });
  });
}

describe('custdb import without a terminal never prompts', () => {
  // stdin a real pipe, left open and never written to, as under cron: a prompt would wait until killed.
  describe('stdin left open (spawned binary)', () => {
    it('exits 2 at once when no column identifies a customer, listing the columns and the --map to add', async () => {
      const cwd = workdirWith('noid.csv', NO_ID_CSV);
      const result = await runWithOpenStdin(['import', 'noid.csv', '--db', 'test.db'], cwd, 20_000);
      expect(result.timedOut, 'custdb waited for input').toBe(false);
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain('No column identifies a customer');
      expect(result.stderr).toContain('Columns found: Code, Colour, Mob.');
      expect(result.stderr).toMatch(/--map "[^"]+=[a-z_]+"/);
      expect(result.stderr).not.toMatch(/goes to|\? /);
    });

    it('imports an odd file with the mappings it is sure of, and says which it guessed', async () => {
      const cwd = workdirWith('odd.csv', ODD_CSV);
      const result = await runWithOpenStdin(['import', 'odd.csv', '--db', 'test.db', '--json'], cwd, 20_000);
      expect(result.timedOut, 'custdb waited for input').toBe(false);
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as { status: string; mapping: { column: string; target: string }[]; notes: string[] };
      expect(summary.status).toBe('imported');
      expect(summary.mapping).toContainEqual(expect.objectContaining({ column: 'Ref', target: 'external_id' }));
      expect(summary.mapping).toContainEqual(expect.objectContaining({ column: 'Mob.', target: 'attr.mob' }));
      expect(summary.notes.join('\n')).toContain('guessed Customer Email → email; check them, or fix with --map');
    });
  });

  it('a mapping saved by name is reused with --mapping, as cron would', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'odd.csv'), ODD_CSV);
    const first = await runCliInProcess(['import', 'odd.csv', '--map', 'Mob.=phone', '--map', 'Contact=email', '--save-mapping', 'odd', '--default-country', 'GB'], { cwd });
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(path.join(cwd, 'odd-2.csv'), `${ODD_CSV}A-20,Ben Ode,ben@example.com,+44 20 7946 0002,Bath,dark,2024-04-01,ben@example.org\n`);
    const again = await runCliInProcess(['import', 'odd-2.csv', '--mapping', 'odd', '--default-country', 'GB', '--json'], { cwd });
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout) as { counts: { inserted: number; unchanged: number }; mapping: { column: string; target: string }[] };
    expect(summary.counts).toMatchObject({ inserted: 1, unchanged: 3 });
    expect(summary.mapping).toContainEqual(expect.objectContaining({ column: 'Mob.', target: 'phone' }));
  });
});
