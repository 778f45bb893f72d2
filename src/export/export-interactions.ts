import type { Store } from '../db/store.js';
import type { ExportOptions, ExportResult } from './export-customers.js';
import { chooseColumns, writeExport } from './export-orders.js';

/** Columns of `custdb export interactions`, named so that the file imports back with `custdb import --as interactions`. */
export const INTERACTION_EXPORT_COLUMNS = [
  'interaction_id',
  'source',
  'occurred_at',
  'customer_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'channel',
  'kind',
  'summary',
  'outcome',
  'staff',
] as const;

type InteractionColumn = (typeof INTERACTION_EXPORT_COLUMNS)[number];

interface InteractionRow {
  id: number;
  external_id: string | null;
  source: string | null;
  occurred_at: string;
  customer_id: number;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  channel: string | null;
  kind: string;
  summary: string | null;
  outcome: string | null;
  staff: string | null;
}

/**
 * Streams every interaction, oldest first, as CSV, JSON or NDJSON with the
 * customer's number, email, phone and name. A file is written under a
 * temporary name and renamed when complete.
 */
export async function exportInteractions(store: Store, options: ExportOptions): Promise<ExportResult> {
  const columns = chooseColumns(options.fields, INTERACTION_EXPORT_COLUMNS, 'interactions');
  const rows = store.db
    .selectFrom('interactions as x')
    .innerJoin('customers as c', 'c.id', 'x.customer_id')
    .select([
      'x.id', 'x.external_id', 'x.source', 'x.occurred_at', 'x.customer_id', 'c.email', 'c.phone', 'c.first_name', 'c.last_name',
      'x.channel', 'x.kind', 'x.summary', 'x.outcome', 'x.staff',
    ])
    .orderBy('x.occurred_at')
    .orderBy('x.id')
    .stream(1000) as AsyncIterable<InteractionRow>;
  const cell = (row: InteractionRow, column: InteractionColumn): string | null => {
    if (column === 'interaction_id') return row.external_id ?? String(row.id);
    const value = row[column];
    return value === null ? null : String(value);
  };
  return writeExport(options, columns, async (emit) => {
    let count = 0;
    for await (const row of rows) {
      count += 1;
      if (options.format === 'csv') {
        await emit.csv(columns.map((column) => cell(row, column)));
      } else {
        const object: Record<string, unknown> = {};
        for (const column of columns) object[column] = column === 'customer_id' ? row.customer_id : cell(row, column);
        await emit.object(object);
      }
    }
    return count;
  });
}
