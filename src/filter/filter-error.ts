import { CustdbError } from '../errors.js';

/** Where in a filter's text a problem lies: UTF-16 offsets, `end` exclusive. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** The widest stretch of a long filter the snippet shows around the problem. */
const SNIPPET_WIDTH = 80;

/**
 * A filter (`--where`, a saved segment) that cannot be used: it does not
 * parse, names a field that does not exist, or compares a field with a value
 * of the wrong kind. The message says what is wrong and at which column, then
 * shows the filter with carets under the offending part. Exit 2.
 */
export class FilterError extends CustdbError {
  /** 1-based column (in characters) of the problem in `source`. */
  readonly column: number;
  /** The filter text the column counts in (a saved segment's, for a problem inside one). */
  readonly source: string;

  constructor(message: string, where: { source: string; column: number; hint?: string | undefined }) {
    super(message, { hint: where.hint });
    this.column = where.column;
    this.source = where.source;
  }
}

/** The FilterError for `problem` at `span` of `source`, its message ending in the snippet. */
export function filterErrorAt(source: string, span: Span, problem: string, hint?: string): FilterError {
  const column = columnOf(source, span.start);
  // A problem that already names its column (an unclosed parenthesis) does not say it twice.
  const where = problem.includes(`column ${column}`) ? '' : ` (column ${column})`;
  return new FilterError(`${problem}${where}\n${snippet(source, span)}`, { source, column, hint });
}

/** A FilterError that happened inside saved segment `name`: the same message, said to be the segment's. */
export function inSegment(name: string, error: FilterError): FilterError {
  return new FilterError(`in segment ${JSON.stringify(name)}: ${error.message}`, { source: error.source, column: error.column, hint: error.hint });
}

function columnOf(text: string, offset: number): number {
  return Array.from(text.slice(0, offset)).length + 1;
}

/**
 * Two lines: the filter (control characters shown as U+FFFD and tabs as
 * spaces, so the carets stay under their characters; a long filter cut to
 * a window around the problem), then `^` under the offending part.
 */
function snippet(text: string, span: Span): string {
  const chars = Array.from(text.slice(0, span.start)).length;
  const width = Math.max(1, Array.from(text.slice(span.start, span.end)).length);
  const all = Array.from(text).map(printable);
  let from = 0;
  let to = all.length;
  if (all.length > SNIPPET_WIDTH) {
    from = Math.max(0, Math.min(chars - SNIPPET_WIDTH / 2, all.length - SNIPPET_WIDTH));
    to = Math.min(all.length, from + SNIPPET_WIDTH);
  }
  const head = from > 0 ? '…' : '';
  const line = head + all.slice(from, to).join('') + (to < all.length ? '…' : '');
  const carets = '^'.repeat(Math.max(1, Math.min(width, to - chars)));
  return `  ${line}\n  ${' '.repeat(head.length + chars - from)}${carets}`;
}

function printable(char: string): string {
  if (char === '\t' || char === '\n' || char === '\r') return ' ';
  const code = char.codePointAt(0)!;
  return code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029 ? '\ufffd' : char;
}
