/**
 * What a report says, apart from how it is shown: every report (`report
 * summary|top|rfm|cohorts|quality|value`) builds one of these from SQL
 * through the store, and the terminal, CSV/JSON and HTML renderers draw it.
 * Numbers stay numbers here (money in major units of `currency`); formatting
 * is the renderer's job, so the CSV carries 1234.5 where the table shows
 * "1,234.50".
 */
export interface ReportDocument {
  /** "Customer summary", "Top customers by revenue", … */
  title: string;
  /** The day the numbers are as of (YYYY-MM-DD). */
  asOf: string;
  /** The customers the report covers, as the user gave them (`--where` text or `segment NAME`); undefined for everyone. */
  scope?: string;
  /** The main currency money is shown in (settings `currency`); undefined when there is no money. */
  currency?: string;
  sections: ReportSection[];
}

export type ReportSection = FiguresSection | TableSection | SeriesSection | MatrixSection;

/** A few headline numbers: "Customers 1,204", "Repeat-customer rate 23.4 %". */
export interface FiguresSection {
  kind: 'figures';
  title: string;
  figures: { label: string; value: number | string | null; type: ValueType }[];
}

/** How a value reads: money in major units of the document's currency, percent as 0–100 (25 is 25 %), date as YYYY-MM-DD. */
export type ValueType = 'integer' | 'number' | 'money' | 'percent' | 'text' | 'date';

export interface TableColumn {
  /** Key of the value in each row; also the CSV/JSON column name. */
  key: string;
  label: string;
  type: ValueType;
}

/**
 * Rows of values; `bar`, when set, names the numeric column a bar chart of
 * the rows shows, each bar labelled by the first of the `barLabel` columns
 * that has a value in its row (by default the first column).
 */
export interface TableSection {
  kind: 'table';
  title: string;
  columns: TableColumn[];
  rows: Record<string, number | string | null>[];
  bar?: string;
  barLabel?: string[];
}

/** A value per period (month: YYYY-MM), oldest first: a sparkline in a terminal, a line or bar chart in HTML. */
export interface SeriesSection {
  kind: 'series';
  title: string;
  type: ValueType;
  points: { period: string; value: number }[];
}

/**
 * A grid of percentages with a size per row: acquisition cohorts (rows:
 * first-order month, `size` customers) by months since first order
 * (columns 0, 1, 2, …); a cell is null where that month has not happened yet.
 */
export interface MatrixSection {
  kind: 'matrix';
  title: string;
  rowLabel: string;
  columnLabel: string;
  columns: string[];
  rows: { label: string; size: number; cells: (number | null)[] }[];
}
