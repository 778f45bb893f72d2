// A spreadsheet runs a cell as a formula when it starts with one of these (OWASP "CSV injection").
// A leading ' is protected too: importers (custdb's among them) strip one, so it must survive as ''.
const FORMULA_START = /^[=+\-@\t\r']/;
// A plain number, negative ones included (-12.5), is a value to a spreadsheet, never a formula.
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * Formats one CSV record (comma-separated unless `delimiter` says, RFC 4180
 * quoting, no line end).
 * With `neutralize`, a cell a spreadsheet would run as a formula gets a
 * leading `'`, which custdb's importer strips again on the way back in. Pure.
 *
 * @example formatCsvLine(['=SUM(A1)', 'a,b'], true) // `'=SUM(A1),"a,b"`
 */
export function formatCsvLine(cells: readonly (string | null | undefined)[], neutralize: boolean, delimiter = ','): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    if (i > 0) line += delimiter;
    let cell = cells[i] ?? '';
    if (cell === '') continue;
    if (neutralize && FORMULA_START.test(cell) && !PLAIN_NUMBER.test(cell)) cell = `'${cell}`;
    line += NEEDS_QUOTES.test(cell) || cell.includes(delimiter) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return line;
}
