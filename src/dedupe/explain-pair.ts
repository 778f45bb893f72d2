import type { ComparisonField } from './comparison-levels.js';
import { COMPARISON_FIELDS, FIELD_LEVELS, levelAt } from './comparison-levels.js';
import { compareFields } from './compare-fields.js';
import type { Scorer } from './score-pairs.js';
import { probabilityOfWeight, termFrequencyAdjustment } from './score-pairs.js';

export interface FieldExplanation {
  field: ComparisonField;
  level: string;
  /** How much this field moved the match weight (bits, log2 Bayes factor), term-frequency part included. */
  weight: number;
  /** The part of `weight` due to how rare or common the shared value is (0 when not adjusted). */
  termFrequencyWeight: number;
  /** The level in words, e.g. "same surname" or "email domain typo". */
  words: string;
  /** `words`, the shared value where its rarity counts, and the weight: "same surname ('zablocki', rare here) (+9.1)". */
  text: string;
}

export interface PairExplanation {
  /** Starting weight: how likely two random records are the same person. */
  priorWeight: number;
  /** e.g. "start: two customers picked at random are the same person 1 time in 52,000 (-15.7)". */
  priorText: string;
  fields: FieldExplanation[];
  weight: number;
  probability: number;
}

function signed(x: number): string {
  const r = Math.round(x * 10) / 10;
  return r > 0 ? `+${r.toFixed(1)}` : r < 0 ? r.toFixed(1) : '0';
}

function sharedValue(scorer: Scorer, field: ComparisonField, i: number): string {
  const t = scorer.table;
  if (field === 'firstName') return t.names.values[t.firstName[i] ?? -1] ?? '';
  if (field === 'lastName') return t.names.values[t.lastName[i] ?? -1] ?? '';
  if (field === 'postalCode') return t.postalCodes.values[t.postalCode[i] ?? -1] ?? '';
  if (field === 'city') return t.cities.values[t.city[i] ?? -1] ?? '';
  return '';
}

/**
 * Field-by-field account of the match weight of rows i and j: each field's
 * comparison level, how many bits it added or removed, in words and numbers.
 * The field weights plus the prior sum to `weight`. Never throws.
 */
export function explainPair(scorer: Scorer, i: number, j: number): PairExplanation {
  const vector = compareFields(scorer.table, i, j);
  let total = scorer.priorWeight;
  const fields = COMPARISON_FIELDS.map((field, f): FieldExplanation => {
    const level = levelAt(vector, f);
    const info = FIELD_LEVELS[field][level];
    const base = scorer.levelWeights[f]?.[level] ?? 0;
    const tfWeight = info?.termFrequency === true ? termFrequencyAdjustment(scorer, f, i) : 0;
    const weight = base + tfWeight;
    total += weight;
    const words = info?.words ?? `${field} missing on one side`;
    let detail = '';
    if (info?.termFrequency === true) {
      const rarity = tfWeight > 0.5 ? ', rare here' : tfWeight < -0.5 ? ', common here' : '';
      detail = ` ('${sharedValue(scorer, field, i)}'${rarity})`;
    }
    return {
      field,
      level: info?.key ?? 'missing',
      weight,
      termFrequencyWeight: tfWeight,
      words,
      text: `${words}${detail} (${signed(weight)})`,
    };
  });
  const oneIn = Math.round(1 / scorer.model.prior).toLocaleString('en-US');
  const priorText = `start: two customers picked at random are the same person 1 time in ${oneIn} (${signed(scorer.priorWeight)})`;
  return { priorWeight: scorer.priorWeight, priorText, fields, weight: total, probability: probabilityOfWeight(total) };
}

/**
 * Like explainPair, but for two customer ids (as typed in `custdb dedupe
 * --explain ID ID`). Returns undefined when either id is not in the table.
 */
export function explainIds(scorer: Scorer, idA: number, idB: number): PairExplanation | undefined {
  const ids = scorer.table.ids;
  const i = ids.indexOf(idA);
  const j = ids.indexOf(idB);
  return i < 0 || j < 0 ? undefined : explainPair(scorer, i, j);
}
