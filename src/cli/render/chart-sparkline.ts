const LEVELS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One glyph per value, its height scaled from 0 (or the lowest value, when
 * below 0) to the highest: the shape of a monthly series in a line of text.
 * Equal values draw equal glyphs; all zeros draw the lowest one.
 *
 * @example renderSparkline([0, 4, 8]) // '▁▄█'
 */
export function renderSparkline(values: readonly number[]): string {
  const low = Math.min(0, ...values);
  const span = Math.max(...values) - low;
  return values.map((value) => LEVELS[span === 0 ? 0 : Math.round(((value - low) / span) * (LEVELS.length - 1))]).join('');
}
