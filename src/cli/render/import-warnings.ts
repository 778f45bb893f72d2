import type { ImportWarning } from '../../db/import-batches.js';
import type { CommandContext } from '../context.js';
import { terminalText } from './output.js';

// Lines are gathered into chunks of about this many characters: a batch may hold millions of warnings.
const CHUNK = 64 * 1024;

/** `line 9  email: possible typo …` for each warning, written to stdout as it is read; the values quoted are made inert. */
export function writeWarningLines(ctx: CommandContext, warnings: Iterable<ImportWarning>): void {
  let chunk = '';
  for (const warning of warnings) {
    chunk += `    line ${warning.line}: ${warning.field === 'row' ? '' : `${warning.field}: `}${warning.message.replace(/\s*\n\s*/g, ' ')}\n`;
    if (chunk.length >= CHUNK) {
      ctx.io.stdout.write(terminalText(ctx, chunk));
      chunk = '';
    }
  }
  if (chunk !== '') ctx.io.stdout.write(terminalText(ctx, chunk));
}

/**
 * One JSON document: `document` with a `warnings` array of every warning,
 * written as it is read instead of being built whole in memory.
 */
export function writeJsonWithWarnings(ctx: CommandContext, document: Record<string, unknown>, warnings: Iterable<ImportWarning>): void {
  const head = JSON.stringify({ ...document, warnings: [] }, null, 2);
  // The document ends with `"warnings": []\n}`: the array is opened there and filled one warning at a time.
  ctx.io.stdout.write(`${head.slice(0, head.lastIndexOf('[]'))}[`);
  let chunk = '';
  let first = true;
  for (const warning of warnings) {
    chunk += `${first ? '' : ','}\n    ${JSON.stringify({ line: warning.line, field: warning.field, message: warning.message })}`;
    first = false;
    if (chunk.length >= CHUNK) {
      ctx.io.stdout.write(chunk);
      chunk = '';
    }
  }
  ctx.io.stdout.write(`${chunk}${first ? '' : '\n  '}]\n}\n`);
}
