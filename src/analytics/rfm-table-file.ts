import type { RfmTable } from '../db/rfm-table.js';
import { UsageError } from '../errors.js';

/**
 * A user's RFM segment table, as a JSON file: one key per recency score "1"…"5",
 * each a list of five segment names for frequency scores 1…5, e.g.
 *
 *   { "1": ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can't Lose Them"],
 *     "2": […], "3": […], "4": […], "5": ["New Customers", …, "Champions"] }
 *
 * Every cell must be named (a table with a hole would leave customers without a
 * segment); names are trimmed, non-empty and at most 60 characters.
 */
const SCORES = ['1', '2', '3', '4', '5'] as const;
const MAX_NAME = 60;
const EXAMPLE = 'e.g. {"1": ["Hibernating", "Hibernating", "At Risk", "At Risk", "Can\'t Lose Them"], "2": […], …, "5": […]}';

function invalid(source: string, problem: string): UsageError {
  return new UsageError(`${source} is not an RFM table: ${problem}.`, {
    hint: `Give a JSON object with keys "1" to "5" (recency), each a list of 5 segment names (frequency 1 to 5), ${EXAMPLE}.`,
  });
}

/** Parses and checks an RFM table file's text (`source` names it in errors); throws UsageError naming the fix. */
export function parseRfmTableJson(text: string, source: string): RfmTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(source, `it is not valid JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid(source, 'it is not a JSON object');
  const rows = parsed as Record<string, unknown>;
  const extra = Object.keys(rows).filter((key) => !(SCORES as readonly string[]).includes(key));
  if (extra.length > 0) throw invalid(source, `unexpected key ${JSON.stringify(extra[0])} (recency scores are "1" to "5")`);
  return SCORES.map((r) => {
    const row = rows[r];
    if (row === undefined) throw invalid(source, `recency score "${r}" is missing`);
    if (!Array.isArray(row) || row.length !== 5) throw invalid(source, `recency "${r}" must list exactly 5 names, one per frequency score 1 to 5`);
    return row.map((cell: unknown, f) => {
      const name = typeof cell === 'string' ? cell.trim() : '';
      if (name === '') throw invalid(source, `recency "${r}", frequency ${f + 1} has no segment name`);
      if (name.length > MAX_NAME) throw invalid(source, `recency "${r}", frequency ${f + 1}: a name is at most ${MAX_NAME} characters`);
      return name;
    });
  });
}

/** The stored form of a table (the setting's value): its JSON in the file's own shape. */
export function formatRfmTable(table: RfmTable): string {
  return JSON.stringify(Object.fromEntries(table.map((row, r) => [SCORES[r], row])));
}

