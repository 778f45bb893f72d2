import { recordEvent } from '../audit/record-event.js';
import { type CustomerPredictionValues, readHistoryState, saveModelFit } from '../db/customer-predictions.js';
import { hasOrdersInOtherCurrencies, readSomeOrderCurrency, streamPurchaseSummaries } from '../db/model-fit-summaries.js';
import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';
import { type BgNbdParams, bgnbdConditionalExpectedPurchases, type CustomerHistory, fitBgNbd } from './bg-nbd.js';
import { CustomerPredictor, emptyPrediction, type ValueHorizon } from './customer-value.js';
import type { FitResult } from './fit-model.js';
import { fitGammaGamma, frequencySpendCorrelation, type GammaGammaParams } from './gamma-gamma.js';
import { groupSummaries } from './group-summaries.js';
import { compareHoldout, type HoldoutComparison } from './holdout-check.js';
import { fitParetoNbd, paretoNbdConditionalExpectedPurchases, type ParetoNbdParams } from './pareto-nbd.js';
import { readMainCurrency, readRfmSettings } from './rfm-settings.js';
import { type CustomerSummaries, DAYS_PER_UNIT, repeatSpendOf, type TimeUnit } from './summarize-purchases.js';

export type CustomerModel = 'bgnbd' | 'pareto' | 'gg';

/** What the prediction fields need: BG/NBD for purchases and activity, Gamma-Gamma for spend. */
export const PREDICTION_MODELS: readonly CustomerModel[] = ['bgnbd', 'gg'];

/** clv's horizon and monthly discount rate unless the caller gives others. */
export const DEFAULT_VALUE_HORIZON: ValueHorizon = { months: 12, monthlyDiscountRate: 0.01 };

/** predicted_value_12m: a year of expected purchases times expected spend, undiscounted. */
const YEAR_VALUE: ValueHorizon = { months: 12, monthlyDiscountRate: 0 };

export interface FitCustomerModelsOptions {
  models: readonly CustomerModel[];
  /** 'YYYY-MM-DD': orders up to the end of this day are read. */
  asOf: string;
  unit: TimeUnit;
  /** 'YYYY-MM-DD': fit on the orders before this day, and check the fit against those from it to `asOf`. Nothing is stored. */
  holdoutFrom?: string | undefined;
  value?: ValueHorizon;
  /** When the fit is recorded as made (default: now). */
  now?: Date;
  /** Who fitted, for the audit log entry of a fit that stores predictions. */
  actor: string;
}

export interface CustomerModelsFit {
  /** The last day of the history the models were fitted on. */
  asOf: string;
  unit: TimeUnit;
  customers: number;
  repeatCustomers: number;
  /** The currency spend and values are in (the shop's main one); undefined when no order has a currency. */
  currency: string | undefined;
  /** Repeat buyers some of whose repeat spend is in other currencies: left out of their average spend. */
  spendLeftOut: number;
  bgnbd?: FitResult<BgNbdParams>;
  pareto?: FitResult<ParetoNbdParams>;
  gammaGamma?: FitResult<GammaGammaParams> & { frequencySpendCorrelation: number };
  /** Present when the predictions were stored (BG/NBD and Gamma-Gamma fitted, no holdout). */
  stored?: { fitId: number; customers: number; value: ValueHorizon };
  /** Present with `holdoutFrom`: predicted against actual repeat purchases in the holdout period. */
  holdout?: HoldoutComparison & { from: string; to: string; model: 'bgnbd' | 'pareto' };
}

const MS_PER_DAY = 86_400_000;

/**
 * Fits the asked models on the customers' order history as of a day, read per
 * customer from the store (grouped in SQL). With BG/NBD and Gamma-Gamma and no
 * holdout, stores the parameters and every customer's predictions in one
 * transaction. Throws ModelFitError (exit 1) when the data cannot give a fit,
 * UsageError for a holdout day outside the history.
 *
 * @example await fitCustomerModels(store, { models: ['bgnbd', 'gg'], asOf: '1997-09-30', unit: 'weeks' })
 */
