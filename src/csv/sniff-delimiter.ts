import { CsvTokenizer } from './tokenize-csv.js';

export interface DelimiterGuess {
  delimiter: string;
  /** True when the text starts with an Excel `sep=X` line, which is not part of the data. */
  sepLine: boolean;
  /** Characters to skip before the CSV data starts: the `sep=` line and its line break (0 without one). */
  skipLength: number;
  /**
   * Set when none of the usual delimiters splits the header but another
   * character (`:`, `^`, `~`…) splits the header and every sampled row into the
   * same number of columns: the file is probably separated by that instead.
   */
  unusualDelimiter?: string;
}

/** Candidates in tie-break order: the most common delimiter first. */
const CANDIDATES = [',', ';', '\t', '|'] as const;
const SAMPLE_CHARS = 64 * 1024;
const SAMPLE_RECORDS = 10;
const SEP_LINE = /^\uFEFF?"?sep=([^"\r\n])"?[ \t]*(\r\n|\n|\r|$)/i;
/**
 * Separators seen in exports from older systems. Not sniffed as delimiters (a
 * one-column file may hold them in its values) but named when they split every
 * row alike. Space, dot, dash, @ and / are left out: names, emails and dates are full of them.
 */
const UNUSUAL_CANDIDATES = [':', '^', '~', '#', '!', '+', '*', '=', '&', '\\'] as const;

/**
 * Picks the delimiter of a CSV text from its start (decoded; `complete` when
 * the text is the whole file). An Excel `sep=X` first line wins. Otherwise
 * each of `,` `;` tab `|` is counted outside quotes on the first 10 records,
 * and the winner is, in order of preference:
 * 1. present in the header and the same count on every record — highest count wins;
 * 2. else present in the header, agreeing with the header's count on most records, then highest count;
 * 3. ties go to `,` then `;` then tab then `|`.
 * A text none of them splits (a single column) gives ',', and `unusualDelimiter`
 * when a rarer separator splits it evenly. Never throws.
 */
export function sniffDelimiter(text: string, options: { complete?: boolean } = {}): DelimiterGuess {
  const sep = SEP_LINE.exec(text);
  if (sep !== null && sep[1] !== undefined) {
    return { delimiter: sep[1], sepLine: true, skipLength: sep[0].length };
  }

  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const sampleIsWhole = options.complete === true && sample.length === text.length;
  let best: { delimiter: string; consistent: boolean; agreeing: number; count: number } | undefined;
  for (const delimiter of CANDIDATES) {
    const counts = countPerRecord(sample, delimiter, sampleIsWhole);
    const count = counts[0] ?? 0;
    if (count === 0) continue;
    const agreeing = counts.filter((c) => c === count).length / counts.length;
    const candidate = { delimiter, consistent: agreeing === 1, agreeing, count };
    if (best === undefined || isBetter(candidate, best)) best = candidate;
  }
  if (best !== undefined) return { delimiter: best.delimiter, sepLine: false, skipLength: 0 };
  const unusualDelimiter = UNUSUAL_CANDIDATES.find((candidate) => {
    const counts = countPerRecord(sample, candidate, sampleIsWhole);
    // A header and at least one row, each split the same number of times.
    return counts.length >= 2 && (counts[0] ?? 0) > 0 && counts.every((c) => c === counts[0]);
  });
  return { delimiter: ',', sepLine: false, skipLength: 0, ...(unusualDelimiter === undefined ? {} : { unusualDelimiter }) };
}

function isBetter(
  a: { consistent: boolean; agreeing: number; count: number },
  b: { consistent: boolean; agreeing: number; count: number },
): boolean {
  if (a.consistent !== b.consistent) return a.consistent;
  if (!a.consistent && a.agreeing !== b.agreeing) return a.agreeing > b.agreeing;
  return a.count > b.count; // equal counts: the earlier candidate stays
}

/** Delimiters per record (cells - 1), quote-aware, for the first records of the sample. */
function countPerRecord(sample: string, delimiter: string, sampleIsWhole: boolean): number[] {
  const tokenizer = new CsvTokenizer(delimiter);
  const records = tokenizer.push(sample);
  if (sampleIsWhole) records.push(...tokenizer.end());
  else if (records.length === 0) records.push(...tokenizer.end()); // one record longer than the sample
  return records.slice(0, SAMPLE_RECORDS).map((record) => record.cells.length - 1);
}
