import { randomInt } from 'node:crypto';

/**
 * How much a fuzz suite runs. `npm test` runs a small sample; `npm run fuzz`
 * (FUZZ_FULL=1) the full run, bounded by FUZZ_SECONDS. FUZZ_SEED=N replays case N
 * alone (add FUZZ_RUNS to go on from it); each failure prints its own seed.
 */
export interface FuzzSettings {
  /** Seed of the first case; case i uses firstSeed + i. */
  firstSeed: number;
  runs: number;
  /** Stop starting new cases after this long. */
  seconds: number;
  full: boolean;
}

export function fuzzSettings(defaults: { sampleRuns: number; sampleSeconds: number; fullRuns: number }): FuzzSettings {
  const env = process.env;
  const full = env.FUZZ_FULL === '1';
  const replay = env.FUZZ_SEED !== undefined && env.FUZZ_SEED !== '';
  const firstSeed = replay ? Number(env.FUZZ_SEED) : randomInt(2 ** 31);
  if (!Number.isSafeInteger(firstSeed)) throw new Error(`FUZZ_SEED=${env.FUZZ_SEED} is not a whole number`);
  const runs = env.FUZZ_RUNS ? Number(env.FUZZ_RUNS) : replay ? 1 : full ? defaults.fullRuns : defaults.sampleRuns;
  const seconds = env.FUZZ_SECONDS ? Number(env.FUZZ_SECONDS) : full ? 600 : defaults.sampleSeconds;
  return { firstSeed, runs, seconds, full };
}