export async function fitCustomerModels(store: Store, options: FitCustomerModelsOptions): Promise<CustomerModelsFit> {
  const asOfDay = dayNumber(options.asOf);
  const holdout = options.holdoutFrom === undefined ? undefined : dayNumber(options.holdoutFrom);
  if (holdout !== undefined && holdout > asOfDay) {
    throw new UsageError(`--holdout-from ${options.holdoutFrom} is after --as-of ${options.asOf}: the holdout period would be empty.`, {
      hint: 'Give a holdout day on or before the as-of day, e.g. --holdout-from 1997-10-01 --as-of 1998-06-30.',
    });
  }
  if (holdout !== undefined && !options.models.includes('bgnbd') && !options.models.includes('pareto')) {
    throw new UsageError('--holdout-from checks predicted purchases, which need --model bgnbd, pareto or all.', { hint: 'Add --model all.' });
  }
  const cutDay = holdout ?? asOfDay + 1;
  const state = await readHistoryState(store.db);
  const { currency, spendCurrency } = await chooseSpendCurrency(store);
  const read = await readSummaries(store, { cutDay, endDay: asOfDay + 1, unit: options.unit, spendCurrency });
  const { summaries, laterOccasions } = read;

  const fit: CustomerModelsFit = {
    asOf: summaries.asOf,
    unit: options.unit,
    customers: summaries.customerIds.length,
    repeatCustomers: read.repeatCustomers,
    currency,
    spendLeftOut: read.spendLeftOut,
  };
  const groups = groupSummaries(summaries);
  if (options.models.includes('bgnbd')) fit.bgnbd = fitBgNbd(groups);
  if (options.models.includes('pareto')) fit.pareto = fitParetoNbd(summaries);
  if (options.models.includes('gg')) {
    const spend = repeatSpendOf(summaries);
    fit.gammaGamma = { ...fitGammaGamma(spend), frequencySpendCorrelation: frequencySpendCorrelation(spend) };
  }

  if (holdout !== undefined) {
    const length = (asOfDay + 1 - holdout) / DAYS_PER_UNIT[options.unit];
    const bgnbd = fit.bgnbd?.params;
    const pareto = fit.pareto?.params;
    // BG/NBD when both were fitted: it is the model the stored predictions come from.
    const expectedBy = (history: CustomerHistory, t: number): number =>
      bgnbd !== undefined ? bgnbdConditionalExpectedPurchases(bgnbd, history, t) : paretoNbdConditionalExpectedPurchases(pareto!, history, t);
    fit.holdout = { ...compareHoldout(summaries, laterOccasions, length, expectedBy), from: options.holdoutFrom!, to: options.asOf, model: bgnbd !== undefined ? 'bgnbd' : 'pareto' };
    return fit;
  }
  if (fit.bgnbd === undefined || fit.gammaGamma === undefined) return fit;

  const value = options.value ?? DEFAULT_VALUE_HORIZON;
  const perUnit = DAYS_PER_UNIT[options.unit];
  const predictor = new CustomerPredictor(
    summaries,
    { bgnbd: fit.bgnbd.params, gammaGamma: fit.gammaGamma.params },
    { purchaseHorizons: [90 / perUnit, 365 / perUnit], values: [YEAR_VALUE, value], groups },
  );
  const described = {
    bgnbd: describeFit(fit.bgnbd),
    gg: { ...describeFit(fit.gammaGamma), frequency_spend_correlation: fit.gammaGamma.frequencySpendCorrelation },
    ...(fit.pareto === undefined ? {} : { pareto: describeFit(fit.pareto) }),
  };
  const customers = summaries.customerIds.length;
  const fitId = await store.bulkTransaction(async (db, bulk) => {
    const id = await saveModelFit(
      db,
      bulk,
      {
        fitted_at: (options.now ?? new Date()).toISOString(),
        as_of: summaries.asOf,
        time_unit: options.unit,
        horizon_months: value.months,
        monthly_discount_rate: value.monthlyDiscountRate,
        models_json: JSON.stringify(described),
      },
      state,
      predictionValues(summaries.customerIds, predictor),
    );
    await recordEvent(db, {
      actor: options.actor,
      command: 'analytics fit',
      summary: `fit ${id}: ${Object.keys(described).join(', ')} on ${customers} customers' orders up to ${summaries.asOf}; their predictions stored`,
      details: { fit_id: id, as_of: summaries.asOf, unit: options.unit, customers, models: Object.keys(described) },
    });
    return id;
  });
  fit.stored = { fitId, customers, value };
  return fit;
}

/** Each customer's stored fields, one object refilled as they are written. */
function* predictionValues(customerIds: Float64Array, predictor: CustomerPredictor): Generator<CustomerPredictionValues> {
  const prediction = emptyPrediction();
  const values: CustomerPredictionValues = { customer_id: 0, p_active: 0, expected_orders_90d: 0, expected_orders_365d: 0, predicted_value_12m: 0, clv: 0 };
  for (let i = 0; i < predictor.customers; i++) {
    predictor.predict(i, prediction);
    values.customer_id = customerIds[i]!;
    values.p_active = prediction.probabilityAlive;
    // In the order of the predictor's horizons: 90 and 365 days; a year undiscounted, then the asked value.
    values.expected_orders_90d = prediction.expectedPurchases[0]!;
    values.expected_orders_365d = prediction.expectedPurchases[1]!;
    values.predicted_value_12m = prediction.value[0]!;
    values.clv = prediction.value[1]!;
    yield values;
  }
}

