import * as Plot from '@observablehq/plot';
import type { MatrixSection, SeriesSection, TableColumn, TableSection } from '../report-document.js';
import { inertText } from '../../text/inert-text.js';
import { formatReportValue } from '../format-report-value.js';
import type { PageDocument, PageElement } from './page-document.js';

/**
 * Every chart's width in CSS pixels: an A4 page less 15 mm margins at 96 dpi. Wider charts (a
 * cohort matrix of many months) keep their own width and the page's CSS scales them down.
 */
const CHART_WIDTH = 680;
const BAR_COLOUR = '#4a7fb5';
const ROW_HEIGHT = 22;
/** Axis labels longer than this are cut with an ellipsis, so one long name does not squeeze every bar. */
const LABEL_CHARACTERS = 28;
/** Width of a character of the chart's 10 px system font, near enough to size a margin for labels. */
const CHARACTER_WIDTH = 6;
/** Past this many months, a bar or point per month has no room for its value above it. */
const LABELLED_POINTS = 24;
/** Past this many months, the value above a bar is cut short ("19K" for 19,191.36); its title keeps it whole. */
const CROWDED_POINTS = 12;
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });

/** The SVG element Plot returns, ready to append to the page. */
type Chart = PageElement;

/**
 * A horizontal bar per row of `section`, showing its `bar` column, labelled as `barLabel` says,
 * with each bar's value at its end; rows keep their order (a report sorts them). Rows are placed
 * by position, not by label, so two customers of one name keep a bar each.
 */
export function drawTableBars(section: TableSection & { bar: string }, currency: string | undefined, document: PageDocument): Chart {
  const labelColumns = (section.barLabel ?? [section.columns[0]!.key]).map((key) => section.columns.find((column) => column.key === key)!);
  const valueColumn = section.columns.find((column) => column.key === section.bar)!;
  const bars = section.rows.map((row, index) => ({
    index,
    label: shortLabel(inertText(barLabel(row, labelColumns))),
    value: Number(row[section.bar] ?? 0),
    shown: formatReportValue(row[section.bar] ?? null, valueColumn.type),
  }));
  return Plot.plot({
    document,
    width: CHART_WIDTH,
    height: 40 + bars.length * ROW_HEIGHT,
    marginLeft: labelMargin(bars.map((bar) => bar.label)),
    marginRight: 70,
    x: { grid: true, nice: true, label: withCurrency(valueColumn.label, valueColumn.type, currency) },
    y: { domain: bars.map((bar) => bar.index), tickFormat: (index: number) => bars[index]!.label, label: null },
    marks: [
      Plot.barX(bars, { x: 'value', y: 'index', fill: BAR_COLOUR, title: 'shown' }),
      Plot.text(bars, { x: 'value', y: 'index', text: 'shown', textAnchor: 'start', dx: 4 }),
      Plot.ruleX([0]),
    ],
  });
}

/**
 * A value per month: bars for counts and money (amounts that add up over months), a line for
 * rates and averages (which do not). Each month's value is written on the chart while there is
 * room (two years), and is in every mark's title otherwise.
 */
export function drawSeries(section: SeriesSection, currency: string | undefined, document: PageDocument): Chart {
  const crowded = section.points.length > CROWDED_POINTS;
  const points = section.points.map((point) => ({
    month: monthStart(point.period),
    middle: monthMiddle(point.period),
    value: point.value,
    shown: `${point.period}: ${formatReportValue(point.value, section.type)}`,
    label: crowded ? COMPACT.format(point.value) : formatReportValue(point.value, section.type),
  }));
  const labelled = section.points.length <= LABELLED_POINTS;
  const adds = section.type === 'integer' || section.type === 'money';
  const marks = adds
    ? [Plot.rectY(points, { x: 'month', y: 'value', interval: 'month', insetLeft: 1, insetRight: 1, fill: BAR_COLOUR, title: 'shown' })]
    : [Plot.lineY(points, { x: 'month', y: 'value', stroke: BAR_COLOUR }), Plot.dot(points, { x: 'month', y: 'value', fill: BAR_COLOUR, r: 2.5, title: 'shown' })];
  return Plot.plot({
    document,
    width: CHART_WIDTH,
    height: 260,
    marginTop: 24,
    // Room for the longest tick label, which is about the largest value with its digits grouped (and a sign).
    marginLeft: labelMargin([`-${Math.round(Math.max(0, ...section.points.map((point) => Math.abs(point.value)))).toLocaleString('en-US')}`]),
    x: { type: 'utc', label: null },
    y: { grid: true, nice: true, zero: adds, label: withCurrency(section.title, section.type, currency), ...wholeTicks(section) },
    marks: [
      ...marks,
      ...(labelled ? [Plot.text(points, { x: adds ? 'middle' : 'month', y: 'value', text: 'label', dy: -8, fontSize: crowded ? 8 : 9 })] : []),
      Plot.ruleY([0]),
    ],
  });
}

