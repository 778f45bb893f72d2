import type { CommandContext } from '../context.js';
import { inertText } from '../../text/inert-text.js';

/** Writes the command's one JSON document to stdout (JSON.stringify escapes control characters). */
export function writeJson(ctx: CommandContext, value: unknown): void {
  ctx.io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Writes result text to stdout (the thing the user asked for), made inert: a value holding
 * terminal escape sequences is shown escaped, never acted on.
 */
export function writeResult(ctx: CommandContext, text: string): void {
  ctx.io.stdout.write(terminalText(ctx, text.endsWith('\n') ? text : `${text}\n`));
}

/** Progress notes, summaries and warnings: stderr, silenced by --quiet; made inert like writeResult. */
export function writeNote(ctx: CommandContext, text: string): void {
  if (!ctx.quiet) ctx.io.stderr.write(terminalText(ctx, text.endsWith('\n') ? text : `${text}\n`));
}

/** A warning on stderr; shown even with --quiet; made inert like writeResult. */
export function writeWarning(ctx: CommandContext, text: string): void {
  ctx.io.stderr.write(`${ctx.paint.yellow('warning:')} ${terminalText(ctx, text)}\n`);
}

/** `text` as it may reach a terminal: inert, keeping the colours custdb painted when colour is on. */
export function terminalText(ctx: CommandContext, text: string): string {
  return inertText(text, { keepStyles: ctx.paint.level > 0 });
}
