import type { CommandContext } from '../context.js';

/** Writes the command's one JSON document to stdout. */
export function writeJson(ctx: CommandContext, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Writes result text to stdout (the thing the user asked for). */
export function writeResult(ctx: CommandContext, text: string): void {
  ctx.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** Progress notes, summaries and warnings: stderr, silenced by --quiet. */
export function writeNote(ctx: CommandContext, text: string): void {
  if (!ctx.quiet) ctx.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** A warning on stderr; shown even with --quiet. */
export function writeWarning(ctx: CommandContext, text: string): void {
  ctx.io.stderr.write(`${ctx.paint.yellow('warning:')} ${text}\n`);
}
