/** Partial blocks by eighths of a column: index n draws n/8. */
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * A horizontal bar for `value` out of `max`, `width` columns at full length,
 * drawn in eighths of a column; '' for nothing. A value above 0 always shows
 * at least ▏, so a small count is not read as none.
 *
 * @example renderBar(3, 8, 4) // '█▌'
 */
export function renderBar(value: number, max: number, width: number): string {
  if (!(value > 0) || !(max > 0)) return '';
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}