function describeFit<P>(fit: FitResult<P>): { params: P; log_likelihood: number; customers: number } {
  return { params: fit.params, log_likelihood: fit.logLikelihood, customers: fit.customers };
}

/**
 * The currency spend is averaged and values given in: the shop's main one (readMainCurrency).
 * `spendCurrency` is set when some counted order is in another, which the summaries must then
 * leave out; a shop with one currency (most) is told so by two look-ups, without ranking
 * currencies over every customer.
 */
async function chooseSpendCurrency(store: Store): Promise<{ currency: string | undefined; spendCurrency: string | undefined }> {
  const setting = (await readRfmSettings(store)).mainCurrency;
  const candidate = setting ?? (await readSomeOrderCurrency(store));
  if (candidate !== undefined && !(await hasOrdersInOtherCurrencies(store, candidate))) return { currency: candidate, spendCurrency: undefined };
  const currency = await readMainCurrency(store);
  return { currency, spendCurrency: currency };
}

/**
 * The customers' summaries (occasions before `cutDay`, T up to the day before it),
 * and each one's occasions from `cutDay` to `endDay` (exclusive), in customer id order.
 * With `spendCurrency`, repeat spend in other currencies is left out of `monetary`.
 */
async function readSummaries(
  store: Store,
  range: { cutDay: number; endDay: number; unit: TimeUnit; spendCurrency: string | undefined },
): Promise<{ summaries: CustomerSummaries; laterOccasions: Float64Array; repeatCustomers: number; spendLeftOut: number }> {
  const perUnit = DAYS_PER_UNIT[range.unit];
  const lastCalibrationDay = range.cutDay - 1;
  const columns = new GrowingColumns(['ids', 'frequency', 'recency', 'age', 'monetary', 'spendFrequency', 'later']);
  let repeatCustomers = 0;
  let spendLeftOut = 0;
  for await (const row of streamPurchaseSummaries(store, { cutDay: dayText(range.cutDay), endDay: dayText(range.endDay), spendCurrency: range.spendCurrency })) {
    const x = row.occasions - 1;
    const withSpend = row.spend_occasions ?? x;
    if (x > 0) repeatCustomers += 1;
    spendLeftOut += row.spend_elsewhere;
    const i = columns.add();
    const { ids, frequency, recency, age, monetary, spendFrequency, later } = columns.arrays;
    ids[i] = row.customer_id;
    frequency[i] = x;
    recency[i] = (row.last_day - row.first_day) / perUnit;
    age[i] = (lastCalibrationDay - row.first_day) / perUnit;
    // Money in major units, so that Gamma-Gamma's v and the values read as amounts.
    monetary[i] = withSpend > 0 ? row.repeat_minor / 100 / withSpend : 0;
    spendFrequency[i] = withSpend;
    later[i] = row.later_occasions;
  }
  const { ids, frequency, recency, age, monetary, spendFrequency, later } = columns.take();
  return {
    summaries: {
      unit: range.unit,
      asOf: dayText(lastCalibrationDay),
      customerIds: ids,
      frequency,
      recency,
      age,
      monetary,
      ...(range.spendCurrency === undefined ? {} : { spendFrequency }),
    },
    laterOccasions: later,
    repeatCustomers,
    spendLeftOut,
  };
}

/** Named typed columns grown by doubling: a million customers never sit in arrays of boxed numbers. */
class GrowingColumns<K extends string> {
  /** The columns, to write row `add()` into; replaced when they grow, so read again after each `add`. */
  arrays: Record<K, Float64Array>;
  private capacity = 1024;
  private length = 0;

  constructor(private readonly names: readonly K[]) {
    this.arrays = this.allocate(this.capacity);
  }

  /** Makes room for one more row and returns its index. */
  add(): number {
    if (this.length === this.capacity) {
      const grown = this.allocate((this.capacity *= 2));
      for (const name of this.names) grown[name].set(this.arrays[name]);
      this.arrays = grown;
    }
    return this.length++;
  }

  /** The columns cut to the rows added. */
  take(): Record<K, Float64Array> {
    return Object.fromEntries(this.names.map((name) => [name, this.arrays[name].subarray(0, this.length)])) as Record<K, Float64Array>;
  }

  private allocate(capacity: number): Record<K, Float64Array> {
    return Object.fromEntries(this.names.map((name) => [name, new Float64Array(capacity)])) as Record<K, Float64Array>;
  }
}

function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00.000Z`) / MS_PER_DAY);
}

function dayText(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
