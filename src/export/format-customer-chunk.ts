import { formatCsvLine } from '../csv/format-csv-line.js';
import { rowsOfChunk, valueIndex, type CustomerChunk, type CustomerExportRow } from '../db/customer-snapshot.js';
import type { CustomerValues } from '../model/customer-record.js';
import { formatMinor } from './format-money.js';

export type ExportFormat = 'csv' | 'json' | 'ndjson';

/** What an export writes: its columns, format, and whether formula-like CSV cells are neutralised. */
export interface ExportLayout {
  columns: readonly string[];
  format: ExportFormat;
  neutralize: boolean;
}

export interface FormattedChunk {
  text: string;
  rows: number;
  /** Customers to re-read value by value (`rereadCustomers`) before the chunk can be formatted; none as a rule. */
  unsplittable: number[];
}

/**
 * A chunk of customers as export text: CSV or NDJSON lines (each ending in a
 * line break), or for JSON the array's elements joined by `,\n` (the caller
 * writes the brackets and the comma between chunks). Pure, and plain data in
 * and out, so it runs the same on a worker thread.
 */
export function formatCustomerChunk(chunk: CustomerChunk, layout: ExportLayout): FormattedChunk {
  const cellsOf = cellReader(layout.columns);
  const { rows, unsplittable } = rowsOfChunk(chunk);
  if (unsplittable.length > 0) return { text: '', rows: 0, unsplittable };
  // Lines joined once at the end: a string grown by += is a rope holding every line alive until it is
  // flattened, and a few queued chunks of those cost the exporting thread more in garbage collection than in formatting.
  const keys = jsonKeys(layout.columns);
  const lines = rows.map((row) => {
    const cells = cellsOf(row);
    if (layout.format === 'csv') return formatCsvLine(cells, layout.neutralize);
    // The text JSON.stringify gives the row's object, without building the object.
    let json = layout.format === 'json' ? '  {' : '{';
    for (let i = 0; i < keys.length; i++) {
      const column = layout.columns[i] ?? '';
      const cell = cells[i];
      const value =
        column === 'id'
          ? String(row.id)
          : column === 'tags'
            ? JSON.stringify(row.tags)
            : column === 'external_ids'
              ? JSON.stringify(row.externalIds)
              : cell === null || cell === undefined
                ? 'null'
                : NUMBER_COLUMNS.has(column)
                  ? numberText(column, row)
                  : JSON.stringify(cell);
      json += i === 0 ? `${keys[i]}${value}` : `,${keys[i]}${value}`;
    }
    return `${json}}`;
  });
  const text = layout.format === 'json' ? lines.join(',\n') : lines.length === 0 ? '' : `${lines.join('\n')}\n`;
  return { text, rows: rows.length, unsplittable };
}

/** Columns written as JSON numbers. */
const NUMBER_COLUMNS = new Set(['orders_count', 'total_spent']);

function numberText(column: string, row: CustomerExportRow): string {
  if (column === 'orders_count') return String(row.ordersCount);
  return row.totalSpentMinor === null ? 'null' : String(row.totalSpentMinor / 100);
}

const keyLists = new WeakMap<readonly string[], string[]>();

/** Each column as a JSON object key with its colon (`"email":`); made once per column list. */
function jsonKeys(columns: readonly string[]): string[] {
  let keys = keyLists.get(columns);
  if (!keys) keyLists.set(columns, (keys = columns.map((column) => `${JSON.stringify(column)}:`)));
  return keys;
}

const readers = new WeakMap<readonly string[], (row: CustomerExportRow) => (string | null)[]>();

/** A function from an export row to its cells in column order (null for empty); made once per column list. */
function cellReader(columns: readonly string[]): (row: CustomerExportRow) => (string | null)[] {
  const known = readers.get(columns);
  if (known) return known;
  const perColumn = columns.map((column): ((row: CustomerExportRow) => string | null) => {
    if (column === 'id') return (row) => String(row.id);
    if (column === 'external_ids') return (row) => (row.externalIds.length === 0 ? null : row.externalIds.join(';'));
    if (column === 'tags') return (row) => (row.tags.length === 0 ? null : row.tags.join(', '));
    if (column === 'orders_count') return (row) => String(row.ordersCount);
    if (column === 'total_spent') return (row) => (row.totalSpentMinor === null ? null : formatMinor(row.totalSpentMinor));
    if (column === 'full_name') {
      const [first, last] = [valueIndex('first_name'), valueIndex('last_name')];
      return (row) => [row.values[first], row.values[last]].filter(Boolean).join(' ') || null;
    }
    if (column === 'external_id') return (row) => row.externalIds[0]?.replace(/^[^:]*:/, '') ?? null;
    if (column.startsWith('attr.')) {
      const name = column.slice(5);
      return (row) => row.attributes.get(name) ?? null;
    }
    const index = valueIndex(column as keyof CustomerValues);
    return (row) => {
      const value = row.values[index];
      return value === null || value === undefined ? null : String(value);
    };
  });
  const read = (row: CustomerExportRow) => perColumn.map((cell) => cell(row));
  readers.set(columns, read);
  return read;
}
