import { formatCsvLine } from '../csv/format-csv-line.js';
import { maskRow, maskValue } from '../privacy/mask.js';
import type { Store } from '../db/store.js';
import { UnknownFieldError } from '../errors.js';
import type { ExportFormat, ExportOptions, ExportResult } from './export-customers.js';
import { openExportTarget } from './open-export-target.js';

/** Columns of `custdb export orders`: one CSV row per line item, the order's fields on every row (so the file imports back). */
export const ORDER_EXPORT_COLUMNS = [
  'order_id',
  'source',
  'ordered_at',
  'status',
  'currency',
  'subtotal',
  'discount',
  'shipping',
  'tax',
  'total',
  'customer_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'item_sku',
  'item_name',
  'item_quantity',
  'item_price',
  'item_total',
] as const;

type OrderColumn = (typeof ORDER_EXPORT_COLUMNS)[number];

interface OrderItemRow {
  id: number;
  external_id: string;
  source: string;
  ordered_at: string;
  status: string;
  currency: string | null;
  subtotal_minor: number | null;
  discount_minor: number | null;
  shipping_minor: number | null;
  tax_minor: number | null;
  total_minor: number;
  customer_id: number;
  email: string | null;
  phone: string | null;
  first_name: string | null;
  last_name: string | null;
  item_sku: string | null;
  item_name: string | null;
  item_quantity: number | null;
  item_price_minor: number | null;
  item_total_minor: number | null;
}

const MONEY: Partial<Record<OrderColumn, keyof OrderItemRow>> = {
  subtotal: 'subtotal_minor',
  discount: 'discount_minor',
  shipping: 'shipping_minor',
  tax: 'tax_minor',
  total: 'total_minor',
  item_price: 'item_price_minor',
  item_total: 'item_total_minor',
};

/**
 * Streams every order as CSV (one row per line item, order fields repeated,
 * so `custdb import` reads it back grouped), JSON or NDJSON (one object per
 * order with its `items`). Amounts in units (`17758.28`), timestamps UTC
 * ISO. A file is written under a temporary name and renamed when complete.
 */
export async function exportOrders(store: Store, options: ExportOptions): Promise<ExportResult> {
  const columns = chooseColumns(options.fields, ORDER_EXPORT_COLUMNS, 'orders');
  const rows = store.db
    .selectFrom('orders as o')
    .innerJoin('customers as c', 'c.id', 'o.customer_id')
    .leftJoin('order_items as i', 'i.order_id', 'o.id')
    .select([
      'o.id', 'o.external_id', 'o.source', 'o.ordered_at', 'o.status', 'o.currency', 'o.subtotal_minor', 'o.discount_minor', 'o.shipping_minor',
      'o.tax_minor', 'o.total_minor', 'o.customer_id', 'c.email', 'c.phone', 'c.first_name', 'c.last_name',
      'i.sku as item_sku', 'i.name as item_name', 'i.quantity as item_quantity', 'i.unit_price_minor as item_price_minor', 'i.total_minor as item_total_minor',
    ])
    .orderBy('o.id')
    .orderBy('i.id')
    .stream(1000) as AsyncIterable<OrderItemRow>;

  const cell = (row: OrderItemRow, column: OrderColumn): string | null => {
    const money = MONEY[column];
    if (money !== undefined) return formatMinor(row[money] as number | null);
    if (column === 'order_id') return row.external_id;
    if (column === 'customer_id') return String(row.customer_id);
    const value = row[column as keyof OrderItemRow];
    return value === null || value === undefined ? null : String(value);
  };
  const orderColumns = columns.filter((c) => !c.startsWith('item_'));
  const wantsItems = columns.some((c) => c.startsWith('item_'));

  return writeExport(options, columns, async (emit) => {
    let count = 0;
    if (options.format === 'csv') {
      let lastOrder = -1;
      for await (const row of rows) {
        if (row.id !== lastOrder) count += 1;
        lastOrder = row.id;
        await emit.csv(columns.map((column) => cell(row, column)));
      }
      return count;
    }
    let current: { id: number; object: Record<string, unknown>; items: Record<string, unknown>[] } | null = null;
    for await (const row of rows) {
      if (current === null || current.id !== row.id) {
        if (current !== null) await emit.object(current.object);
        count += 1;
        const object: Record<string, unknown> = {};
        for (const column of orderColumns) object[column] = jsonValue(row, column, cell(row, column));
        current = { id: row.id, object, items: [] };
        if (wantsItems) object.items = current.items;
      }
      if (wantsItems && row.item_name !== null) {
        const item: Record<string, unknown> = {};
        for (const column of columns.filter((c) => c.startsWith('item_'))) item[column.slice(5)] = jsonValue(row, column, cell(row, column));
        current.items.push(item);
      }
    }
    if (current !== null) await emit.object(current.object);
    return count;
  });
}

