import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/dedupe/create-random.js';
import { writeCustomerFile, writeLookAlikeFile, writeOrdersFile } from '../helpers/customer-files.js';
import { describeDifference, dumpTables } from '../helpers/dump-tables.js';
import { fuzzSettings } from '../helpers/fuzz-settings.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { killAt, makeWorkdir, type KillMoment } from '../helpers/run-cli.js';

const settings = fuzzSettings({ sampleRuns: 5, sampleSeconds: 25, fullRuns: 50 });
const PEOPLE = settings.full ? 4_000 : 600;

interface Operation {
  name: string;
  args: string[];
  /** Filled in by a run to the end on a copy of the base database. */
  after?: Record<string, string>;
  durationMs?: number;
  walGrewAtMs?: number;
  /** For export: the complete file. */
  output?: string;
}

/** The commands that write (or, for export, write a file): each must leave the data as before or as after. */
const OPERATIONS: Operation[] = [
  { name: 'import', args: ['import', 'more.csv'] },
  { name: 'merge', args: ['dedupe', '--merge', '--yes', '--threshold', '0.5'] },
  { name: 'undo', args: ['imports', 'undo', '3', '--yes'] },
  { name: 'export', args: ['export', 'customers', '-o', 'out.csv'] },
];

function copyOf(dir: string): string {
  const copy = mkdtempSync(path.join(tmpdir(), 'custdb-kill-'));
  cpSync(dir, copy, { recursive: true });
  return copy;
}

let base: string;
let before: Record<string, string>;

beforeAll(async () => {
  // Batch 1: people plus one person typed 30 times; batch 2: their orders; batch 3: more people, some updated.
  base = makeWorkdir();
  writeLookAlikeFile(path.join(base, 'look-alikes.csv'), 30);
  writeCustomerFile(path.join(base, 'people.csv'), 'p', PEOPLE);
  writeCustomerFile(path.join(base, 'more.csv'), 'p', PEOPLE * 2, 'more');
  const emails = [...Array.from({ length: PEOPLE }, (_, i) => `p-${i}@example.com`), ...Array.from({ length: 30 }, (_, i) => `${i % 2 === 0 ? 'katherine' : 'kathy'}${i}@example.${i % 3 === 0 ? 'com' : 'org'}`)];
  writeOrdersFile(path.join(base, 'orders.csv'), emails, PEOPLE * 2);
  writeCustomerFile(path.join(base, 'later.csv'), 'p', PEOPLE + PEOPLE / 2, 'later');
  const db = path.join(base, 'customers.db');
  for (const file of ['look-alikes.csv', 'people.csv', 'orders.csv', 'later.csv']) {
    const args = ['import', path.join(base, file), '--db', db, ...(file === 'orders.csv' ? ['--as', 'orders'] : [])];
    const result = await runCliInProcess(args);
    expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
  }
  before = dumpTables(db, { withoutTimes: false });

  for (const operation of OPERATIONS) {
    const dir = copyOf(base);
    const started = Date.now();
    const run = await killAt(operation.args, dir, { afterStartMs: Infinity });
    expect(run.code, `${operation.name} run to its end`).toBe(0);
    operation.durationMs = Date.now() - started;
    operation.walGrewAtMs = run.walGrewAtMs;
    operation.after = dumpTables(path.join(dir, 'customers.db'), { withoutTimes: true });
    if (operation.name === 'export') operation.output = readFileSync(path.join(dir, 'out.csv'), 'utf8');
    else expect(describeDifference(operation.after, dumpTables(db, { withoutTimes: true })), `${operation.name} changes something`).not.toBe('');
    rmSync(dir, { recursive: true, force: true });
  }
}, 240_000);

afterAll(() => {
  if (base !== undefined) rmSync(base, { recursive: true, force: true });
});

describe('kill -9 at random moments during import, merge, undo and export', () => {
  it(
    `leaves the data exactly as before or as after, and doctor clean — ${settings.runs} kills from seed ${settings.firstSeed}`,
    async () => {
      const deadline = Date.now() + settings.seconds * 1000;
      const failures: string[] = [];
      const outcomes: string[] = [];
      for (let k = 0; k < settings.runs && Date.now() < deadline; k++) {
        const seed = settings.firstSeed + k;
        const random = createRandom(seed);
        const operation = OPERATIONS[seed % OPERATIONS.length]!;
        const duration = operation.durationMs ?? 1_000;
        // Half the kills anywhere in the run; half once it starts writing to the -wal file, mostly within
        // a few ms of that (cubed: SQLite appends a whole commit to the -wal in milliseconds).
        const writing = operation.walGrewAtMs !== undefined && random() < 0.5;
        const moment: KillMoment = writing
          ? { afterWalGrowsMs: Math.floor(random() ** 3 * Math.max(20, duration - operation.walGrewAtMs!)) }
          : { afterStartMs: Math.floor(random() * duration * 1.1) };
        const dir = copyOf(base);
        const run = await killAt(operation.args, dir, moment);
        const db = path.join(dir, 'customers.db');
        const problems: string[] = [];

        const doctor = await runCliInProcess(['doctor', '--db', db, '--json']);
        if (doctor.code !== 0) problems.push(`doctor exited ${doctor.code}: ${doctor.stdout}${doctor.stderr}`);
        let state = 'before';
        if (JSON.stringify(dumpTables(db, { withoutTimes: false })) !== JSON.stringify(before)) {
          const now = dumpTables(db, { withoutTimes: true });
          if (JSON.stringify(now) === JSON.stringify(operation.after)) state = 'after';
          else problems.push(`data is neither as before nor as after: differs from after in ${describeDifference(operation.after ?? {}, now)}`);
        }
        if (operation.output !== undefined && existsSync(path.join(dir, 'out.csv')) && readFileSync(path.join(dir, 'out.csv'), 'utf8') !== operation.output) {
          problems.push('out.csv exists but is not the complete export');
        }
        const when = 'afterStartMs' in moment ? `${moment.afterStartMs}ms` : `wal+${moment.afterWalGrowsMs}ms`;
        outcomes.push(`${operation.name}@${when}:${run.signal === null ? 'finished' : state}`);
        if (problems.length > 0) {
          failures.push(
            `seed ${seed}: custdb ${operation.args.join(' ')} killed at ${JSON.stringify(moment)} (${run.signal ?? `exit ${run.code}`}):\n  ${problems.join('\n  ')}\n` +
              `  folder: ${dir}\n  replay: FUZZ_SEED=${seed} npx vitest run test/fuzz/kill-during-writes.test.ts`,
          );
        } else {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      console.log(`kill fuzz from seed ${settings.firstSeed}: ${outcomes.join(', ')}`);
      expect(failures, failures.join('\n\n')).toEqual([]);
    },
    (settings.seconds + 120) * 1000,
  );
});
