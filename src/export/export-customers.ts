import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { formatCsvLine } from '../csv/format-csv-line.js';
import { iterateCustomersForExport, listAttributeNames, valueIndex, type CustomerExportRow } from '../db/customer-export-rows.js';
import type { CustomerValues } from '../model/customer-record.js';
import type { Store } from '../db/open-store.js';
import { InputFileError } from '../errors.js';
import { chooseExportColumns } from './export-fields.js';

export type ExportFormat = 'csv' | 'json' | 'ndjson';

export interface ExportOptions {
  fields?: string[];
  format: ExportFormat;
  /** Write here (atomically: a temporary file renamed when complete), or to `stream` when absent. */
  file?: string;
  stream?: NodeJS.WritableStream;
  /** Leave formula-like CSV cells as they are (default: neutralised with a leading '). */
  raw: boolean;
}

export interface ExportResult {
  rows: number;
  columns: string[];
  format: ExportFormat;
  file: string | null;
}

const FLUSH_BYTES = 1 << 16;

/**
 * Streams active customers as CSV, JSON or NDJSON. Always includes `id` and
 * `external_ids`. A file is written under a temporary name and renamed only
 * when complete, so a reader never sees half an export.
 */
export async function exportCustomers(store: Store, options: ExportOptions): Promise<ExportResult> {
  const columns = chooseExportColumns(options.fields, await listAttributeNames(store));
  const temporary = options.file ? `${options.file}.partial-${randomBytes(4).toString('hex')}` : undefined;
  const fileStream = temporary ? createWriteStream(temporary, { mode: 0o600 }) : undefined;
  const out: NodeJS.WritableStream = fileStream ?? options.stream!;
  if (fileStream) {
    await Promise.race([once(fileStream, 'open'), once(fileStream, 'error').then(([error]) => Promise.reject(error))]).catch((error: NodeJS.ErrnoException) => {
      throw new InputFileError(`Cannot write ${options.file}: ${error.code === 'ENOENT' ? 'its folder does not exist' : error.message}.`, {
        hint: 'Choose a writable path with -o.',
      });
    });
  }

  let buffer = '';
  const flush = async () => {
    if (buffer === '') return;
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await once(out, 'drain');
  };

  let rows = 0;
  try {
    const cellsOf = makeCellReader(columns);
    if (options.format === 'csv') buffer += `${formatCsvLine(columns, !options.raw)}\n`;
    if (options.format === 'json') buffer += '[';
    for (const row of iterateCustomersForExport(store)) {
      if (options.format === 'csv') {
        buffer += `${formatCsvLine(cellsOf(row), !options.raw)}\n`;
      } else {
        const cells = cellsOf(row);
        const object: Record<string, unknown> = {};
        columns.forEach((column, i) => {
          object[column] = column === 'id' ? row.id : column === 'tags' ? row.tags : column === 'external_ids' ? row.externalIds : (cells[i] ?? null);
        });
        buffer += options.format === 'json' ? `${rows === 0 ? '\n' : ',\n'}  ${JSON.stringify(object)}` : `${JSON.stringify(object)}\n`;
      }
      rows += 1;
      if (buffer.length >= FLUSH_BYTES) await flush();
    }
    if (options.format === 'json') buffer += rows === 0 ? ']\n' : '\n]\n';
    await flush();
    if (temporary) {
      out.end();
      await once(out, 'finish');
      renameSync(temporary, options.file!);
    }
  } catch (error) {
    if (temporary) {
      fileStream?.destroy();
      rmSync(temporary, { force: true });
    }
    throw error;
  }
  return { rows, columns, format: options.format, file: options.file ?? null };
}

/** Builds a function from an export row to its cells in column order (null for empty). */
function makeCellReader(columns: readonly string[]): (row: CustomerExportRow) => (string | null)[] {
  const readers = columns.map((column): ((row: CustomerExportRow) => string | null) => {
    if (column === 'id') return (row) => String(row.id);
    if (column === 'external_ids') return (row) => (row.externalIds.length === 0 ? null : row.externalIds.join(';'));
    if (column === 'tags') return (row) => (row.tags.length === 0 ? null : row.tags.join(', '));
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
  return (row) => readers.map((read) => read(row));
}
