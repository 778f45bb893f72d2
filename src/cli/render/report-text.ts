import type { FiguresSection, MatrixSection, ReportDocument, ReportSection, SeriesSection, TableSection } from '../../reports/report-document.js';
import type { CommandContext } from '../context.js';
import { renderBar } from './chart-bar.js';
import { shadeFor } from './chart-shade.js';
import { renderSparkline } from './chart-sparkline.js';
import { formatReportValue } from '../../reports/format-report-value.js';
import { renderTable } from './table.js';

/** Columns a table's bar takes at full length. */
const BAR_WIDTH = 16;
/** Columns of one matrix cell: a shade and a percentage up to 100. */
const CELL_WIDTH = 5;

/**
 * A report as terminal text, fitting `width` columns (80 is the classic
 * terminal): figures as aligned label/value lines, tables with a bar column,
 * series as sparklines with their lowest, highest and last values, and a
 * matrix with shades beside its percentages, so nothing is said by colour or
 * shade alone. Colour only through ctx.paint (off with NO_COLOR).
 */
export function renderReportText(document: ReportDocument, ctx: CommandContext, width: number): string {
  const about = [`as of ${document.asOf}`, document.scope === undefined ? 'all customers' : `customers: ${document.scope}`];
  if (document.currency !== undefined) about.push(`money in ${document.currency}`);
  const parts = [`${ctx.paint.bold(document.title)}\n${about.join(' · ')}`];
  for (const section of document.sections) parts.push(`${ctx.paint.bold(section.title)}\n${renderSection(section, ctx, width)}`);
  return `${parts.join('\n\n')}\n`;
}

function renderSection(section: ReportSection, ctx: CommandContext, width: number): string {
  switch (section.kind) {
    case 'figures':
      return renderFigures(section);
    case 'table':
      return renderTableSection(section, ctx, width);
    case 'series':
      return renderSeries(section, width);
    case 'matrix':
      return renderMatrix(section, width);
  }
}

function renderFigures(section: FiguresSection): string {
  const values = section.figures.map((figure) => formatReportValue(figure.value, figure.type));
  const labelWidth = Math.max(...section.figures.map((figure) => figure.label.length));
  const valueWidth = Math.max(...values.map((value) => value.length));
  return section.figures.map((figure, i) => `  ${figure.label.padEnd(labelWidth)}  ${values[i]!.padStart(valueWidth)}`).join('\n');
}

function renderTableSection(section: TableSection, ctx: CommandContext, width: number): string {
  if (section.rows.length === 0) return '  (none)';
  const head = section.columns.map((column) => column.label);
  const rows = section.rows.map((row) => section.columns.map((column) => formatReportValue(row[column.key] ?? null, column.type)));
  // The bar takes what room the table leaves, up to BAR_WIDTH; with less than a few columns left it is left out.
  const natural = head.reduce((sum, heading, i) => sum + Math.max(heading.length, ...rows.map((row) => row[i]!.length)) + 3, 1);
  const barWidth = Math.min(BAR_WIDTH, width - natural - 3);
  const barKey = section.bar;
  if (barKey !== undefined && barWidth >= 4) {
    const max = Math.max(...section.rows.map((row) => Number(row[barKey] ?? 0)));
    head.push('');
    section.rows.forEach((row, i) => rows[i]!.push(renderBar(Number(row[barKey] ?? 0), max, barWidth)));
  }
  const wrappable = section.columns.filter((column) => column.type === 'text').map((column) => column.label);
  return renderTable(head, rows, ctx, { width, wrappable });
}

function renderSeries(section: SeriesSection, width: number): string {
  if (section.points.length === 0) return '  (no periods)';
  // A series longer than the line keeps its latest periods: the recent past matters most.
  const shown = section.points.slice(-Math.max(1, width - 4));
  const values = shown.map((point) => point.value);
  const value = (v: number) => formatReportValue(v, section.type);
  const last = shown[shown.length - 1]!;
  const lines = [
    `  ${renderSparkline(values)}`,
    `  ${shown[0]!.period}${shown.length > 1 ? ` … ${last.period}` : ''}${shown.length < section.points.length ? ` (last ${shown.length} of ${section.points.length})` : ''}`,
    `  lowest ${value(Math.min(...values))} · highest ${value(Math.max(...values))} · last ${value(last.value)} (${last.period})`,
  ];
  return lines.join('\n');
}

function renderMatrix(section: MatrixSection, width: number): string {
  if (section.rows.length === 0) return '  (none)';
  const labelWidth = Math.max(section.rowLabel.length, ...section.rows.map((row) => row.label.length));
  const sizes = section.rows.map((row) => formatReportValue(row.size, 'integer'));
  const sizeWidth = Math.max('size'.length, ...sizes.map((size) => size.length));
  const lead = 2 + labelWidth + 2 + sizeWidth;
  const fits = Math.max(1, Math.floor((width - lead) / CELL_WIDTH));
  const columns = section.columns.slice(0, fits);
  const cell = (text: string) => text.padStart(CELL_WIDTH);
  const lines = [
    `  ${section.columnLabel} →`,
    `  ${section.rowLabel.padEnd(labelWidth)}  ${'size'.padStart(sizeWidth)}${columns.map(cell).join('')}`,
    ...section.rows.map(
      (row, i) =>
        `  ${row.label.padEnd(labelWidth)}  ${sizes[i]!.padStart(sizeWidth)}${row.cells
          .slice(0, columns.length)
          .map((value) => cell(value === null ? '' : `${shadeFor(value)}${Math.round(value)}`))
          .join('')}`,
    ),
    `  % of the row's customers: ░ under 25, ▒ under 50, ▓ under 75, █ 75 and up;`,
    `  no shade: 0 %; blank: a month not reached yet, or no customers.`,
  ];
  if (columns.length < section.columns.length) lines.push(`  ${section.columns.length - columns.length} later columns left out to fit ${width} columns; --format csv has them all.`);
  return lines.map((line) => line.trimEnd()).join('\n');
}
