import type { ImportWarning } from '../../db/import-batches.js';
import type { CommandContext } from '../context.js';
import { createChunkedWriter } from './chunked-writer.js';
import { terminalText } from './output.js';

/**
 * `line 9  email: possible typo …` for each warning, written to stdout a page at a time as it is read (a batch may hold millions),
 * waiting for a slow reader; the values quoted are made inert.
 */
export async function writeWarningLines(ctx: CommandContext, warnings: AsyncIterable<ImportWarning[]>): Promise<void> {
  const writer = createChunkedWriter(ctx.io.stdout);
  for await (const page of warnings) for (const warning of page) {
    await writer.write(terminalText(ctx, `    line ${warning.line}: ${warning.field === 'row' ? '' : `${warning.field}: `}${warning.message.replace(/\s*\n\s*/g, ' ')}\n`));
  }
  await writer.flush();
}

/**
 * One JSON document: `document` with a `warnings` array of every warning,
 * written as it is read instead of being built whole in memory.
 */
export async function writeJsonWithWarnings(ctx: CommandContext, document: Record<string, unknown>, warnings: AsyncIterable<ImportWarning[]>): Promise<void> {
  const writer = createChunkedWriter(ctx.io.stdout);
  const head = JSON.stringify({ ...document, warnings: [] }, null, 2);
  // The document ends with `"warnings": []\n}`: the array is opened there and filled one warning at a time.
  await writer.write(`${head.slice(0, head.lastIndexOf('[]'))}[`);
  let first = true;
  for await (const page of warnings) for (const warning of page) {
    await writer.write(`${first ? '' : ','}\n    ${JSON.stringify({ line: warning.line, field: warning.field, message: warning.message })}`);
    first = false;
  }
  await writer.write(`${first ? '' : '\n  '}]\n}\n`);
  await writer.flush();
}
