import type { BgNbdParams } from '../../src/analytics/bg-nbd.js';
import { CustomerPredictor, emptyPrediction, type PredictionOptions } from '../../src/analytics/customer-value.js';
import type { GammaGammaParams } from '../../src/analytics/gamma-gamma.js';
import type { CustomerSummaries } from '../../src/analytics/summarize-purchases.js';

/** Every customer's predictions, in columns in the summaries' row order: what a test compares stored fields with. */
export interface PredictedColumns {
  probabilityAlive: Float64Array;
  expectedPurchases: Float64Array[];
  expectedSpend: Float64Array;
  value: Float64Array[];
}

/** CustomerPredictor run over every customer of `summaries`, its rows gathered into columns. */
export function predictCustomers(summaries: CustomerSummaries, models: { bgnbd: BgNbdParams; gammaGamma: GammaGammaParams }, options: PredictionOptions): PredictedColumns {
  const predictor = new CustomerPredictor(summaries, models, options);
  const n = predictor.customers;
  const columns: PredictedColumns = {
    probabilityAlive: new Float64Array(n),
    expectedPurchases: options.purchaseHorizons.map(() => new Float64Array(n)),
    expectedSpend: new Float64Array(n),
    value: options.values.map(() => new Float64Array(n)),
  };
  const one = emptyPrediction();
  for (let i = 0; i < n; i++) {
    predictor.predict(i, one);
    columns.probabilityAlive[i] = one.probabilityAlive;
    columns.expectedSpend[i] = one.expectedSpend;
    one.expectedPurchases.forEach((expected, h) => (columns.expectedPurchases[h]![i] = expected));
    one.value.forEach((value, v) => (columns.value[v]![i] = value));
  }
  return columns;
}
