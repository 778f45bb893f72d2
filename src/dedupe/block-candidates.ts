import type { RecordTable } from './build-record-table.js';

/**
 * A blocking key: records with the same key number become candidate pairs.
 * `keyOf` returns -1 when the record lacks what the key needs.
 */
export interface BlockingKey {
  name: string;
  keyOf: (table: RecordTable, row: number) => number;
}

function initialOf(table: RecordTable, nameId: number): number {
  if (nameId < 0) return 0;
  const c = (table.names.values[nameId] ?? '').charCodeAt(0) - 96;
  return c >= 1 && c <= 26 ? c : 0;
}

/** Default keys: each catches duplicates the others miss (typos in one field, swapped names, a changed email). */
export const DEFAULT_BLOCKING_KEYS: readonly BlockingKey[] = [
  { name: 'email', keyOf: (t, r) => t.email[r] ?? -1 },
  { name: 'phone', keyOf: (t, r) => t.phone[r] ?? -1 },
  {
    name: 'surname sound + first initial',
    keyOf: (t, r) => {
      const last = t.lastName[r] ?? -1;
      const code = last < 0 ? -1 : (t.namePhonetic[last] ?? -1);
      return code < 0 ? -1 : code * 27 + initialOf(t, t.firstName[r] ?? -1);
    },
  },
  {
    name: 'first name sound + postal code',
    keyOf: (t, r) => {
      const first = t.firstName[r] ?? -1;
      const code = first < 0 ? -1 : (t.namePhonetic[first] ?? -1);
      const p = t.postalCode[r] ?? -1;
      return code < 0 || p < 0 ? -1 : code * (t.postalCodes.values.length + 1) + p;
    },
  },
  {
    name: 'both name sounds in either order',
    keyOf: (t, r) => {
      const first = t.firstName[r] ?? -1;
      const last = t.lastName[r] ?? -1;
      if (first < 0 || last < 0) return -1;
      const a = t.namePhonetic[first] ?? -1;
      const b = t.namePhonetic[last] ?? -1;
      if (a < 0 || b < 0) return -1;
      const size = t.phonetics.values.length + 1;
      return Math.min(a, b) * size + Math.max(a, b);
    },
  },
  {
    name: 'postal code + birth date',
    keyOf: (t, r) => {
      const p = t.postalCode[r] ?? -1;
      const d = t.birthDate[r] ?? -1;
      return p < 0 || d < 0 ? -1 : p * (t.birthDates.values.length + 1) + d;
    },
  },
  {
    name: 'birth date + first initial',
    keyOf: (t, r) => {
      const d = t.birthDate[r] ?? -1;
      const f = initialOf(t, t.firstName[r] ?? -1);
      return d < 0 || f === 0 ? -1 : d * 27 + f;
    },
  },
  {
    name: 'birth date + surname initial',
    keyOf: (t, r) => {
      const d = t.birthDate[r] ?? -1;
      const l = initialOf(t, t.lastName[r] ?? -1);
      return d < 0 || l === 0 ? -1 : d * 27 + l;
    },
  },
  {
    name: 'birth date + city',
    keyOf: (t, r) => {
      const d = t.birthDate[r] ?? -1;
      const c = t.city[r] ?? -1;
      return d < 0 || c < 0 ? -1 : d * (t.cities.values.length + 1) + c;
    },
  },
  {
    name: 'email local part',
    keyOf: (t, r) => {
      const e = t.email[r] ?? -1;
      return e < 0 ? -1 : (t.emailLocalId[e] ?? -1);
    },
  },
  {
    name: 'address + postal code',
    keyOf: (t, r) => {
      const a = t.address[r] ?? -1;
      const p = t.postalCode[r] ?? -1;
      return a < 0 ? -1 : a * (t.postalCodes.values.length + 1) + (p + 1);
    },
  },
];

export interface BlockingOptions {
  /** Blocks larger than this are not compared all-against-all (default 100). */
  maxBlockSize?: number;
  /** Inside an oversized block, each record is compared with this many neighbours in name order (default 8). */
  window?: number;
}

/** Candidate pairs as two parallel arrays of row numbers, left < right, each pair once. */
export interface CandidatePairs {
  readonly left: Uint32Array;
  readonly right: Uint32Array;
  readonly count: number;
  /** Per key: how many pairs it proposed (before removing pairs shared with other keys) and how many blocks were oversized. */
  readonly perKey: readonly { name: string; pairs: number; oversizedBlocks: number }[];
}

