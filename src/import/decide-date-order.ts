import { openCsv } from '../csv/read-csv-file.js';
import type { DateOrder } from '../normalize/parse-date.js';
import { DateEvidence, type DateOrderScan } from './date-evidence.js';
import type { ImportProbe } from './probe-import-file.js';

export interface DateOrderDecision {
  order: DateOrder | null;
  /** Values that contradict each other were found: no numeric date is read. */
  conflict: boolean;
  /** What to tell the user about it, if anything. */
  note: string | null;
}

/**
 * Decides the file's day/month order once, before any row is read for real:
 * `--date-format` if given, else the evidence in the values of the date
 * columns (`columns`, header positions), read in file order until the
 * decision rests on DECISION_WINDOW values, or values contradict each other
 * (then no numeric date is read). The probe's evidence of the first rows
 * usually decides; a file whose first rows leave it open is read on from its
 * start, only as far as the decision needs. Returns a note to show.
 */
export async function decideDateOrder(
  options: { file: string; encoding?: string; delimiter?: string; dateFormat?: DateOrder },
  probe: ImportProbe,
  columns: readonly number[],
): Promise<DateOrderDecision> {
  if (options.dateFormat) return { order: options.dateFormat, conflict: false, note: null };
  if (columns.length === 0) return { order: null, conflict: false, note: null };
  let scan = probe.dates.scan(columns);
  scan.advance();
  if (!scan.finished) scan = await scanFile(options, columns);

  const dateColumns = columns.map((i) => probe.header[i]).join(', ');
  const decided = scan.guess;
  const conflict = /conflict/i.test(decided.evidence);
  if (decided.order === null) return { order: null, conflict, note: scan.values === 0 ? null : `date order of ${dateColumns}: ${decided.evidence}` };
  return { order: decided.order, conflict, note: `read ${dateColumns} as ${decided.order} (${decided.evidence})` };
}

/** Reads the file from its start, batch by batch, until the date columns' values settle the order (or the file ends). */
async function scanFile(options: { file: string; encoding?: string; delimiter?: string }, columns: readonly number[]): Promise<DateOrderScan> {
  const evidence = new DateEvidence(columns);
  const scan = evidence.scan(columns);
  const csv = await openCsv(options.file, { encoding: options.encoding, delimiter: options.delimiter });
  try {
    for await (const batch of csv.rows) {
      evidence.addBatch(batch);
      scan.advance();
      if (scan.settled) return scan;
    }
    evidence.complete = true;
    return scan;
  } finally {
    csv.close();
  }
}
