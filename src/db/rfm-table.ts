/**
 * RFM segment names by recency (rows, R = 1…5) and frequency (columns, F = 1…5):
 * `table[r - 1][f - 1]`. Replaceable by the user (setting `rfm-table`, parsed by
 * src/analytics/rfm-table-file.ts); the query binds the names as values.
 */
export type RfmTable = readonly (readonly string[])[];

const HIBERNATING_OR_AT_RISK = ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose Them"];

/** The usual R × F grid (issue #14): R 1 and 2 share a row. */
export const DEFAULT_RFM_TABLE: RfmTable = [
  HIBERNATING_OR_AT_RISK,
  HIBERNATING_OR_AT_RISK,
  ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal Customers', 'Loyal Customers'],
  ['Promising', 'Potential Loyalists', 'Potential Loyalists', 'Loyal Customers', 'Loyal Customers'],
  ['New Customers', 'Potential Loyalists', 'Potential Loyalists', 'Champions', 'Champions'],
];
