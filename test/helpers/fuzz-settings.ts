import { randomInt } from 'node:crypto';

/**
 * How much a fuzz suite runs. `npm test` runs a small sample from a fixed seed,
 * so a run of the suite passes or fails the same way every time; `npm run fuzz`
 * (FUZZ_FULL=1) the full run from a fresh random seed, bounded by FUZZ_SECONDS,
 * to find new cases. FUZZ_SEED=N replays case N alone (add FUZZ_RUNS to go on
 * from it); each failure prints its own seed.
 */
export interface FuzzSettings {
  /** Seed of the first case; case i uses firstSeed + i. */
  firstSeed: number;
  runs: number;
  /** Stop starting new cases after this long. */
  seconds: number;
  full: boolean;
}

const SAMPLE_SEED = 20261205;

export function fuzzSettings(defaults: { sampleRuns: number; sampleSeconds: number; fullRuns: number }): FuzzSettings {
  const env = process.env;
  const full = env.FUZZ_FULL === '1';
  const replay = env.FUZZ_SEED !== undefined && env.FUZZ_SEED !== '';
  const firstSeed = replay ? Number(env.FUZZ_SEED) : full ? randomInt(2 ** 31) : SAMPLE_SEED;
  if (!Number.isSafeInteger(firstSeed)) throw new Error(`FUZZ_SEED=${env.FUZZ_SEED} is not a whole number`);
  const runs = env.FUZZ_RUNS ? Number(env.FUZZ_RUNS) : replay ? 1 : full ? defaults.fullRuns : defaults.sampleRuns;
  const seconds = env.FUZZ_SECONDS ? Number(env.FUZZ_SECONDS) : full ? 600 : defaults.sampleSeconds;
  return { firstSeed, runs, seconds, full };
}
