import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { formatCsvLine } from '../csv/format-csv-line.js';
import { iterateCustomersForExport, listAttributeNames, type CustomerExportRow } from '../db/customer-export-rows.js';
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

const FLUSH_BYTES = 1 << 18;

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
      const cells = cellsOf(row);
      if (options.format === 'csv') {
        buffer += `${formatCsvLine(cells, !options.raw)}\n`;
      } else {
        const object: Record<string, unknown> = {};
        columns.forEach((column, i) => {
          const cell = cells[i] ?? null;
          object[column] =
            column === 'id' ? row.id : column === 'tags' || column === 'external_ids' ? (cell === null ? [] : cell.split(column === 'tags' ? ', ' : ';')) : cell;
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
  const needsAttributes = columns.some((c) => c.startsWith('attr.'));
  return (row) => {
    const attributes: Record<string, string> = needsAttributes && row.attributes_json ? (JSON.parse(row.attributes_json) as Record<string, string>) : {};
    return columns.map((column) => {
      if (column === 'id') return String(row.id);
      if (column.startsWith('attr.')) return attributes[column.slice(5)] ?? null;
      if (column === 'full_name') return [row.first_name, row.last_name].filter(Boolean).join(' ') || null;
      if (column === 'external_id') return row.external_ids?.split(';')[0]?.replace(/^[^:]*:/, '') ?? null;
      const value = row[column as keyof CustomerExportRow];
      return value === null || value === undefined ? null : String(value);
    });
  };
}
