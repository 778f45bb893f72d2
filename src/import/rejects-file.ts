import { createWriteStream, existsSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { formatCsvLine } from '../csv/format-csv-line.js';

/**
 * Collects rejected rows into a CSV beside the input: the original header and
 * cells exactly as they came, plus `_line` and `_reasons` — ready to fix and
 * import again. Written to a temporary name and renamed when complete; no
 * file at all when nothing was rejected.
 */
export class RejectsFile {
  private stream: WriteStream | undefined;
  private count = 0;
  /** A device or pipe (/dev/null, /dev/stdout) is written in place: renaming over it would replace it with a file. */
  private readonly inPlace: boolean;

  constructor(
    readonly path: string,
    private readonly header: readonly string[],
  ) {
    this.inPlace = existsSync(path) && !statSync(path).isFile();
  }

  add(line: number, cells: readonly string[], reasons: readonly string[]): void {
    if (!this.stream) {
      this.stream = createWriteStream(this.temporaryPath, { mode: 0o600 });
      this.stream.write(`${formatCsvLine([...this.header, '_line', '_reasons'], true)}\r\n`);
    }
    this.count += 1;
    this.stream.write(`${formatCsvLine([...cells, String(line), reasons.join('; ')], true)}\r\n`);
  }

  get size(): number {
    return this.count;
  }

  /** Finishes the file; returns its path, or null when there were no rejects. */
  async close(): Promise<string | null> {
    const stream = this.stream;
    if (!stream) return null;
    await new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (!this.inPlace) renameSync(this.temporaryPath, this.path);
    return this.path;
  }

  /** Drops a half-written file (the import could not run). */
  discard(): void {
    // Writes still queued fail once the stream is gone; that is expected here, not an error to report.
    this.stream?.on('error', () => {});
    this.stream?.destroy();
    if (!this.inPlace) rmSync(this.temporaryPath, { force: true });
  }

  private get temporaryPath(): string {
    return this.inPlace ? this.path : `${this.path}.partial`;
  }
}

/** Where rejects go unless --rejects says: NAME.rejects.csv beside the input. */
export function defaultRejectsPath(file: string): string {
  return `${file.replace(/\.(csv|tsv|txt)$/i, '')}.rejects.csv`;
}

/** The most rejected rows a file may have and still be written: a count, or a share of its data rows. */
export function maxRejectsFor(option: { count: number } | { percent: number }, rows: number): number {
  return 'count' in option ? option.count : Math.floor((option.percent / 100) * rows);
}
