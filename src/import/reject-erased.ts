import type { CustomerRecord } from '../model/customer-record.js';
import type { ImportCounts } from './run-import.js';
import type { RejectsFile } from './rejects-file.js';
import type { SuppressionList } from '../db/suppressions.js';

/**
 * Rejects the rows of a person who was erased (`privacy forget`, `purge`)
 * when `customer` names one: counted as rejected and erased, and written to
 * the rejects file with every cell emptied — the file must not become a copy
 * of what was erased — and the reason "erased on DATE". Returns whether it did.
 */
export function rejectErased(
  suppressions: SuppressionList,
  customer: CustomerRecord,
  rows: readonly { line: number; cells: readonly string[] }[],
  counts: ImportCounts,
  rejects: RejectsFile,
): boolean {
  if (suppressions.size === 0) return false;
  const day = suppressions.erasedOn({ email_norm: customer.values.email_norm, phone_e164: customer.values.phone_e164, externalIds: customer.externalIds });
  if (day === undefined) return false;
  counts.rejected += rows.length;
  counts.erased = (counts.erased ?? 0) + rows.length;
  for (const row of rows) rejects.add(row.line, row.cells.map(() => ''), [`erased on ${day}`]);
  return true;
}
