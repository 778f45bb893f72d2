import type { CustomerModelsFit } from '../../analytics/fit-customer-models.js';
import type { HoldoutRow } from '../../analytics/holdout-check.js';
import type { CommandContext } from '../context.js';
import { formatCount } from './format-count.js';
import { countOf, roundTo } from './numbers.js';
import { renderTable } from './table.js';

/** Significant digits parameters are shown with: the published fits give three or four. */
const DIGITS = 4;
/** Widest bar of the holdout chart, in character cells. */
const BAR_CELLS = 40;
const ACTUAL_GLYPH = '█';
const PREDICTED_GLYPH = '░';

function value(x: number): string {
  return Number(x.toPrecision(DIGITS)).toString();
}

/** The fit as text: what was fitted on, a table of the models, and the holdout check or what was stored. */
export function renderModelFit(fit: CustomerModelsFit, ctx: CommandContext): string {
  const lines = [
    `Fitted on the orders up to ${fit.asOf}: ${countOf(fit.customers, 'customer')}, ${formatCount(fit.repeatCustomers)} of them repeat buyers. Time unit: ${fit.unit}.`,
    '',
  ];
  const rows: string[][] = [];
  const unit = fit.unit === 'weeks' ? 'wk' : 'd';
  if (fit.bgnbd) {
    const { r, alpha, a, b } = fit.bgnbd.params;
    rows.push(['BG/NBD', `r ${value(r)}  α ${value(alpha)} ${unit}  a ${value(a)}  b ${value(b)}`, fit.bgnbd.logLikelihood.toFixed(1), formatCount(fit.bgnbd.customers)]);
  }
  if (fit.pareto) {
    const { r, alpha, s, beta } = fit.pareto.params;
    rows.push(['Pareto/NBD', `r ${value(r)}  α ${value(alpha)} ${unit}  s ${value(s)}  β ${value(beta)} ${unit}`, fit.pareto.logLikelihood.toFixed(1), formatCount(fit.pareto.customers)]);
  }
  if (fit.gammaGamma) {
    const { p, q, v } = fit.gammaGamma.params;
    rows.push(['Gamma-Gamma', `p ${value(p)}  q ${value(q)}  v ${value(v)}`, fit.gammaGamma.logLikelihood.toFixed(1), formatCount(fit.gammaGamma.customers)]);
  }
  lines.push(renderTable(['model', 'parameters', 'log-likelihood', 'customers'], rows, ctx).trimEnd());
  if (fit.gammaGamma) {
    const rho = fit.gammaGamma.frequencySpendCorrelation;
    const verdict = Math.abs(rho) <= 0.3 ? 'the model\'s independence assumption holds' : 'spend depends on frequency: treat the spend predictions with care';
    lines.push(`Frequency–spend correlation among repeat buyers: ${rho.toFixed(2)} (${verdict}).`);
    if (fit.currency !== undefined) {
      const leftOut = fit.spendLeftOut === 0 ? '' : `; ${countOf(fit.spendLeftOut, 'repeat buyer')} also spent in other currencies, left out of their average spend`;
      lines.push(`Spend and values in ${fit.currency}, the main currency${leftOut}.`);
    }
  }
  if (fit.holdout) lines.push('', ...renderHoldout(fit.holdout, fit.unit, ctx));
  return `${lines.join('\n')}\n`;
}

/** What the stored predictions are, for stderr: the fields now usable, or why none were stored. */
export function describeStoredPredictions(fit: CustomerModelsFit): string {
  if (fit.stored) {
    const { months, monthlyDiscountRate } = fit.stored.value;
    return `Stored predictions for ${countOf(fit.stored.customers, 'customer')} (fit ${fit.stored.fitId}): p_active, expected_orders_90d, expected_orders_365d, predicted_value_12m and clv (${months} months at ${roundTo(monthlyDiscountRate * 100, 4)}% a month) in query, segments and export.`;
  }
  if (fit.holdout) return 'A holdout check stores nothing: fit without --holdout-from to refresh the predictions.';
  return 'Predictions not refreshed: they need BG/NBD and Gamma-Gamma (--model all, or no --model).';
}

function renderHoldout(holdout: NonNullable<CustomerModelsFit['holdout']>, unit: string, ctx: CommandContext): string[] {
  const model = holdout.model === 'bgnbd' ? 'BG/NBD' : 'Pareto/NBD';
  const rows = [...holdout.byFrequency, holdout.total];
  const table = renderTable(
    ['repeat purchases before', 'customers', 'actual', 'predicted', 'actual per customer', 'predicted per customer'],
    rows.map((row) => [row.label, formatCount(row.customers), row.actual.toFixed(0), row.predicted.toFixed(1), perCustomer(row, 'actual'), perCustomer(row, 'predicted')]),
    ctx,
  );
  const top = Math.max(...holdout.byFrequency.flatMap((row) => [mean(row, 'actual'), mean(row, 'predicted')]), Number.MIN_VALUE);
  const label = Math.max(...holdout.byFrequency.map((row) => row.label.length));
  const chart = holdout.byFrequency.flatMap((row) => [
    `${row.label.padStart(label)} ${ACTUAL_GLYPH} ${bar(mean(row, 'actual'), top, ACTUAL_GLYPH)} ${perCustomer(row, 'actual')}`,
    `${' '.repeat(label)} ${PREDICTED_GLYPH} ${bar(mean(row, 'predicted'), top, PREDICTED_GLYPH)} ${perCustomer(row, 'predicted')}`,
  ]);
  const off = holdout.total.actual === 0 ? 0 : (holdout.total.predicted / holdout.total.actual - 1) * 100;
  const ratio = holdout.total.actual === 0 ? '' : ` (${roundTo(Math.abs(off), 1)}% ${off < 0 ? 'under' : 'over'})`;
  return [
    `Holdout check, ${holdout.from} to ${holdout.to} (${roundTo(holdout.length, 2)} ${unit}): ${model} predicted ${holdout.total.predicted.toFixed(1)} repeat purchases, ${holdout.total.actual.toFixed(0)} were made${ratio}.`,
    table.trimEnd(),
    '',
    `Repeat purchases per customer in the holdout, by repeat purchases before it (${ACTUAL_GLYPH} actual, ${PREDICTED_GLYPH} predicted):`,
    ...chart,
  ];
}

function mean(row: HoldoutRow, which: 'actual' | 'predicted'): number {
  return row.customers === 0 ? 0 : row[which] / row.customers;
}

function perCustomer(row: HoldoutRow, which: 'actual' | 'predicted'): string {
  return row.customers === 0 ? '–' : mean(row, which).toFixed(2);
}

function bar(x: number, top: number, glyph: string): string {
  return glyph.repeat(Math.round((x / top) * BAR_CELLS));
}
