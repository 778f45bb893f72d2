import Table from 'cli-table3';
import type { CommandContext } from '../context.js';
import { terminalText } from './output.js';
import { terminalWidth } from './terminal-width.js';

/** How a table may give way when it is wider than the terminal. */
export interface TableFit {
  /** Headings of columns to leave out, least useful first, while the table is too wide (see renderTable). */
  droppable?: readonly string[];
  /** Headings of columns whose cells may wrap onto more lines (default: any column). */
  wrappable?: readonly string[];
  /** Width to fit (default: stdout's, see terminalWidth: $COLUMNS, else the terminal's, else 80). */
  width?: number;
}

/** One space either side of a cell's text. */
const PADDING = 2;
/** Columns are left out before a wrapped column gets narrower than this (or its heading). */
const COMFORTABLE = 20;
/** Once nothing more may be left out, wrapped columns go down to this. */
const NARROWEST = 8;

/**
 * A plain terminal table (no colour codes when colour is off); every cell is made inert.
 * Given `fit`, it fits the terminal: when too wide, it leaves out `fit.droppable` columns in
 * order while the wrappable ones would get narrower than 20 columns, then wraps the widest
 * wrappable cells (at spaces; a longer word is broken) until it fits. Without `fit` it keeps
 * every cell on its lines, as wide as it is: only the caller knows which columns may give way.
 *
 * @example renderTable(['batch', 'file'], [['1', 'customers.csv']], ctx, { droppable: ['source'], wrappable: ['file'] })
 */
export function renderTable(head: string[], rows: string[][], ctx: CommandContext, fit?: TableFit): string {
  const width = fit === undefined ? Infinity : (fit.width ?? terminalWidth(ctx, 'stdout'));
  const cells = [head, ...rows].map((row) => head.map((_, i) => terminalText(ctx, row[i] ?? '')));
  const natural = head.map((_, i) => Math.max(...cells.map((row) => displayWidth(row[i] ?? ''))) + PADDING);
  const wrappable = (i: number) => fit?.wrappable === undefined || fit.wrappable.includes(head[i] ?? '');
  // Narrowest width of column i when wrapped no further than `floor`; other columns keep theirs.
  const least = (i: number, floor: number) => (wrappable(i) ? Math.min(natural[i] ?? 0, Math.max(displayWidth(head[i] ?? ''), floor) + PADDING) : (natural[i] ?? 0));
  const tableWidth = (widths: number[]) => widths.reduce((sum, w) => sum + w, 0) + widths.length + 1;

  let kept = head.map((_, i) => i);
  for (const heading of fit?.droppable ?? []) {
    if (tableWidth(kept.map((i) => least(i, COMFORTABLE))) <= width || kept.length === 1) break;
    kept = kept.filter((i) => head[i] !== heading);
  }
  const keptNatural = kept.map((i) => natural[i] ?? 0);
  const room = width - kept.length - 1;
  const comfortable = kept.map((i) => least(i, COMFORTABLE));
  const widths = shareWidth(keptNatural, tableWidth(comfortable) <= width ? comfortable : kept.map((i) => least(i, NARROWEST)), room);
  const wraps = widths.some((w, k) => w < (keptNatural[k] ?? 0));

  const pick = (row: string[]) => kept.map((i, k) => (wraps ? wrapText(row[i] ?? '', (widths[k] ?? 0) - PADDING) : (row[i] ?? '')));
  const [shownHead = [], ...shownRows] = cells.map(pick);
  const table = new Table({
    head: shownHead.map((h) => ctx.paint.bold(h)),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    ...(wraps ? { colWidths: widths, wordWrap: true } : {}),
  });
  table.push(...shownRows);
  return table.toString();
}

/**
 * Column widths within `room`: columns wider than a common cap are narrowed to it (not below
 * their `narrowest`), the cap as high as fits. Columns already narrower keep their width.
 */
function shareWidth(natural: number[], narrowest: number[], room: number): number[] {
  const total = (cap: number) => natural.reduce((sum, w, k) => sum + Math.max(narrowest[k] ?? 0, Math.min(w, cap)), 0);
  let cap = Math.max(...natural);
  while (cap > 0 && total(cap) > room) cap -= 1;
  return natural.map((w, k) => Math.max(narrowest[k] ?? 0, Math.min(w, cap)));
}

const OWN_STYLE = /\u001b\[[0-9;]*m/gu;
const ZERO_WIDTH = /[\p{Mn}\p{Me}\u200b-\u200f\ufeff]/u;
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;

/** Columns `text` takes in a terminal (its widest line), colour codes aside; East Asian wide characters and emoji take two. */
function displayWidth(text: string): number {
  let widest = 0;
  for (const line of text.replace(OWN_STYLE, '').split('\n')) {
    let width = 0;
    for (const character of line) width += ZERO_WIDTH.test(character) ? 0 : WIDE.test(character) ? 2 : 1;
    widest = Math.max(widest, width);
  }
  return widest;
}

/**
 * `text` broken into lines of at most `width` columns, at spaces where it can, a longer word
 * in pieces (a file path keeps its end, which cutting it short with … would lose). Painted text
 * is left to cli-table3's own wrapping, which knows colour codes.
 */
function wrapText(text: string, width: number): string {
  if (width <= 0 || text.includes('\u001b') || displayWidth(text) <= width) return text;
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const joined = line === '' ? word : `${line} ${word}`;
      if (displayWidth(joined) <= width) {
        line = joined;
        continue;
      }
      if (line !== '') lines.push(line);
      line = '';
      for (const character of word) {
        if (displayWidth(line + character) > width) {
          lines.push(line);
          line = '';
        }
        line += character;
      }
    }
    lines.push(line);
  }
  return lines.join('\n');
}
