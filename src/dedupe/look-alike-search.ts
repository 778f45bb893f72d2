import { blockCandidates } from './block-candidates.js';
import { buildRecordTable, type RecordTable } from './build-record-table.js';
import type { TermFrequencies } from './build-term-frequencies.js';
import { COMPARISON_FIELDS, FIELD_LEVELS, levelAt } from './comparison-levels.js';
import { compareFields } from './compare-fields.js';
import { createBlockingKeyReader, KeyGate } from './create-blocking-key-reader.js';
import { createRandom } from './create-random.js';
import type { DedupeRecord } from './dedupe-record.js';
import { DEFAULT_U_PAIRS, defaultM, defaultU } from './default-parameters.js';
import type { MatchModel } from './estimate-parameters.js';
import { estimateUProbabilities } from './estimate-u-probabilities.js';
import { explainPair, type PairExplanation } from './explain-pair.js';
import { DEFAULT_MATCH_THRESHOLD } from './find-duplicates.js';
import { createScorer, weightOfProbability, weightOfVector } from './score-pairs.js';

/**
 * Share of newly imported customers assumed to be someone already known under
 * another email or phone. With N existing customers, a new one and a given
 * existing one start at LOOK_ALIKE_SHARE / N of being the same person (the
 * full dedupe's EM finds 0.24 to 1.5 duplicates per record on the bench's
 * duplicate-heavy sets; a shop's next file has far fewer). Generous rather
 * than strict: a flag costs a look in `dedupe --review`, a miss a duplicate.
 */
export const LOOK_ALIKE_SHARE = 0.1;

/** At most this many existing customers are flagged per new one (the most likely). */
export const MAX_FLAGS_PER_CUSTOMER = 3;

/**
 * A key value shared by more existing customers than this (a common name, a
 * shared mailbox name) says too little to search by, as the engine does not
 * compare such blocks all against all either; the other keys still apply.
 */
export const MAX_CUSTOMERS_PER_KEY = 100;

/** A new customer that scores as a likely duplicate of an existing one. */
export interface LookAlike {
  /** The new customer. */
  customerId: number;
  /** The existing customer it looks like. */
  otherId: number;
  probability: number;
  /** e.g. "looks like customer 12: same surname and birth date, email domain typo (probability 0.97)". */
  reason: string;
}

export interface LookAlikeOptions {
  /** Match probability a pair needs (default DEFAULT_MATCH_THRESHOLD). */
  threshold?: number;
  /** Existing customers kept at random to estimate u from (default 600). */
  sampleSize?: number;
  seed?: number;
}

type CountedField = 'firstName' | 'lastName' | 'postalCode' | 'city';
const COUNTED: readonly CountedField[] = ['firstName', 'lastName', 'postalCode', 'city'];

const FIRST_NAME = COMPARISON_FIELDS.indexOf('firstName');
const DIFFERENT_FIRST_NAME = FIELD_LEVELS.firstName.findIndex((level) => level.key === 'different');

/**
 * Finds which of a few new customers look like customers already in the
 * database, reading the existing ones one at a time (`offer`) so that only
 * those sharing a blocking key with a new one are kept in memory. `finish`
 * scores every new × kept pair with the engine's comparisons and the default
 * m (too few pairs for EM), u from a random sample of the existing customers
 * and term frequencies counted over all of them. Pure; never throws.
 *
 * A pair whose first names are clearly different is never a look-alike: that
 * is a household (same address, surname, phone), which the importer already
 * flags when an email or phone is shared.
 * @example
 * const search = new LookAlikeSearch(newCustomers);
 * for (const existing of allExisting) search.offer(existing);
 * search.finish(); // [{ customerId: 61, otherId: 19, probability: 0.99, reason: 'looks like customer 19: …' }]
 */
