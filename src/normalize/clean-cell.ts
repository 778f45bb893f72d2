const SCIENTIFIC_NOTATION = /^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d{1,3}$/;

/**
 * Removes the one leading apostrophe Excel uses to force a cell to text
 * (`'0123` → `0123`). Only the first apostrophe goes; nothing else changes.
 */
export function stripExcelApostrophe(raw: string): string {
  return raw.charCodeAt(0) === 39 ? raw.slice(1) : raw;
}

/**
 * True when the cell holds a number Excel rewrote in scientific notation
 * (`7.98535E+12`, `4.41E+11`): the original digits are lost. Never throws.
 */
export function isScientificNotation(raw: string): boolean {
  return SCIENTIFIC_NOTATION.test(raw.trim());
}

/**
 * Why a row is rejected when one of its cells holds U+0000, or null. A NUL
 * in a text file is a sign of damage (a UTF-16 or binary file read as text,
 * a broken export), not of data anyone typed, and PostgreSQL cannot store it
 * in text: such a row goes to the rejects file with this reason, the same on
 * every dialect, rather than being stored on one and cut short on another, or
 * silently changed. Never throws.
 * @example nulCellReason(['Ann', 'a\u0000b']) // 'column 2 contains a NUL character (U+0000)'
 */
export function nulCellReason(cells: readonly string[]): string | null {
  for (let i = 0; i < cells.length; i++) if (cells[i]!.includes('\u0000')) return `column ${i + 1} contains a NUL character (U+0000)`;
  return null;
}
