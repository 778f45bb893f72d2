/** Frequency, recency and age of each customer, in columns of one length (CustomerSummaries fits this shape). */
export interface RecencyFrequency {
  frequency: ArrayLike<number>;
  recency: ArrayLike<number>;
  age: ArrayLike<number>;
}

/**
 * Customers grouped by identical (x, tₓ, T): the likelihoods loop over groups,
 * weighted by how many customers share them. With purchase days counted in whole
 * days or weeks there are far fewer groups than customers. Each group also points
 * at its x, tₓ and T in the lists of distinct values, so terms that depend on one
 * of them alone are computed once per distinct value.
 */
export interface SummaryGroups {
  customers: number;
  repeatCustomers: number;
  weight: Float64Array;
  frequency: Float64Array;
  recency: Float64Array;
  age: Float64Array;
  frequencyIndex: Uint32Array;
  recencyIndex: Uint32Array;
  ageIndex: Uint32Array;
  distinctFrequencies: Float64Array;
  distinctRecencies: Float64Array;
  distinctAges: Float64Array;
  /** The group of each customer, in input order: per-group predictions map back through it. */
  groupOfCustomer: Uint32Array;
}

/**
 * Groups customers by (x, tₓ, T). Throws RangeError on a row that cannot come from
 * purchases (negative or non-integer x, tₓ outside [0, T], tₓ > 0 with x = 0): a bug upstream.
 */
export function groupSummaries(data: RecencyFrequency): SummaryGroups {
  const n = data.frequency.length;
  if (data.recency.length !== n || data.age.length !== n) throw new RangeError('frequency, recency and age differ in length');
  const frequencies = new DistinctValues();
  const recencies = new DistinctValues();
  const ages = new DistinctValues();
  const customerIndices = [new Uint32Array(n), new Uint32Array(n), new Uint32Array(n)] as const;
  let repeatCustomers = 0;
  for (let i = 0; i < n; i++) {
    const x = data.frequency[i]!;
    const tx = data.recency[i]!;
    const t = data.age[i]!;
    if (!(Number.isInteger(x) && x >= 0 && tx >= 0 && tx <= t && Number.isFinite(t) && (x > 0 || tx === 0))) {
      throw new RangeError(`customer row ${i} is not a purchase summary: x=${x}, t_x=${tx}, T=${t}`);
    }
    if (x > 0) repeatCustomers += 1;
    customerIndices[0][i] = frequencies.indexOf(x);
    customerIndices[1][i] = recencies.indexOf(tx);
    customerIndices[2][i] = ages.indexOf(t);
  }

  // One number per (x, tₓ, T): below 2^53 as long as (distinct x)·(distinct tₓ)·(distinct T) is,
  // which whole days over decades of history keep it far from.
  const recencyCount = recencies.values.length;
  const ageCount = ages.values.length;
  const rowOfGroup = new Map<number, number>();
  const weight: number[] = [];
  const groupIndices: number[][] = [[], [], []];
  const groupOfCustomer = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const xi = customerIndices[0][i]!;
    const ti = customerIndices[1][i]!;
    const ai = customerIndices[2][i]!;
    const key = (xi * recencyCount + ti) * ageCount + ai;
    const group = rowOfGroup.get(key);
    if (group === undefined) {
      groupOfCustomer[i] = weight.length;
      rowOfGroup.set(key, weight.length);
      weight.push(1);
      groupIndices[0]!.push(xi);
      groupIndices[1]!.push(ti);
      groupIndices[2]!.push(ai);
    } else {
      groupOfCustomer[i] = group;
      weight[group]! += 1;
    }
  }

  const distinctFrequencies = Float64Array.from(frequencies.values);
  const distinctRecencies = Float64Array.from(recencies.values);
  const distinctAges = Float64Array.from(ages.values);
  const frequencyIndex = Uint32Array.from(groupIndices[0]!);
  const recencyIndex = Uint32Array.from(groupIndices[1]!);
  const ageIndex = Uint32Array.from(groupIndices[2]!);
  return {
    customers: n,
    repeatCustomers,
    weight: Float64Array.from(weight),
    frequency: Float64Array.from(frequencyIndex, (i) => distinctFrequencies[i]!),
    recency: Float64Array.from(recencyIndex, (i) => distinctRecencies[i]!),
    age: Float64Array.from(ageIndex, (i) => distinctAges[i]!),
    frequencyIndex,
    recencyIndex,
    ageIndex,
    distinctFrequencies,
    distinctRecencies,
    distinctAges,
    groupOfCustomer,
  };
}

/** The customers' mean age T: the time scale the fits start their rate parameters from. */
export function meanAge(groups: SummaryGroups): number {
  let sum = 0;
  for (let g = 0; g < groups.weight.length; g++) sum += groups.age[g]! * groups.weight[g]!;
  return sum / groups.customers;
}

class DistinctValues {
  readonly values: number[] = [];
  private readonly index = new Map<number, number>();

  indexOf(value: number): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.index.set(value, i);
      this.values.push(value);
    }
    return i;
  }
}
