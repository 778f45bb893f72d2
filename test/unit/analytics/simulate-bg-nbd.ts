import type { BgNbdParams } from '../../../src/analytics/bg-nbd.js';

/** A seeded uniform generator on [0, 1) (mulberry32): the same seed gives the same customers. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Gamma(shape, rate) by Marsaglia & Tsang, with the shape < 1 boost U^(1/shape). */
export function gammaVariate(random: () => number, shape: number, rate: number): number {
  if (shape < 1) return gammaVariate(random, shape + 1, rate) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const z = standardNormal(random);
    const v = Math.pow(1 + c * z, 3);
    if (v > 0 && Math.log(1 - random()) < 0.5 * z * z + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/**
 * Customers drawn from the BG/NBD story: λ ~ Gamma(r, α), p ~ Beta(a, b); the first
 * purchase at time 0, then purchases at rate λ, and after each one the customer leaves
 * with probability p. Each is observed for T drawn uniformly from [minAge, maxAge]; times
 * are in weeks and, as purchase days make them, whole days (sevenths).
 */
export function simulateBgNbd(
  params: BgNbdParams,
  options: { customers: number; minAge: number; maxAge: number; seed: number },
): { frequency: Float64Array; recency: Float64Array; age: Float64Array } {
  const random = seededRandom(options.seed);
  const { customers } = options;
  const frequency = new Float64Array(customers);
  const recency = new Float64Array(customers);
  const age = new Float64Array(customers);
  for (let i = 0; i < customers; i++) {
    const lambda = gammaVariate(random, params.r, params.alpha);
    const x = gammaVariate(random, params.a, 1);
    const p = x / (x + gammaVariate(random, params.b, 1));
    const T = options.minAge + (options.maxAge - options.minAge) * random();
    let time = 0;
    let purchases = 0;
    let last = 0;
    for (;;) {
      time += -Math.log(1 - random()) / lambda;
      if (time > T) break;
      purchases += 1;
      last = time;
      if (random() < p) break;
    }
    frequency[i] = purchases;
    recency[i] = Math.floor(last * 7) / 7;
    age[i] = Math.floor(T * 7) / 7;
  }
  return { frequency, recency, age };
}
