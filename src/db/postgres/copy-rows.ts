import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { InputFileError } from '../../errors.js';

export type CopyValue = string | number | null;

/** Text handed to the COPY stream per write: big enough to cost few calls, small enough not to double memory. */
const PIECE_CHARS = 1 << 20;
const SPECIAL = /[\\\t\n\r\u0000]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Rows for one table, kept as COPY text (PostgreSQL's text format: tab
 * between columns, `\N` for NULL, backslash escapes) until `copyInto` writes
 * them. Text holding U+0000 is refused as it is added (see refuseNul).
 */
export class CopyRows {
  private text = '';
  private pieces: string[] = [];
  private rows = 0;

  constructor(
    readonly table: string,
    readonly columns: readonly string[],
  ) {}

  get size(): number {
    return this.rows;
  }

  add(values: readonly CopyValue[]): void {
    let line = '';
    for (let i = 0; i < values.length; i++) {
      if (i > 0) line += '\t';
      const value = values[i];
      if (value === null || value === undefined) line += '\\N';
      else if (typeof value === 'number') line += String(value);
      else line += escapeCopyText(value, this.table, this.columns[i]!);
    }
    this.text += line + '\n';
    this.rows += 1;
    if (this.text.length >= PIECE_CHARS) {
      this.pieces.push(this.text);
      this.text = '';
    }
  }

  /** The rows added so far, as rows of their own; this starts empty again. */
  take(): CopyRows {
    const taken = new CopyRows(this.table, this.columns);
    taken.text = this.text;
    taken.pieces = this.pieces;
    taken.rows = this.rows;
    this.text = '';
    this.pieces = [];
    this.rows = 0;
    return taken;
  }

  /** Writes the rows with COPY … FROM STDIN on `client` and forgets them. */
  async copyInto(client: pg.ClientBase): Promise<void> {
    if (this.rows === 0) return;
    const pieces = this.text === '' ? this.pieces : [...this.pieces, this.text];
    this.pieces = [];
    this.text = '';
    this.rows = 0;
    const stream = client.query(copyFrom(`COPY ${this.table} (${this.columns.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(pieces.map((piece) => Buffer.from(piece, 'utf8'))), stream);
  }
}

/** `value` as a field of COPY's text format. */
function escapeCopyText(value: string, table: string, column: string): string {
  if (!SPECIAL.test(value)) return value;
  refuseNul(value, `${table}.${column}`);
  return value.replace(SPECIAL_ALL, (char) => ESCAPES[char]!);
}

/**
 * PostgreSQL cannot store U+0000 in text (SQLite can). An import rejects a
 * row with a NUL in any cell before it gets here (nulCellReason, the same on
 * both dialects): this is the last guard for a value that reached the writer
 * some other way, and stops the write rather than change it behind the
 * user's back.
 */
export function refuseNul(value: string, what: string): void {
  const at = value.indexOf('\u0000');
  if (at < 0) return;
  throw new NulValueError(what, JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value));
}

/** refuseNul's refusal, worded for an import; `what` and `shown` let a caller that is not one (a restore) say it its own way. */
export class NulValueError extends InputFileError {
  constructor(
    readonly what: string,
    readonly shown: string,
  ) {
    super(`A value for ${what} holds a NUL character (U+0000), which PostgreSQL cannot store: ${shown}. Nothing was imported.`, {
      hint: "Remove the NUL characters from the file (for example: tr -d '\\000' < FILE > CLEAN.csv) and import it again.",
    });
  }
}
