import type { CustomerDuplicates } from '../../dedupe-run/find-customer-duplicates.js';
import type { DuplicateGroup } from '../../dedupe-run/list-duplicate-groups.js';
import type { GroupsWithCards } from '../../dedupe-run/load-customer-cards.js';
import type { CommandContext } from '../context.js';
import { fullName, shortReason, topReasons } from './dedupe-words.js';
import { countOf, formatPercent } from './numbers.js';
import { formatCount } from './format-count.js';
import { renderTable } from './table.js';
import { wrapText } from './text-layout.js';

type ColumnName = 'group' | 'sure' | 'id' | 'name' | 'email' | 'phone' | 'city' | 'why';

interface ColumnSpec {
  name: ColumnName;
  /** Narrowest a column that wraps may get; columns without one keep their natural width. */
  wrapsDownTo?: number;
  /** Columns a narrow terminal leaves out, lowest rank first. */
  dropRank?: number;
}

// The reasons keep the most room: a reason cut over three lines is the hardest thing in the table to read.
const COLUMNS: readonly ColumnSpec[] = [
  { name: 'group' },
  { name: 'sure' },
  { name: 'id' },
  { name: 'name', wrapsDownTo: 10 },
  { name: 'email', wrapsDownTo: 14, dropRank: 3 },
  { name: 'phone', dropRank: 2 },
  { name: 'city', wrapsDownTo: 8, dropRank: 1 },
  { name: 'why', wrapsDownTo: 24 },
];

type MemberCells = Record<Exclude<ColumnName, 'why'>, string>;

/** cli-table3 draws a border and one space of padding on each side of every cell, plus the closing border. */
const frameWidth = (columns: number): number => 3 * columns + 1;

/**
 * The duplicate groups as a terminal table at most `width` characters wide
 * (when the terminal allows): columns wrap, and city, phone, then email are
 * left out when even wrapped columns cannot fit. Nothing inside a cell is cut.
 */
export function renderDedupeTable(batch: GroupsWithCards<DuplicateGroup>, width: number, ctx: CommandContext): string {
  const groups = batch.groups.map((group) => ({
    why: group.strongest ? topReasons(group.strongest.reasons, 3).map(shortReason) : [],
    members: group.ids.map((id, k): MemberCells => {
      const c = batch.cards.get(id);
      return {
        group: k === 0 ? `${formatCount(group.number)}${group.possible ? '?' : ''}` : '',
        sure: k === 0 ? formatPercent(group.probability) : '',
        id: String(id),
        name: fullName(c),
        email: c?.email ?? '',
        phone: c?.phone_e164 ?? c?.phone ?? '',
        city: c?.city ?? '',
      };
    }),
  }));
  const natural = new Map<ColumnName, number>(COLUMNS.map((spec) => [spec.name, spec.name.length]));
  const widen = (name: ColumnName, text: string) => natural.set(name, Math.max(natural.get(name) ?? 0, text.length));
  for (const g of groups) {
    for (const line of g.why) widen('why', line);
    for (const m of g.members) for (const spec of COLUMNS) if (spec.name !== 'why') widen(spec.name, m[spec.name]);
  }
  const widths = chooseWidths(natural, width);
  const shown = COLUMNS.filter((spec) => widths.has(spec.name));
  const rows: string[][] = [];
  for (const g of groups) {
    const wrapped = g.members.map((m) => shown.map((spec): string[] => (spec.name === 'why' ? [] : wrapCell(spec.name, m[spec.name], widths.get(spec.name) ?? 0))));
    // The reasons run down the group's rows (the table draws no line between rows), so a group is as tall as its members or its reasons.
    const why = g.why.flatMap((line) => wrapText(line, widths.get('why') ?? 0));
    wrapped.forEach((cells, k) => {
      const height = Math.max(1, ...cells.map((lines) => lines.length));
      const take = k === wrapped.length - 1 ? why.length : Math.min(height, why.length);
      rows.push(
        shown.map((spec, column) => {
          if (spec.name === 'why') return why.splice(0, take).join('\n');
          const text = (cells[column] ?? []).join('\n');
          return spec.name === 'id' && k === 0 ? ctx.paint.bold(text) : text;
        }),
      );
    });
  }
  return renderTable(
    shown.map((spec) => spec.name),
    rows,
    ctx,
  );
}

/** A cell's lines at `width`. An email too long for one line breaks before its @, then after dots, so its parts stay readable. */
function wrapCell(column: ColumnName, text: string, width: number): string[] {
  if (column === 'email' && text.length > width && text.includes('@')) {
    const at = text.indexOf('@');
    const afterDots = /(?<=[.\-_+])/;
    return [...packPieces(text.slice(0, at).split(afterDots), width), ...packPieces(text.slice(at).split(afterDots), width)];
  }
  return wrapText(text, width);
}

/** Pieces joined into lines of at most `width`, a new line only between pieces unless one piece alone is too long. */
function packPieces(pieces: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces) {
    if (line !== '' && line.length + piece.length > width) {
      lines.push(line);
      line = '';
    }
    line += piece;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** The columns to show and their widths, so the table fits `width` where it can; a column left out has no width. */
function chooseWidths(natural: ReadonlyMap<ColumnName, number>, width: number): Map<ColumnName, number> {
  const narrowest = (spec: ColumnSpec): number => Math.min(natural.get(spec.name) ?? 0, spec.wrapsDownTo ?? Infinity);
  let shown = [...COLUMNS];
  const dropOrder = COLUMNS.filter((spec) => spec.dropRank !== undefined).sort((a, b) => (a.dropRank ?? 0) - (b.dropRank ?? 0));
  for (const spec of dropOrder) {
    const least = shown.reduce((sum, s) => sum + narrowest(s), frameWidth(shown.length));
    if (least <= width) break;
    shown = shown.filter((s) => s !== spec);
  }
  const widths = new Map(shown.map((spec) => [spec.name, natural.get(spec.name) ?? 0]));
  let excess = [...widths.values()].reduce((a, b) => a + b, frameWidth(shown.length)) - width;
  // Take one character at a time from the widest column that can still wrap narrower.
  while (excess > 0) {
    let widest: ColumnSpec | undefined;
    for (const spec of shown) {
      const w = widths.get(spec.name) ?? 0;
      if (w > narrowest(spec) && (widest === undefined || w > (widths.get(widest.name) ?? 0))) widest = spec;
    }
    if (widest === undefined) break;
    widths.set(widest.name, (widths.get(widest.name) ?? 0) - 1);
    excess -= 1;
  }
  return widths;
}

/** The lines under a shortened table, at most `width` wide: "… showing the 50 most certain of 289,487 groups; …". */
export function describeLeftOut(shown: number, total: number, width: number): string {
  return wrapText(`… showing the ${formatCount(shown)} most certain of ${countOf(total, 'group')}; --format csv for all of them, or --limit N.`, width).join('\n');
}

/** The line before the table: how many groups among how many customers, and how long it took. */
export function describeFound(found: CustomerDuplicates): string {
  const clusters = found.clusters.length;
  const head = `${clusters === 0 ? 'No groups' : countOf(clusters, 'group')} of duplicates among ${countOf(found.customers, 'customer')} (threshold ${found.threshold})`;
  const possible = found.possible.length > 0 ? `, and ${countOf(found.possible.length, 'possible duplicate')} flagged at import (marked ?)` : '';
  return `${head}${possible}; ${found.seconds.toFixed(1)} s.`;
}