class PairBuffer {
  data = new Float64Array(1 << 16);
  length = 0;
  constructor(private readonly n: number) {}
  push(i: number, j: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = i < j ? i * this.n + j : j * this.n + i;
  }
}

/**
 * Candidate pairs of rows that share at least one blocking key. A pair that
 * shares several keys is returned once. Blocks bigger than `maxBlockSize`
 * (e.g. a very common surname) are sub-blocked: their records are sorted by
 * (first name, last name, birth date) and each is paired only with the next
 * `window` records, so the work stays near-linear. Never throws.
 */
export function blockCandidates(
  table: RecordTable,
  keys: readonly BlockingKey[] = DEFAULT_BLOCKING_KEYS,
  options: BlockingOptions = {},
): CandidatePairs {
  const n = table.size;
  const maxBlock = options.maxBlockSize ?? 100;
  const window = options.window ?? 8;
  const buffer = new PairBuffer(n);
  const perKey: { name: string; pairs: number; oversizedBlocks: number }[] = [];
  const blockOf = new Int32Array(n);
  for (const key of keys) {
    const before = buffer.length;
    let oversized = 0;
    // Number the distinct key values densely, then counting-sort rows by block.
    const dense = new Map<number, number>();
    for (let r = 0; r < n; r++) {
      const k = key.keyOf(table, r);
      if (k < 0) {
        blockOf[r] = -1;
        continue;
      }
      let b = dense.get(k);
      if (b === undefined) {
        b = dense.size;
        dense.set(k, b);
      }
      blockOf[r] = b;
    }
    const blocks = dense.size;
    const start = new Int32Array(blocks + 1);
    for (let r = 0; r < n; r++) {
      const b = blockOf[r] ?? -1;
      if (b >= 0) start[b + 1] = (start[b + 1] ?? 0) + 1;
    }
    for (let b = 0; b < blocks; b++) start[b + 1] = (start[b + 1] ?? 0) + (start[b] ?? 0);
    const fill = start.slice(0, blocks);
    const rows = new Int32Array(start[blocks] ?? 0);
    for (let r = 0; r < n; r++) {
      const b = blockOf[r] ?? -1;
      if (b < 0) continue;
      const at = fill[b] ?? 0;
      rows[at] = r;
      fill[b] = at + 1;
    }
    for (let b = 0; b < blocks; b++) {
      const s = start[b] ?? 0;
      const e = start[b + 1] ?? 0;
      const size = e - s;
      if (size < 2) continue;
      if (size <= maxBlock) {
        for (let p = s; p < e; p++) {
          const i = rows[p] ?? 0;
          for (let q = p + 1; q < e; q++) buffer.push(i, rows[q] ?? 0);
        }
        continue;
      }
      oversized++;
      const members = Array.from(rows.subarray(s, e)).sort((x, y) => sortKey(table, x) - sortKey(table, y));
      for (let p = 0; p < members.length; p++) {
        const i = members[p] ?? 0;
        const last = Math.min(members.length, p + 1 + window);
        for (let q = p + 1; q < last; q++) buffer.push(i, members[q] ?? 0);
      }
    }
    perKey.push({ name: key.name, pairs: buffer.length - before, oversizedBlocks: oversized });
  }
  const packed = buffer.data.subarray(0, buffer.length).sort();
  let unique = 0;
  for (let p = 0; p < packed.length; p++) {
    if (p === 0 || packed[p] !== packed[p - 1]) packed[unique++] = packed[p] ?? 0;
  }
  const left = new Uint32Array(unique);
  const right = new Uint32Array(unique);
  for (let p = 0; p < unique; p++) {
    const v = packed[p] ?? 0;
    const i = Math.floor(v / n);
    left[p] = i;
    right[p] = v - i * n;
  }
  return { left, right, count: unique, perKey };
}

function sortKey(t: RecordTable, r: number): number {
  const f = t.firstName[r] ?? -1;
  const l = t.lastName[r] ?? -1;
  const d = t.birthDate[r] ?? -1;
  const names = t.names.values.length + 1;
  const fr = f < 0 ? 0 : (t.nameRank[f] ?? 0) + 1;
  const lr = l < 0 ? 0 : (t.nameRank[l] ?? 0) + 1;
  // Dates are ranked by pool order, which is only a tie-breaker here.
  return (fr * names + lr) * 64 + ((d + 1) % 64);
}
