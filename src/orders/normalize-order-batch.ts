import type { OrderField } from '../model/order-fields.js';
import { nulCellReason } from '../normalize/clean-cell.js';
import { normalizeOrder, type OrderContext, type OrderNormalization, type OrderRow } from './normalize-order.js';

/** An order's rows beyond this many are written in parts (memory stays bounded even if every row shares one id). */
export const MAX_GROUP_ROWS = 5_000;

/** One order read from a batch: how many of its rows it took, and the order standardised (or why not). */
export interface OrderGroup {
  /** The batch's next `rows` rows that are not blank, in file order. */
  rows: number;
  /** False for a row without an order id: an order on its own. */
  keyed: boolean;
  normalization: OrderNormalization;
}

/** Spreadsheets leave rows of empty cells (",,,,") below the data: blank lines, not rows. */
export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}

/**
 * Maps a batch of an orders file's records, groups consecutive rows with the
 * same order id (at most MAX_GROUP_ROWS; a row without an id is an order on
 * its own; blank rows are skipped), and standardises each group, yielding the
 * orders one by one in file order. Groups never reach across batches, so a
 * batch should end where an order does (see `cutAtOrderBoundaries`). Pure,
 * so it runs the same on a worker thread.
 */
export function* normalizeOrderBatch(
  records: Iterable<{ line: number; cells: readonly string[] }>,
  readRow: (cells: readonly string[]) => Partial<Record<OrderField, string>>,
  context: OrderContext,
): Generator<OrderGroup, void, undefined> {
  let rows: OrderRow[] = [];
  let key: string | null = null;
  // An order with a damaged row is rejected whole, as one with a row missing its date would be.
  let nul: string | null = null;
  const group = (): OrderGroup => ({
    rows: rows.length,
    keyed: key !== null,
    normalization: nul === null ? normalizeOrder(rows, context) : { ok: false, reasons: [nul], warnings: [] },
  });
  for (const record of records) {
    if (isBlankRow(record.cells)) continue;
    const fields = readRow(record.cells);
    const rowKey = fields.order_id ?? null;
    const rowNul = nulCellReason(record.cells);
    if (rows.length > 0 && rowKey !== null && rowKey === key && rows.length < MAX_GROUP_ROWS) {
      rows.push({ line: record.line, fields });
      nul ??= rowNul === null ? null : `line ${record.line}: ${rowNul}`;
      continue;
    }
    if (rows.length > 0) yield group();
    key = rowKey;
    rows = [{ line: record.line, fields }];
    nul = rowNul === null ? null : `line ${record.line}: ${rowNul}`;
  }
  if (rows.length > 0) yield group();
}
