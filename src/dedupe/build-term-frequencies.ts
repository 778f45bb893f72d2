import type { RecordTable } from './build-record-table.js';

/** Per distinct value, the share of records (with a value) that carry it. */
export interface TermFrequencies {
  firstName: Float64Array;
  lastName: Float64Array;
  postalCode: Float64Array;
  city: Float64Array;
}

function shares(counts: Int32Array, total: number): Float64Array {
  const out = new Float64Array(counts.length);
  for (let v = 0; v < counts.length; v++) out[v] = total > 0 ? (counts[v] ?? 0) / total : 0;
  return out;
}

/**
 * Term-frequency tables for first names, surnames, postal codes and cities,
 * built from the records themselves: 'smith' gets a high share, 'zablocki' a
 * tiny one. Never throws.
 */
export function buildTermFrequencies(table: RecordTable): TermFrequencies {
  return {
    firstName: shares(table.firstNameCount, table.nonMissing.firstName),
    lastName: shares(table.lastNameCount, table.nonMissing.lastName),
    postalCode: shares(table.postalCodeCount, table.nonMissing.postalCode),
    city: shares(table.cityCount, table.nonMissing.city),
  };
}
