import { openExportTarget } from '../../export/open-export-target.js';
import type { ReportDocument } from '../../reports/report-document.js';
import type { CommandContext } from '../context.js';
import { writeNote } from './output.js';

/**
 * Writes `documents` as one self-contained HTML page to `file`, atomically and readable by its
 * owner only (as exports are written). The renderer, with Plot, d3 and linkedom behind it, is
 * loaded here and only here: importing it takes longer than the whole of `custdb --version`.
 */
export async function writeReportHtml(ctx: CommandContext, documents: ReportDocument[], file: string): Promise<void> {
  const { renderReportHtml } = await import('../../reports/render-report-html.js');
  const html = renderReportHtml(documents, {});
  const target = await openExportTarget(file, undefined);
  try {
    await target.write(html);
    await target.complete();
  } catch (error) {
    target.abandon();
    throw error;
  }
  writeNote(ctx, `Wrote ${documents.length === 1 ? documents[0]!.title.toLowerCase() : `${documents.length} reports`} as HTML to ${file}.`);
}
