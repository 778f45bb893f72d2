import { describe, expect, it } from 'vitest';
import { checkImportCase } from '../helpers/check-import-case.js';
import { fuzzSettings } from '../helpers/fuzz-settings.js';
import { generateImportCase } from '../helpers/generate-import-csv.js';

const settings = fuzzSettings({ sampleRuns: 60, sampleSeconds: 15, fullRuns: 10_000 });
// In the full run one written file in 40 passes the 2 MB at which standardising moves to worker threads (slow: rare).
const generateOptions = { hugeChars: 60_000, workerSizedPercent: settings.full ? 2.5 : 0 };

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
        const testCase = generateImportCase(seed, generateOptions);
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
