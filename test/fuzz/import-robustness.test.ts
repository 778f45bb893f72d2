import { describe, expect, it } from 'vitest';
import { checkImportCase } from '../helpers/check-import-case.js';
import { fuzzSettings } from '../helpers/fuzz-settings.js';
import { generateImportCase } from '../helpers/generate-import-csv.js';

const settings = fuzzSettings({ sampleRuns: 50, sampleSeconds: 20, fullRuns: 10_000 });
// The full run also writes cells of up to 3 MB, so whole files pass the 2 MB at which standardising moves to worker threads.
const hugeChars = settings.full ? 3_000_000 : 60_000;

/** Problems quote custdb's messages, which may hold a 5,000-character column name. */
function shorten(text: string): string {
  return text.length > 600 ? `${text.slice(0, 600)}… (${text.length} characters)` : text;
}

describe('custdb import of generated CSVs (nothing lost, nothing crashes)', () => {
  it(
    `imports ${settings.runs} generated files from seed ${settings.firstSeed}: no internal error, every row accounted for, doctor clean`,
    async () => {
      const deadline = Date.now() + settings.seconds * 1000;
      const failures: string[] = [];
      let ran = 0;
      for (let i = 0; i < settings.runs && Date.now() < deadline && failures.length < 5; i++) {
        const seed = settings.firstSeed + i;
        const testCase = generateImportCase(seed, { hugeChars });
        const outcome = await checkImportCase(testCase, seed, { spawnEvery: 25 });
        ran += 1;
        if (outcome.problems.length > 0) {
          failures.push(
            `seed ${seed} (${testCase.label}; import ${testCase.args.join(' ')}):\n  ${outcome.problems.map(shorten).join('\n  ')}\n` +
              `  file: ${outcome.dir}/input.csv\n  replay: FUZZ_SEED=${seed} npx vitest run test/fuzz/import-robustness.test.ts`,
          );
        }
      }
      console.log(`import fuzz: ${ran} files from seed ${settings.firstSeed}, ${failures.length} failing`);
      expect(failures, failures.join('\n\n')).toEqual([]);
    },
    (settings.seconds + 120) * 1000,
  );
});