export class LookAlikeSearch {
  private readonly reader = createBlockingKeyReader();
  /** Key values of the new customers → slots of the kept existing customers that share them. */
  private readonly wanted = new Map<string, number[]>();
  /** The wanted keys by their parts: a record's keys are read only when wanted. */
  private readonly gate: KeyGate;
  /** Existing customers sharing a key with a new one, by slot; a slot is emptied when all its keys turned out too common. */
  private readonly kept: (DedupeRecord | undefined)[] = [];
  private readonly keysHeld: number[] = [];
  private keptCount = 0;
  private readonly sample: DedupeRecord[] = [];
  private readonly random: () => number;
  private readonly sampleSize: number;
  private readonly threshold: number;
  private readonly seed: number;
  private offered = 0;
  /** Per counted field: how many existing customers carry each value a new customer has. */
  private readonly counts: Record<CountedField, Map<string, number>> = { firstName: new Map(), lastName: new Map(), postalCode: new Map(), city: new Map() };
  private readonly withValue: Record<CountedField, number> = { firstName: 0, lastName: 0, postalCode: 0, city: 0 };

  constructor(
    private readonly newRecords: readonly DedupeRecord[],
    options: LookAlikeOptions = {},
  ) {
    this.threshold = options.threshold ?? DEFAULT_MATCH_THRESHOLD;
    this.sampleSize = options.sampleSize ?? 600;
    this.seed = options.seed ?? 1;
    this.random = createRandom(this.seed);
    for (const record of newRecords) {
      const read = this.reader.read(record);
      for (const key of read.keys) this.wanted.set(key, []);
      for (const field of COUNTED) if (read[field] !== '') this.counts[field].set(read[field], 0);
    }
    this.gate = new KeyGate(this.wanted.keys());
  }

  /** How many existing customers were offered so far. */
  get existing(): number {
    return this.offered;
  }

  /** How many offered customers share a blocking key with a new one (and will be scored). */
  get candidates(): number {
    return this.keptCount;
  }

  /** Takes one existing customer into account: counted, maybe sampled, kept when it shares a blocking key with a new one. */
  offer(record: DedupeRecord): void {
    this.offered += 1;
    const read = this.reader.read(record, this.gate);
    this.count('firstName', read.firstName);
    this.count('lastName', read.lastName);
    this.count('postalCode', read.postalCode);
    this.count('city', read.city);
    // Reservoir sampling: every existing customer is equally likely to be in the sample.
    if (this.sample.length < this.sampleSize) this.sample.push(record);
    else {
      const k = Math.floor(this.random() * this.offered);
      if (k < this.sampleSize) this.sample[k] = record;
    }
    let slot = -1;
    for (const key of read.keys) {
      const holders = this.wanted.get(key);
      if (holders === undefined) continue;
      if (slot < 0) {
        slot = this.kept.length;
        this.kept.push(record);
        this.keysHeld.push(0);
        this.keptCount += 1;
      }
      holders.push(slot);
      this.keysHeld[slot] = (this.keysHeld[slot] ?? 0) + 1;
      if (holders.length > MAX_CUSTOMERS_PER_KEY) this.dropKey(key, holders);
    }
  }

  /** Stops searching by a too common key value, letting go of customers kept only for it. */
  private dropKey(key: string, holders: number[]): void {
    this.wanted.delete(key);
    this.gate.delete(key);
    for (const slot of holders) {
      const held = (this.keysHeld[slot] ?? 1) - 1;
      this.keysHeld[slot] = held;
      if (held === 0 && this.kept[slot] !== undefined) {
        this.kept[slot] = undefined;
        this.keptCount -= 1;
      }
    }
  }

