import { formatCsvLine } from '../csv/format-csv-line.js';
import type { CustomerAnswerRow, OutputColumn } from '../query/query-customers.js';
import type { ExportFormat } from './format-customer-chunk.js';
import { batchWrites, openExportTarget } from './open-export-target.js';

const FLUSH_BYTES = 1 << 16;

/**
 * One answer cell as CSV writes it, the way the customers export writes the
 * same field: tags joined by ", ", external ids by ";", money with two decimals.
 */
export function answerCellText(column: OutputColumn, value: CustomerAnswerRow[string] | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.length === 0 ? null : value.join(column.name === 'tags' ? ', ' : ';');
  if (typeof value === 'number' && column.kind === 'scalar' && column.field.type === 'number') return value.toFixed(2);
  return String(value);
}

/**
 * Writes a query's answer as CSV, JSON or NDJSON to `file` (atomically: a
 * reader never sees half of it) or `stream`, a batch of lines at a time.
 * Returns the number of customers written.
 */
export async function writeCustomerAnswer(
  rows: AsyncIterable<CustomerAnswerRow>,
  columns: readonly OutputColumn[],
  options: { format: ExportFormat; file?: string | undefined; stream?: NodeJS.WritableStream; raw: boolean },
): Promise<number> {
  const target = await openExportTarget(options.file, options.stream);
  const neutralize = !options.raw;
  let count = 0;
  const { write, flush } = batchWrites(target, FLUSH_BYTES);
  try {
    if (options.format === 'csv') await write(`${formatCsvLine(columns.map((c) => c.name), neutralize)}\n`);
    if (options.format === 'json') await write('[');
    for await (const row of rows) {
      if (options.format === 'csv') await write(`${formatCsvLine(columns.map((c) => answerCellText(c, row[c.name])), neutralize)}\n`);
      else {
        const object: Record<string, unknown> = {};
        for (const column of columns) object[column.name] = row[column.name] ?? null;
        const json = JSON.stringify(object);
        await write(options.format === 'ndjson' ? `${json}\n` : `${count === 0 ? '\n' : ',\n'}  ${json}`);
      }
      count += 1;
    }
    if (options.format === 'json') await write(count === 0 ? ']\n' : '\n]\n');
    await flush();
    await target.complete();
  } catch (error) {
    target.abandon();
    throw error;
  }
  return count;
}
