import type { CsvRecord } from '../csv/tokenize-csv.js';
import { mapRow } from '../mapping/map-row.js';
import { nulCellReason } from '../normalize/clean-cell.js';
import type { Mapping } from '../mapping/mapping-schema.js';
import { normalizeCustomerRow, type NormalizedRow, type RowContext } from './normalize-customer-row.js';

/** One CSV record after mapping and standardisation; `null` for a row of empty cells (a blank line). */
export type NormalizedRecord = NormalizedRow | null;

/**
 * Maps and standardises a batch of CSV records, in order. Pure, so it runs
 * the same in a worker thread or inline.
 */
export function normalizeRecords(mapping: Mapping, context: RowContext, records: readonly CsvRecord[]): NormalizedRecord[] {
  return normalizeCells(
    mapping,
    context,
    records.map((record) => record.cells),
  );
}

/** The same, from the rows' cells alone. */
export function normalizeCells(mapping: Mapping, context: RowContext, rows: readonly (readonly string[])[]): NormalizedRecord[] {
  // Spreadsheets leave rows of empty cells (",,,,") below the data: blank lines, not rows.
  return rows.map((cells) => {
    if (cells.every((cell) => cell.trim() === '')) return null;
    const nul = nulCellReason(cells);
    return nul === null ? normalizeCustomerRow(mapRow(mapping, cells), context) : { ok: false, reasons: [nul], warnings: [] };
  });
}
