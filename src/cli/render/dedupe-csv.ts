import { formatCsvLine } from '../../csv/format-csv-line.js';
import type { DuplicateGroup } from '../../dedupe-run/list-duplicate-groups.js';
import type { GroupsWithCards } from '../../dedupe-run/load-customer-cards.js';
import { createChunkedWriter } from './chunked-writer.js';
import { topReasons } from './dedupe-words.js';

const HEADER = ['group', 'probability', 'customer_id', 'first_name', 'last_name', 'email', 'phone', 'postal_code', 'city', 'flagged_at_import', 'why'];

/**
 * Writes `dedupe --format csv` to `out` as the batches arrive: one row per
 * customer per group, spreadsheet formulas neutralised.
 */
export async function writeDedupeCsv(out: NodeJS.WritableStream, batches: AsyncIterable<GroupsWithCards<DuplicateGroup>>): Promise<void> {
  const writer = createChunkedWriter(out);
  await writer.write(`${formatCsvLine(HEADER, true)}\n`);
  for await (const batch of batches) {
    for (const group of batch.groups) {
      const why = group.strongest ? topReasons(group.strongest.reasons, 3).map((r) => r.words).join('; ') : '';
      for (const id of group.ids) {
        const c = batch.cards.get(id);
        const cells = [String(group.number), group.probability.toFixed(4), String(id), c?.first_name, c?.last_name, c?.email, c?.phone_e164 ?? c?.phone, c?.postal_code, c?.city, group.flaggedAtImport ? 'yes' : 'no', why];
        await writer.write(`${formatCsvLine(cells, true)}\n`);
      }
    }
  }
  await writer.flush();
}