function jsonValue(row: OrderItemRow, column: OrderColumn, text: string | null): unknown {
  if (text === null) return null;
  if (MONEY[column] !== undefined) return Number(text);
  if (column === 'customer_id') return row.customer_id;
  if (column === 'item_quantity') return row.item_quantity;
  return text;
}

/** Amount in units with two decimals, from hundredths; null stays null. */
export function formatMinor(minor: number | null): string | null {
  if (minor === null) return null;
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** The requested columns (all when none asked for), checked against `known`; UnknownFieldError names the valid ones. */
export function chooseColumns<C extends string>(fields: readonly string[] | undefined, known: readonly C[], what: string): C[] {
  if (fields === undefined || fields.length === 0) return [...known];
  const chosen: C[] = [];
  for (const field of fields) {
    const column = known.find((k) => k === field.trim().toLowerCase());
    if (column === undefined) {
      throw new UnknownFieldError(`There is no field "${field}" in ${what} exports.`, { hint: `Fields: ${known.join(', ')}.` });
    }
    if (!chosen.includes(column)) chosen.push(column);
  }
  return chosen;
}

export interface ExportEmitter {
  /** Adds one CSV record; returns a promise to await when the output needs to drain first. */
  csv(cells: readonly (string | null)[]): Promise<void> | undefined;
  /** Adds one JSON/NDJSON object; same back-pressure contract as `csv`. */
  object(value: Record<string, unknown>): Promise<void> | undefined;
}

const FLUSH_BYTES = 1 << 18;

/**
 * Writes an export to `options.file` (atomically: a temporary name renamed
 * when complete; removed on failure) or to `options.stream`, in buffered
 * chunks with back-pressure. `produce` emits rows (awaiting what `emit`
 * returns) and returns how many records it wrote. CSV cells a spreadsheet
 * would run as formulas are neutralised unless `raw`.
 */
export async function writeExport(
  options: ExportOptions,
  columns: readonly string[],
  produce: (emit: ExportEmitter) => Promise<number>,
): Promise<ExportResult> {
  const target = await openExportTarget(options.file, options.stream);
  const format: ExportFormat = options.format;
  let buffer = '';
  let objects = 0;
  const flush = (): Promise<void> | undefined => {
    if (buffer === '') return undefined;
    const full = buffer;
    buffer = '';
    return target.write(full);
  };
  const emit: ExportEmitter = {
    csv: (cells) => {
      buffer += `${formatCsvLine(options.mask === true ? cells.map((cell, i) => maskValue(columns[i]!, cell)) : cells, !options.raw)}\n`;
      return buffer.length >= FLUSH_BYTES ? flush() : undefined;
    },
    object: (value) => {
      const json = JSON.stringify(options.mask === true ? maskRow(value) : value);
      buffer += format === 'json' ? `${objects === 0 ? '\n' : ',\n'}  ${json}` : `${json}\n`;
      objects += 1;
      return buffer.length >= FLUSH_BYTES ? flush() : undefined;
    },
  };
  let rows = 0;
  try {
    if (format === 'csv') buffer += `${formatCsvLine(columns, !options.raw)}\n`;
    if (format === 'json') buffer += '[';
    rows = await produce(emit);
    if (format === 'json') buffer += objects === 0 ? ']\n' : '\n]\n';
    await flush();
    await target.complete();
  } catch (error) {
    target.abandon();
    throw error;
  }
  return { rows, columns: [...columns], format, file: options.file ?? null };
}
