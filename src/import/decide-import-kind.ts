import { UsageError } from '../errors.js';
import { inferKind } from '../mapping/infer-kind.js';
import type { ImportKind } from '../mapping/mapping-schema.js';

/**
 * What a file holds: `--as` when given, else inferred from its header (read
 * only when needed). Throws UsageError (exit 2) asking for --as when the header is ambiguous.
 */
export async function decideImportKind(file: string, options: { as?: ImportKind; header: () => Promise<readonly string[]> }): Promise<ImportKind> {
  if (options.as) return options.as;
  const inferred = inferKind(await options.header());
  const scores = (Object.entries(inferred.scores) as [ImportKind, number][]).map(([kind, score]) => `${kind} ${score}`).join(', ');
  if (inferred.ambiguous) {
    throw new UsageError(`Cannot tell from its header whether ${file} holds customers, orders or interactions (scores: ${scores}).`, {
      hint: 'Say which with --as customers, --as orders or --as interactions.',
    });
  }
  return inferred.kind ?? 'customers';
}
