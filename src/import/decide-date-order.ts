import { openCsv } from '../csv/read-csv-file.js';
import type { Mapping } from '../mapping/mapping-schema.js';
import { detectDateOrder, type DateOrder } from '../normalize/parse-date.js';

const DATE_FIELDS = new Set(['birth_date', 'signup_date']);
/** Date values read before an order is settled; later values that contradict it are warned about one by one. */
const DECISION_WINDOW = 1000;

/**
 * Decides the file's day/month order once, before any row is read for real:
 * `--date-format` if given, else the evidence in the date columns' values
 * (the scan stops once a decision rests on DECISION_WINDOW values; values
 * that contradict each other within it mean no numeric date is read). Returns a note to show.
 */
export async function decideDateOrder(
  options: { file: string; encoding?: string; delimiter?: string; dateFormat?: DateOrder },
  mapping: Mapping,
  header: readonly string[],
): Promise<{ order: DateOrder | null; conflict: boolean; note: string | null }> {
  if (options.dateFormat) return { order: options.dateFormat, conflict: false, note: null };
  const columns = mapping.columns.filter((c) => c.target.kind === 'field' && DATE_FIELDS.has(c.target.field)).map((c) => c.index);
  if (columns.length === 0) return { order: null, conflict: false, note: null };
  const csv = await openCsv(options.file, { encoding: options.encoding, delimiter: options.delimiter });
  const samples: string[] = [];
  let decided: ReturnType<typeof detectDateOrder> = { order: null, evidence: 'no dates' };
  try {
    for await (const batch of csv.rows) {
      for (const record of batch) for (const index of columns) {
        const cell = record.cells[index]?.trim();
        if (cell) samples.push(cell);
      }
      decided = detectDateOrder(samples);
      // Contradictions are final; a decision is final once it rests on a fair window of values.
      if (/conflict/i.test(decided.evidence) || (decided.order !== null && samples.length >= DECISION_WINDOW)) break;
      if (samples.length > 10_000) samples.splice(0, samples.length - 100);
    }
  } finally {
    await csv.close();
  }
  const dateColumns = columns.map((i) => header[i]).join(', ');
  const conflict = /conflict/i.test(decided.evidence);
  if (decided.order === null) return { order: null, conflict, note: samples.length === 0 ? null : `date order of ${dateColumns}: ${decided.evidence}` };
  return { order: decided.order, conflict, note: `read ${dateColumns} as ${decided.order} (${decided.evidence})` };
}
