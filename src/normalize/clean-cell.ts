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
