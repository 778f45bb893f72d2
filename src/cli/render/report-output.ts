import { Chalk } from 'chalk';
import { openExportTarget } from '../../export/open-export-target.js';
import type { ReportDocument } from '../../reports/report-document.js';
import type { CommandContext } from '../context.js';
import { writeNote, writeResult } from './output.js';
import { formatReportCsv } from './report-csv.js';
import { renderReportText } from './report-text.js';
import { terminalWidth } from './terminal-width.js';

export type ReportFormat = 'table' | 'csv' | 'json';

/**
 * Writes a report to stdout, or with `file` to that file atomically (a
 * temporary file renamed when complete, as exports are written): text drawn
 * for the terminal's width (80 in a file, without colour), CSV, or the
 * document itself as JSON.
 */
export async function writeReport(ctx: CommandContext, document: ReportDocument, options: { format: ReportFormat; file: string | undefined }): Promise<void> {
  if (options.file === undefined) {
    if (options.format === 'table') writeResult(ctx, renderReportText(document, ctx, terminalWidth(ctx, 'stdout')));
    else ctx.io.stdout.write(formatReport(document, options.format, ctx));
    return;
  }
  const plain = { ...ctx, paint: new Chalk({ level: 0 }) };
  const target = await openExportTarget(options.file, undefined);
  try {
    await target.write(formatReport(document, options.format, plain));
    await target.complete();
  } catch (error) {
    target.abandon();
    throw error;
  }
  writeNote(ctx, `Wrote ${document.title.toLowerCase()} to ${options.file}.`);
}

function formatReport(document: ReportDocument, format: ReportFormat, ctx: CommandContext): string {
  if (format === 'json') return `${JSON.stringify(document, null, 2)}\n`;
  if (format === 'csv') return formatReportCsv(document);
  return renderReportText(document, ctx, 80);
}
