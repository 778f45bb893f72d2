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
  // which whole days over decades of history keep it far from. Groups are the distinct keys, found by
  // sorting them: typed arrays throughout, where a Map of a million keys was most of a large fit's peak memory.
  const recencyCount = recencies.values.length;
  const ageCount = ages.values.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (customerIndices[0][i]! * recencyCount + customerIndices[1][i]!) * ageCount + customerIndices[2][i]!;
  const sorted = keys.slice().sort();
  let groupCount = 0;
  for (let k = 0; k < n; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[groupCount++] = sorted[k]!;
  const groupKeys = sorted.subarray(0, groupCount);
  const weightOfGroup = new Float64Array(groupCount);
  const groupOfCustomer = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const group = findKey(groupKeys, keys[i]!);
    groupOfCustomer[i] = group;
    weightOfGroup[group]! += 1;
  }
  const frequencyIndex = new Uint32Array(groupCount);
  const recencyIndex = new Uint32Array(groupCount);
  const ageIndex = new Uint32Array(groupCount);
  for (let g = 0; g < groupCount; g++) {
    const key = groupKeys[g]!;
    ageIndex[g] = key % ageCount;
    const rest = (key - ageIndex[g]!) / ageCount;
    recencyIndex[g] = rest % recencyCount;
    frequencyIndex[g] = (rest - recencyIndex[g]!) / recencyCount;
  }

  const distinctFrequencies = Float64Array.from(frequencies.values);
  const distinctRecencies = Float64Array.from(recencies.values);
  const distinctAges = Float64Array.from(ages.values);
  return {
    customers: n,
    repeatCustomers,
    weight: weightOfGroup,
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

/** The index of `key` in ascending `keys`, which holds it. */
function findKey(keys: Float64Array, key: number): number {
  let low = 0;
  let high = keys.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! < key) low = middle + 1;
    else high = middle;
  }
  return low;
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
