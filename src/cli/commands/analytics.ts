import { Option, type Command } from 'commander';
import { DEFAULT_VALUE_HORIZON, fitCustomerModels, PREDICTION_MODELS, type CustomerModel } from '../../analytics/fit-customer-models.js';
import type { TimeUnit } from '../../analytics/summarize-purchases.js';
import { UsageError } from '../../errors.js';
import { readAsOf } from '../../query/read-as-of.js';
import { withStore } from '../command-helpers.js';
import type { RunAction } from '../program.js';
import { describeStoredPredictions, renderModelFit } from '../render/analytics-fit.js';
import { writeJson, writeNote, writeResult } from '../render/output.js';

interface FitFlags {
  model?: 'bgnbd' | 'pareto' | 'gg' | 'all';
  asOf?: string;
  unit: TimeUnit;
  holdoutFrom?: string;
  horizon?: string;
  discountRate?: string;
}

const ALL_MODELS: readonly CustomerModel[] = ['bgnbd', 'pareto', 'gg'];

export function registerAnalytics(program: Command, run: RunAction): void {
  const analytics = program
    .command('analytics')
    .description("Customer-value models fitted on the shop's own orders: who is still a customer, and what they will be worth.")
    .addHelpText(
      'after',
      `
Examples:
  $ custdb analytics fit
  $ custdb analytics fit --model all --holdout-from 2026-06-01`,
    );
  analytics
    .command('fit')
    .description(
      'Fit BG/NBD, Pareto/NBD and Gamma-Gamma on the order history, print their parameters, and store every customer\'s predictions ' +
        '(p_active, expected_orders_90d, expected_orders_365d, predicted_value_12m, clv) for query, segments and export.',
    )
    .addOption(new Option('--model <model>', 'which model to fit (default: bgnbd and gg, what the prediction fields need)').choices(['bgnbd', 'pareto', 'gg', 'all']))
    .option('--as-of <date>', 'fit on the orders up to the end of this day (YYYY-MM-DD; default today)')
    .addOption(new Option('--unit <unit>', 'time unit of recency, age and the rate parameters').choices(['days', 'weeks']).default('weeks'))
    .option('--holdout-from <date>', 'fit on the orders before this day and compare predicted with actual repeat purchases from it to --as-of (stores nothing)')
    .option('--horizon <months>', `clv's horizon in months (default ${DEFAULT_VALUE_HORIZON.months})`)
    .option('--discount-rate <rate>', `clv's monthly discount rate, e.g. 0.01 or 1% (default ${DEFAULT_VALUE_HORIZON.monthlyDiscountRate * 100}%)`)
    .addHelpText(
      'after',
      `
Examples:
  $ custdb analytics fit
  $ custdb analytics fit --model all --as-of 1997-09-30
  $ custdb analytics fit --model all --holdout-from 1997-10-01 --as-of 1998-06-30
  $ custdb analytics fit --horizon 36 --discount-rate 0.5%
  $ custdb query --where 'p_active < 0.3 and total_spent > 200' --fields email,p_active,clv --sort clv:desc

Purchases on one day are one occasion; refunded, cancelled, voided and failed orders do not count. Fitting
needs at least 100 repeat buyers: too thin a history, or a fit that does not converge, exits 1 with what to do.`,
    )
    .action((flags: FitFlags) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const asOf = readAsOf(flags.asOf);
          const holdoutFrom = flags.holdoutFrom === undefined ? undefined : readDay('--holdout-from', flags.holdoutFrom);
          const models = flags.model === undefined ? PREDICTION_MODELS : flags.model === 'all' ? ALL_MODELS : [flags.model];
          const value = {
            months: flags.horizon === undefined ? DEFAULT_VALUE_HORIZON.months : readMonths(flags.horizon),
            monthlyDiscountRate: flags.discountRate === undefined ? DEFAULT_VALUE_HORIZON.monthlyDiscountRate : readRate(flags.discountRate),
          };
          const fit = await fitCustomerModels(store, { models, asOf, unit: flags.unit, holdoutFrom, value, actor: ctx.actor });
          if (ctx.json) writeJson(ctx, fit);
          else writeResult(ctx, renderModelFit(fit, ctx));
          writeNote(ctx, describeStoredPredictions(fit));
          return 0;
        }),
      ),
    );
}

function readDay(flag: string, typed: string): string {
  try {
    return readAsOf(typed);
  } catch {
    throw new UsageError(`${flag} ${typed}: not a date.`, { hint: `Write the day as YYYY-MM-DD, e.g. ${flag} 1997-10-01.` });
  }
}

function readMonths(typed: string): number {
  const months = Number(typed.trim());
  if (!Number.isInteger(months) || months < 1 || months > 1200) {
    throw new UsageError(`--horizon ${typed}: not a whole number of months from 1 to 1200.`, { hint: 'Example: --horizon 36 for three years.' });
  }
  return months;
}

function readRate(typed: string): number {
  const text = typed.trim();
  const percent = text.endsWith('%');
  const rate = Number(percent ? text.slice(0, -1) : text) / (percent ? 100 : 1);
  if (text === '' || text === '%' || !Number.isFinite(rate) || rate < 0 || rate >= 1) {
    throw new UsageError(`--discount-rate ${typed}: not a monthly rate from 0 to under 1 (or 0% to under 100%).`, { hint: 'Example: --discount-rate 0.01, or 1%.' });
  }
  return rate;
}
