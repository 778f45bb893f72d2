import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { openCsv } from '../csv/read-csv-file.js';
import type { CsvRecord } from '../csv/tokenize-csv.js';
import { InputFileError } from '../errors.js';
import { DateEvidence, DECISION_WINDOW } from './date-evidence.js';

/** Data rows kept for mapping guesses and for the mapping wizard to show. */
const SAMPLE_ROWS = 20;
/**
 * How far into the file the probe keeps date evidence: this many data rows, or
 * this many bytes if they come first. Enough for nearly every file's day/month
 * order; one whose first rows all read either way (12/1/2010 … 12/12/2010) is
 * read on from its start by the decision itself.
 */
const DATE_ROWS = 10_000;
const DATE_BYTES = 8 * 1024 * 1024;

/** What an import needs to know about its file before reading it for real, from one read of it. */
export interface ImportProbe {
  file: string;
  /** Column names, cleaned (unique, non-blank). */
  header: string[];
  /** The first data rows, as they are in the file, for mapping guesses. */
  samples: string[][];
  /** The first data rows that are not blank (a spreadsheet's ",,,," rows), for the mapping wizard to show. */
  nonBlankSamples: string[][];
  encoding: string;
  encodingAssumed: boolean;
  delimiter: string;
  /** What the user should hear about how the file was read. */
  notes: string[];
  /** Every column's date evidence over the first rows (see DateEvidence), for the day/month decision. */
  dates: DateEvidence;
  /**
   * SHA-256 of the file's bytes as lower-case hex. The probe hashed what it
   * read; this reads on from there to the end (once: later calls share it).
   */
  sha256(): Promise<string>;
}

/**
 * Reads the head of a file once for everything an import decides before its
 * real pass — encoding, delimiter and header (as `openCsv` sniffs them), the
 * first rows for mapping, the date evidence of the first rows' columns — and
 * hashes the bytes as they go by, so that `sha256()` only reads the rest.
 * Throws what `openCsv` throws (missing, empty, binary or unusually separated
 * file), and what reading the sample rows throws. A problem further on (a
 * byte that does not decode) only ends the date evidence early: the import's
 * real pass reports it where it is.
 */
export async function probeImportFile(options: { file: string; encoding?: string; delimiter?: string }): Promise<ImportProbe> {
  const hash = createHash('sha256');
  const csv = await openCsv(options.file, { encoding: options.encoding, delimiter: options.delimiter, onChunk: (bytes) => hash.update(bytes) });
  const samples: string[][] = [];
  const nonBlankSamples: string[][] = [];
  const dates = new DateEvidence(csv.header.map((_, index) => index));
  const batches = csv.rows[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<CsvRecord[]>;
      try {
        next = await batches.next();
      } catch (error) {
        if (samples.length < SAMPLE_ROWS || nonBlankSamples.length < SAMPLE_ROWS) throw error;
        break;
      }
      if (next.done === true) {
        dates.complete = true;
        break;
      }
      const batch = next.value;
      for (const record of batch.slice(0, SAMPLE_ROWS - samples.length)) samples.push(record.cells);
      for (const record of batch) {
        if (nonBlankSamples.length >= SAMPLE_ROWS) break;
        if (record.cells.some((cell) => cell.trim() !== '')) nonBlankSamples.push(record.cells);
      }
      dates.addBatch(batch);
      if (dates.rows >= DATE_ROWS || csv.bytesRead() >= DATE_BYTES || dates.fewestValues() >= DECISION_WINDOW) break;
    }
  } finally {
    await batches.return?.();
    csv.close();
  }

  const notes = [...csv.headerWarnings];
  if (csv.encodingAssumed) notes.push(`the file is not UTF-8; read it as ${csv.encoding} (use --encoding to change)`);
  if (csv.mojibakeSuspected) {
    notes.push('text looks double-encoded (Ã© where é was meant): the file was probably saved from UTF-8 read as Windows-1252 somewhere upstream');
  }
  if (csv.sepLine) notes.push(`skipped Excel's "sep=${csv.delimiter}" first line`);

  const hashedUpTo = csv.bytesRead();
  let digest: Promise<string> | undefined;
  return {
    file: options.file,
    header: csv.header,
    samples,
    nonBlankSamples,
    encoding: csv.encoding,
    encodingAssumed: csv.encodingAssumed,
    delimiter: csv.delimiter,
    notes,
    dates,
    sha256: () => (digest ??= hashRest(options.file, hash, hashedUpTo)),
  };
}

/** Feeds the file's bytes from `start` on to `hash`, streamed (memory does not grow with the file), and returns the digest. */
async function hashRest(file: string, hash: Hash, start: number): Promise<string> {
  try {
    for await (const chunk of createReadStream(file, { start, highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (error) {
    throw new InputFileError(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return hash.digest('hex');
}
