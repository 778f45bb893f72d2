import { parseDay, parseTimestamp } from './calendar.js';
import { filterErrorAt } from './filter-error.js';

type TokenKind = 'word' | 'number' | 'string' | 'date' | 'timestamp' | 'symbol' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written (for a string: with its quotes). */
  readonly text: string;
  /** A string's content with escapes resolved; a date or timestamp normalised; otherwise the text. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

const SYMBOLS = ['!=', '<=', '>=', '=', '<', '>', '(', ')', ',', '.'] as const;
/** Operators of other languages, and = typed on the wrong side. */
const MISSPELT_OPERATORS = [
  ['==', '='],
  ['<>', '!='],
  ['=>', '>='],
  ['=<', '<='],
] as const;
const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const DATE_OR_TIMESTAMP = /\d{4}-\d{2}-\d{2}(?:T[0-9:.]+Z?)?/y;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const SPACE = /[ \t\r\n]+/y;
const ESCAPES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '\\': '\\', n: '\n', t: '\t', r: '\r' };

/**
 * The tokens of a filter, ending with an `end` token. Throws FilterError for
 * a character no token starts with, an unclosed string, a bad escape, an
 * impossible date, `==` or `<>`, and NUL anywhere (PostgreSQL cannot store
 * it, so no value may hold it).
 */
export function tokenizeFilter(source: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  const fail = (start: number, end: number, problem: string, hint?: string): never => {
    throw filterErrorAt(source, { start, end }, problem, hint);
  };
  const sticky = (pattern: RegExp): string | undefined => {
    pattern.lastIndex = at;
    return pattern.exec(source)?.[0];
  };
  while (at < source.length) {
    const space = sticky(SPACE);
    if (space !== undefined) {
      at += space.length;
      continue;
    }
    const char = source[at]!;
    const start = at;
    if (char === '\0') fail(at, at + 1, 'a filter cannot hold the NUL character');
    if (char === '"' || char === "'") {
      const { value, end } = readString(source, at, fail);
      tokens.push({ kind: 'string', text: source.slice(start, end), value, start, end });
      at = end;
      continue;
    }
    const word = sticky(WORD);
    if (word !== undefined) {
      at += word.length;
      tokens.push({ kind: 'word', text: word, value: word, start, end: at });
      continue;
    }
    const dated = sticky(DATE_OR_TIMESTAMP);
    if (dated !== undefined) {
      at += dated.length;
      const isTimestamp = dated.includes('T');
      const value = isTimestamp ? parseTimestamp(dated) : parseDay(dated);
      if (value === undefined) {
        fail(start, at, `${dated} is not a real ${isTimestamp ? 'timestamp' : 'date'}`, 'Dates are written YYYY-MM-DD (2026-01-31); timestamps 2026-01-31T09:30:00Z, in UTC.');
      }
      tokens.push({ kind: isTimestamp ? 'timestamp' : 'date', text: dated, value: value!, start, end: at });
      continue;
    }
    const number = sticky(NUMBER);
    if (number !== undefined) {
      at += number.length;
      tokens.push({ kind: 'number', text: number, value: number, start, end: at });
      continue;
    }
    const misspelt = MISSPELT_OPERATORS.find(([wrong]) => source.startsWith(wrong, at));
    if (misspelt !== undefined) fail(at, at + 2, `unknown operator ${misspelt[0]} — did you mean ${misspelt[1]}?`);
    const symbol = SYMBOLS.find((s) => source.startsWith(s, at));
    if (symbol !== undefined) {
      at += symbol.length;
      tokens.push({ kind: 'symbol', text: symbol, value: symbol, start, end: at });
      continue;
    }
    const shown = String.fromCodePoint(source.codePointAt(at)!);
    const code = shown.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    fail(at, at + shown.length, `unexpected character ${/\p{L}|\p{N}|\p{P}|\p{S}/u.test(shown) ? `${shown} ` : ''}(U+${code})`, 'Put text values in quotes: city = "Zürich".');
  }
  tokens.push({ kind: 'end', text: '', value: '', start: source.length, end: source.length });
  return tokens;
}

function readString(source: string, open: number, fail: (start: number, end: number, problem: string, hint?: string) => never): { value: string; end: number } {
  const quote = source[open]!;
  let value = '';
  let at = open + 1;
  while (at < source.length) {
    const char = source[at]!;
    if (char === quote) return { value, end: at + 1 };
    if (char === '\0') fail(at, at + 1, 'a filter cannot hold the NUL character');
    if (char !== '\\') {
      value += char;
      at += 1;
      continue;
    }
    const escaped = source[at + 1];
    if (escaped === 'u') {
      const hex = source.slice(at + 2, at + 6);
      if (!/^[0-9A-Fa-f]{4}$/.test(hex)) fail(at, Math.min(source.length, at + 6), 'a \\u escape takes four hexadecimal digits, as in \\u00e9');
      if (hex === '0000') fail(at, at + 6, 'a filter cannot hold the NUL character');
      value += String.fromCharCode(Number.parseInt(hex, 16));
      at += 6;
      continue;
    }
    const resolved = escaped === undefined ? undefined : ESCAPES[escaped];
    if (resolved === undefined) {
      fail(at, Math.min(source.length, at + 2), `unknown escape \\${escaped ?? ''} in a string`, 'Inside quotes, \\" \\\' \\\\ \\n \\t \\r and \\uXXXX are the escapes; a lone backslash is written \\\\.');
    }
    value += resolved;
    at += 2;
  }
  return fail(open, open + 1, `unclosed string: the ${quote} at this column has no closing ${quote}`);
}
