import type { CommandContext } from '../context.js';

/**
 * Columns text for `stream` should fit: $COLUMNS when set, else the
 * terminal's width, else `fallback` (80: a file or a pipe gets the classic width).
 */
export function terminalWidth(ctx: CommandContext, stream: 'stdout' | 'stderr', fallback = 80): number {
  const fromEnv = Number(ctx.io.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv >= 40) return fromEnv;
  const target = ctx.io[stream];
  const columns = 'columns' in target && typeof target.columns === 'number' ? target.columns : 0;
  return columns >= 40 ? columns : fallback;
}
