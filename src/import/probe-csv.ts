import { openCsv } from '../csv/read-csv-file.js';

export interface CsvProbe {
  header: string[];
  /** The first data rows, for mapping guesses (as many as asked for). */
  samples: string[][];
  encoding: string;
  encodingAssumed: boolean;
  delimiter: string;
  /** What the user should hear about how the file was read. */
  notes: string[];
}

/** Reads a file's header, its first `sampleRows` rows, and what was sniffed about it (encoding, delimiter, Excel's sep= line). */
export async function probeCsv(options: { file: string; encoding?: string; delimiter?: string }, sampleRows = 0): Promise<CsvProbe> {
  const csv = await openCsv(options.file, { encoding: options.encoding, delimiter: options.delimiter });
  const samples: string[][] = [];
  try {
    if (sampleRows > 0) {
      for await (const batch of csv.rows) {
        for (const record of batch.slice(0, sampleRows - samples.length)) samples.push(record.cells);
        if (samples.length >= sampleRows) break;
      }
    }
  } finally {
    csv.close();
  }
  const notes = [...csv.headerWarnings];
  if (csv.encodingAssumed) notes.push(`the file is not UTF-8; read it as ${csv.encoding} (use --encoding to change)`);
  if (csv.mojibakeSuspected) {
    notes.push('text looks double-encoded (Ã© where é was meant): the file was probably saved from UTF-8 read as Windows-1252 somewhere upstream');
  }
  if (csv.sepLine) notes.push(`skipped Excel's "sep=${csv.delimiter}" first line`);
  return { header: csv.header, samples, encoding: csv.encoding, encodingAssumed: csv.encodingAssumed, delimiter: csv.delimiter, notes };
}