  /** The look-alikes, most likely first; at most MAX_FLAGS_PER_CUSTOMER per new customer. */
  finish(): LookAlike[] {
    const fresh = this.newRecords.length;
    const kept = this.kept.filter((record): record is DedupeRecord => record !== undefined);
    if (fresh === 0 || kept.length === 0) return [];
    const table = buildRecordTable([...this.newRecords, ...kept]);
    const scorer = createScorer(table, this.model(), this.termFrequencies(table));
    const thresholdWeight = weightOfProbability(this.threshold);
    const pairs = blockCandidates(table);
    const found = new Map<number, { j: number; weight: number }[]>();
    for (let p = 0; p < pairs.count; p++) {
      // New customers are rows 0..fresh-1 and left < right, so a new × existing pair has left new and right existing.
      const i = pairs.left[p] ?? 0;
      const j = pairs.right[p] ?? 0;
      if (i >= fresh || j < fresh) continue;
      const vector = compareFields(table, i, j);
      if (levelAt(vector, FIRST_NAME) === DIFFERENT_FIRST_NAME) continue;
      const weight = weightOfVector(scorer, vector, i);
      if (weight < thresholdWeight) continue;
      const list = found.get(i) ?? [];
      list.push({ j, weight });
      found.set(i, list);
    }
    const lookAlikes: LookAlike[] = [];
    for (const [i, list] of found) {
      list.sort((x, y) => y.weight - x.weight);
      for (const { j } of list.slice(0, MAX_FLAGS_PER_CUSTOMER)) {
        const explanation = explainPair(scorer, i, j);
        const otherId = table.ids[j] ?? 0;
        lookAlikes.push({ customerId: table.ids[i] ?? 0, otherId, probability: explanation.probability, reason: describeLookAlike(otherId, explanation) });
      }
    }
    return lookAlikes.sort((x, y) => y.probability - x.probability || x.customerId - y.customerId || x.otherId - y.otherId);
  }

  private count(field: CountedField, value: string): void {
    if (value === '') return;
    this.withValue[field] += 1;
    const counts = this.counts[field];
    const count = counts.get(value);
    if (count !== undefined) counts.set(value, count + 1);
  }

  /** Default m (a few new customers are far too few pairs for EM); u from the sample, blended with the default. */
  private model(): MatchModel {
    const u = estimateUProbabilities(buildRecordTable(this.sample), { seed: this.seed, prior: { u: defaultU(), pairs: DEFAULT_U_PAIRS } });
    const prior = Math.min(0.5, LOOK_ALIKE_SHARE / Math.max(1, this.offered));
    return { m: defaultM(), u, prior, candidatePrior: prior, emIterations: 0, emConverged: false };
  }

  /** Shares of each value among all existing customers, for the table's value pools. */
  private termFrequencies(table: RecordTable): TermFrequencies {
    const shares = (values: readonly string[], field: CountedField): Float64Array => {
      const total = this.withValue[field];
      return Float64Array.from(values, (value) => (total > 0 ? (this.counts[field].get(value) ?? 0) / total : 0));
    };
    return {
      firstName: shares(table.names.values, 'firstName'),
      lastName: shares(table.names.values, 'lastName'),
      postalCode: shares(table.postalCodes.values, 'postalCode'),
      city: shares(table.cities.values, 'city'),
    };
  }
}

/** Fields left out of a reason when a more precise location field already agrees. */
const IMPLIED_BY: Partial<Record<string, readonly string[]>> = {
  address: ['postalCode', 'city', 'region'],
  postalCode: ['city', 'region'],
  city: ['region'],
};

/**
 * The flag's reason in a line: the (at most five) fields that spoke most for
 * the match, in the usual order of a customer record, exact ones gathered;
 * a postal code is not repeated as city and region. "looks like customer 12:
 * same surname and birth date, email domain typo (probability 0.97)".
 */
export function describeLookAlike(otherId: number, explanation: PairExplanation): string {
  const agreeing = explanation.fields.filter((f) => f.weight >= 1);
  const implied = new Set(agreeing.flatMap((f) => (f.level === 'exact' || f.level === 'close' ? (IMPLIED_BY[f.field] ?? []) : [])));
  const strongest = agreeing
    .filter((f) => !implied.has(f.field))
    .sort((a, b) => b.weight - a.weight)
    .filter((f, k, all) => all.findIndex((g) => g.words === f.words) === k)
    .slice(0, 5);
  const shown = explanation.fields.filter((f) => strongest.includes(f));
  const same = shown.filter((f) => f.level === 'exact').map((f) => f.words.replace(/^same /, ''));
  const parts = shown.filter((f) => f.level !== 'exact').map((f) => f.words);
  if (same.length > 0) parts.unshift(`same ${same.length === 1 ? same[0] : `${same.slice(0, -1).join(', ')} and ${same[same.length - 1]}`}`);
  const p = explanation.probability;
  const probability = p >= 0.995 ? '>0.99' : p.toFixed(2);
  return `looks like customer ${otherId}${parts.length > 0 ? `: ${parts.join(', ')}` : ''} (probability ${probability})`;
}
