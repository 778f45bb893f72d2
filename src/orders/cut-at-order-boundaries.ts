import type { CsvRecord } from '../csv/tokenize-csv.js';
import { isBlankRow, MAX_GROUP_ROWS } from './normalize-order-batch.js';

/**
 * Re-cuts an orders file's batches so that each ends where an order does:
 * the rows of a batch's last order that may go on in the next batch are held
 * back and put in front of it (for as many batches as the order lasts, up to
 * the MAX_GROUP_ROWS at which an order is split anyway). Every batch then
 * starts and ends on the boundaries of the orders `normalizeOrderBatch`
 * groups, exactly as a single pass over the whole file would. `orderKey` is
 * a row's mapped order id. Does no I/O; never reorders or drops a record.
 */
export async function* cutAtOrderBoundaries(
  batches: AsyncIterable<CsvRecord[]>,
  orderKey: (cells: readonly string[]) => string | null,
): AsyncGenerator<CsvRecord[]> {
  let held: CsvRecord[] = [];
  for await (const batch of batches) {
    const records = held.length === 0 ? batch : held.concat(batch);
    const cut = openOrderStart(records, orderKey);
    held = records.slice(cut);
    if (cut === records.length) yield records;
    else if (cut > 0) yield records.slice(0, cut);
  }
  if (held.length > 0) yield held;
}

/**
 * Where the last order of `records` (which start on an order's first row)
 * starts, if more of its rows may follow; `records.length` if it is complete:
 * its row has no order id, or it has reached MAX_GROUP_ROWS rows.
 */
function openOrderStart(records: readonly CsvRecord[], orderKey: (cells: readonly string[]) => string | null): number {
  let last = records.length - 1;
  while (last >= 0 && isBlankRow(records[last]!.cells)) last -= 1;
  if (last < 0) return records.length;
  const key = orderKey(records[last]!.cells);
  if (key === null) return records.length;
  // The rows of the trailing run of this id, last first; the run is split every MAX_GROUP_ROWS from its first row.
  const run: number[] = [];
  for (let i = last; i >= 0; i--) {
    const cells = records[i]!.cells;
    if (isBlankRow(cells)) continue;
    if (orderKey(cells) !== key) break;
    run.push(i);
  }
  const open = run.length % MAX_GROUP_ROWS;
  return open === 0 ? records.length : run[open - 1]!;
}
