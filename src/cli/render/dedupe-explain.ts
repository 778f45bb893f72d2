import type { CustomerPairExplanation } from '../../dedupe-run/explain-customer-pair.js';
import type { CommandContext } from '../context.js';
import { fullName } from './dedupe-words.js';
import { formatPercent, formatSigned, roundTo } from './numbers.js';

/** `dedupe --explain --json`: every field's level and weight, for machines. */
export function explanationJson(found: CustomerPairExplanation) {
  const e = found.explanation;
  return {
    left: found.left.id,
    right: found.right.id,
    probability: roundTo(e.probability, 6),
    weight: roundTo(e.weight, 3),
    threshold: found.threshold,
    markedDistinct: found.markedDistinct,
    prior: { weight: roundTo(e.priorWeight, 3), text: e.priorText },
    fields: e.fields.map((f) => ({ field: f.field, level: f.level, weight: roundTo(f.weight, 3), termFrequencyWeight: roundTo(f.termFrequencyWeight, 3), words: f.words, text: f.text })),
  };
}

/** `dedupe --explain` as text: the verdict, then each field's part in the weight (green for, red against). */
export function renderExplanation(found: CustomerPairExplanation, ctx: CommandContext): string {
  const { left, right, explanation, threshold, markedDistinct } = found;
  const verdict =
    markedDistinct !== null
      ? `marked not the same person by ${markedDistinct.by} on ${markedDistinct.at.slice(0, 10)}, so never proposed`
      : explanation.probability >= threshold
        ? `proposed as duplicates (threshold ${threshold})`
        : `not proposed (below the threshold ${threshold})`;
  const paintField = (weight: number, text: string): string => (weight > 0.05 ? ctx.paint.green(text) : weight < -0.05 ? ctx.paint.red(text) : ctx.paint.dim(text));
  return [
    `#${left.id} ${fullName(left)} and #${right.id} ${fullName(right)}: ${formatPercent(explanation.probability)} likely the same person — ${verdict}.`,
    '',
    `  ${explanation.priorText}`,
    ...explanation.fields.map((f) => `  ${paintField(f.weight, f.text)}`),
    `  = match weight ${formatSigned(explanation.weight)} bits → probability ${explanation.probability.toFixed(4)}`,
  ].join('\n');
}
