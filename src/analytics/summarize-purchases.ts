/** The time unit every model quantity (recency, age, α, β, horizons) is measured in. */
export type TimeUnit = 'days' | 'weeks';

export const DAYS_PER_UNIT: Readonly<Record<TimeUnit, number>> = { days: 1, weeks: 7 };

export interface Purchase {
  customerId: number;
  /** `YYYY-MM-DD`, or an ISO timestamp whose date part is the purchase day. */
  date: string;
  amount: number;
}

/**
 * One row per customer, in columns (a million customers are a few typed arrays,
 * not a million objects). Row i of every column is customer `customerIds[i]`.
 */
export interface CustomerSummaries {
  unit: TimeUnit;
  /** `YYYY-MM-DD`: the day the history is cut at (purchases after it are ignored). */
  asOf: string;
  customerIds: Float64Array;
  /** x: repeat purchase occasions (distinct purchase days − 1). */
  frequency: Float64Array;
  /** tₓ: last − first purchase day, in the unit. */
  recency: Float64Array;
  /** T: as-of − first purchase day, in the unit. */
  age: Float64Array;
  /** Mean amount of the repeat occasions (the first excluded) whose spend counts; 0 when there are none. */
  monetary: Float64Array;
  /**
   * How many repeat occasions `monetary` averages, when not all x: spend in currencies other than
   * the shop's main one is left out (a customer may then have x repeat occasions but fewer with spend).
   */
  spendFrequency?: Float64Array;
}

/** The repeat spend Gamma-Gamma is fitted on and predicts from: `monetary`, and how many occasions it averages. */
export function repeatSpendOf(summaries: CustomerSummaries): { frequency: Float64Array; monetary: Float64Array } {
  return { frequency: summaries.spendFrequency ?? summaries.frequency, monetary: summaries.monetary };
}

const MS_PER_DAY = 86_400_000;
// Day offsets are packed beside the customer's row in one sortable number: 2^17 days is 358 years.
const DAY_SLOTS = 2 ** 17;

/**
 * Per-customer frequency, recency, age and repeat spend as of a day, from purchase
 * records in any order: purchases on the same day are one occasion (amounts summed),
 * purchases after `asOf` are ignored, and customers who first bought after it are left out.
 * Customers come out in the order of their first record. Throws RangeError on a date that is not a date.
 *
 * @example summarizePurchases(purchases, { asOf: '1997-09-30', unit: 'weeks' })
 */
export function summarizePurchases(purchases: Iterable<Purchase>, options: { asOf: string; unit: TimeUnit }): CustomerSummaries {
  const asOfDay = dayNumber(options.asOf);
  const rowOf = new Map<number, number>();
  const ids: number[] = [];
  const firstDay: number[] = [];
  const firstDayAmount: number[] = [];
  const totalAmount: number[] = [];
  let earliest = Number.POSITIVE_INFINITY;
  const days: number[] = [];
  const rows: number[] = [];

  for (const purchase of purchases) {
    const day = dayNumber(purchase.date);
    if (day > asOfDay) continue;
    let row = rowOf.get(purchase.customerId);
    if (row === undefined) {
      row = ids.length;
      rowOf.set(purchase.customerId, row);
      ids.push(purchase.customerId);
      firstDay.push(day);
      firstDayAmount.push(0);
      totalAmount.push(0);
    }
    totalAmount[row]! += purchase.amount;
    if (day < firstDay[row]!) {
      firstDay[row] = day;
      firstDayAmount[row] = purchase.amount;
    } else if (day === firstDay[row]) {
      firstDayAmount[row]! += purchase.amount;
    }
    earliest = Math.min(earliest, day);
    days.push(day);
    rows.push(row);
  }
  if (asOfDay - earliest >= DAY_SLOTS) throw new RangeError(`purchase history longer than ${DAY_SLOTS} days`);

  // Distinct (customer, day) pairs: sort the packed keys and count changes.
  const sorted = new Float64Array(days.length);
  for (let i = 0; i < days.length; i++) sorted[i] = rows[i]! * DAY_SLOTS + (days[i]! - earliest);
  sorted.sort();
  const occasions = new Float64Array(ids.length);
  const lastDay = new Float64Array(ids.length);
  for (let i = 0; i < sorted.length; i++) {
    const key = sorted[i]!;
    if (i > 0 && key === sorted[i - 1]) continue;
    const row = Math.floor(key / DAY_SLOTS);
    occasions[row]! += 1;
    lastDay[row] = earliest + (key - row * DAY_SLOTS);
  }

  const perUnit = DAYS_PER_UNIT[options.unit];
  const n = ids.length;
  const summaries: CustomerSummaries = {
    unit: options.unit,
    asOf: options.asOf.slice(0, 10),
    customerIds: Float64Array.from(ids),
    frequency: new Float64Array(n),
    recency: new Float64Array(n),
    age: new Float64Array(n),
    monetary: new Float64Array(n),
  };
  for (let row = 0; row < n; row++) {
    const x = occasions[row]! - 1;
    summaries.frequency[row] = x;
    summaries.recency[row] = (lastDay[row]! - firstDay[row]!) / perUnit;
    summaries.age[row] = (asOfDay - firstDay[row]!) / perUnit;
    summaries.monetary[row] = x > 0 ? (totalAmount[row]! - firstDayAmount[row]!) / x : 0;
  }
  return summaries;
}

/** Days since 1970-01-01 of the date part of `YYYY-MM-DD…`. */
function dayNumber(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  const ms = match === null ? Number.NaN : Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${JSON.stringify(date)}`);
  return Math.round(ms / MS_PER_DAY);
}
