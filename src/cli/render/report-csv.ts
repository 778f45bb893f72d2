import { formatCsvLine } from '../../csv/format-csv-line.js';
import type { ReportDocument, ReportSection } from '../../reports/report-document.js';

type CsvRow = Record<string, number | string | null>;

/**
 * A report as one CSV: every section's rows under one header, the first
 * column `section` naming the section each row belongs to, then the union of
 * the sections' columns (figures: label, value; series: period, value; a
 * matrix: label, size and one column per matrix column). One rectangular
 * file opens in any spreadsheet and parses with any CSV reader, a filter on
 * `section` gives each table back, and a one-table report (top) is that
 * table with one constant column. Numbers are plain (1234.5, percentages
 * 0–100); cells a spreadsheet would run as formulas are neutralised.
 */
export function formatReportCsv(document: ReportDocument): string {
  const blocks = document.sections.map((section) => ({ section, ...sectionRows(section) }));
  const header: string[] = [];
  for (const block of blocks) for (const key of block.keys) if (!header.includes(key)) header.push(key);
  const lines = [formatCsvLine(['section', ...header], true)];
  for (const block of blocks) {
    for (const row of block.rows) lines.push(formatCsvLine([block.section.title, ...header.map((key) => cellText(row[key]))], true));
  }
  return `${lines.join('\n')}\n`;
}

function sectionRows(section: ReportSection): { keys: string[]; rows: CsvRow[] } {
  switch (section.kind) {
    case 'figures':
      return { keys: ['label', 'value'], rows: section.figures.map((figure) => ({ label: figure.label, value: figure.value })) };
    case 'series':
      return { keys: ['period', 'value'], rows: section.points.map((point) => ({ period: point.period, value: point.value })) };
    case 'table':
      return { keys: section.columns.map((column) => column.key), rows: section.rows };
    case 'matrix':
      return {
        keys: ['label', 'size', ...section.columns],
        rows: section.rows.map((row) => Object.fromEntries<number | string | null>([['label', row.label], ['size', row.size], ...section.columns.map((column, i) => [column, row.cells[i] ?? null] as const)])),
      };
  }
}

function cellText(value: number | string | null | undefined): string {
  return value === null || value === undefined ? '' : String(value);
}