/** Counts up to a few: a tick per whole number, since Plot's nice ticks would count half a customer. */
function wholeTicks(section: SeriesSection): { ticks?: number[]; tickFormat?: (n: number) => string } {
  const largest = Math.max(0, ...section.points.map((point) => point.value));
  if (section.type !== 'integer' || largest > 10) return {};
  return { ticks: Array.from({ length: Math.ceil(largest) + 1 }, (_, n) => n), tickFormat: (n) => String(n) };
}

/**
 * The cohort matrix as a heat-map: a cell per row and column, shaded by its percentage and
 * carrying it as text (so the shade is never the only way to read it); light shades only, so
 * black text stays readable and a printout needs no dark ink. Months not yet reached stay blank.
 */
export function drawMatrix(section: MatrixSection, document: PageDocument): Chart {
  const rowLabels = section.rows.map((row) => shortLabel(`${inertText(row.label)} (${formatReportValue(row.size, 'integer')})`));
  const cells = section.rows.flatMap((row, rowIndex) =>
    row.cells.flatMap((value, columnIndex) =>
      value === null ? [] : [{ row: rowIndex, column: columnIndex, value, shown: section.columns.length > 12 ? Math.round(value).toString() : value.toFixed(1) }],
    ),
  );
  // Room for the row labels and, left of them, the rotated name of the axis.
  const marginLeft = labelMargin(rowLabels) + 20;
  const laterBest = Math.max(0, ...cells.filter((cell) => cell.column > 0).map((cell) => cell.value));
  return Plot.plot({
    document,
    width: Math.max(CHART_WIDTH, marginLeft + section.columns.length * 30),
    height: 60 + section.rows.length * ROW_HEIGHT,
    marginLeft,
    padding: 0.04,
    x: {
      axis: 'top',
      domain: section.columns.map((_, index) => index),
      tickFormat: (index: number) => inertText(section.columns[index]!),
      label: inertText(section.columnLabel),
    },
    y: { domain: rowLabels.map((_, index) => index), tickFormat: (index: number) => rowLabels[index]!, label: inertText(section.rowLabel) },
    // Shaded up to the best later month rather than to 100 %: month 0 is 100 % by definition, and
    // on that scale later months (mostly under 20 %) would all look alike.
    color: { type: 'linear', domain: [0, laterBest > 0 ? laterBest : 100], range: ['#f3f7fb', '#6f9fd0'], clamp: true },
    marks: [
      Plot.cell(cells, { x: 'column', y: 'row', fill: 'value', title: (cell: { shown: string }) => `${cell.shown} %` }),
      Plot.text(cells, { x: 'column', y: 'row', text: 'shown', fill: 'black', fontSize: section.columns.length > 12 ? 8 : 10 }),
    ],
  });
}

/**
 * The value of the first of `columns` that `row` has; a count or id labelling a bar is marked "#2358",
 * since beside a bar a bare number reads as its amount.
 */
function barLabel(row: TableSection['rows'][number], columns: TableColumn[]): string {
  const column = columns.find((candidate) => row[candidate.key] !== null && row[candidate.key] !== undefined && row[candidate.key] !== '') ?? columns[0]!;
  const value = row[column.key] ?? null;
  return column.type === 'integer' && value !== null ? `#${value}` : formatReportValue(value, column.type);
}

function shortLabel(label: string): string {
  return label.length > LABEL_CHARACTERS ? `${label.slice(0, LABEL_CHARACTERS - 1)}…` : label;
}

function labelMargin(labels: string[]): number {
  return Math.max(40, 12 + CHARACTER_WIDTH * Math.max(0, ...labels.map((label) => label.length)));
}

function withCurrency(label: string, type: string, currency: string | undefined): string {
  return inertText(type === 'money' && currency !== undefined ? `${label} (${currency})` : label);
}

function monthStart(period: string): Date {
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, 1));
}

/** Mid-month, where a bar's value label sits over the month's bar. */
function monthMiddle(period: string): Date {
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year!, month! - 1, 15));
}
