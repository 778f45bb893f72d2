import { createWriteStream, existsSync, openSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { encodingFor, type TextEncoding } from '../csv/encode-text.js';
import { formatCsvLine } from '../csv/format-csv-line.js';
import { OutputFileError } from '../errors.js';

/** How the input file was written, and so how its rejects are. */
export interface RejectsFormat {
  delimiter: string;
  /** Canonical TextDecoder name of the input's encoding. */
  encoding: string;
  /** The input starts with a byte order mark. */
  bom: boolean;
  /** The input starts with Excel's `sep=X` line. */
  sepLine: boolean;
}

/**
 * Collects rejected rows into a CSV beside the input: the original header and
 * cells exactly as they came, plus `_line` and `_reasons` — ready to fix and
 * import again. Written as the input was: same delimiter, same encoding (a
 * Windows-1252 file's rejects open in the same spreadsheet the same way), byte
 * order mark and `sep=` line if it had them; only an input in a multi-byte
 * encoding other than UTF-8/16 gets UTF-8 rejects, and `note` says so. Written
 * to a temporary name and renamed when complete; no file at all when nothing
 * was rejected. Throws OutputFileError, naming --rejects, when the file cannot
 * be created (from the first `add`) or written (from `close`).
 */
export class RejectsFile {
  private stream: WriteStream | undefined;
  /** The first failed write: streams report those as events, and the import hears of it at `close`. */
  private writeError: NodeJS.ErrnoException | undefined;
  private count = 0;
  /** A device or pipe (/dev/null, /dev/stdout) is written in place: renaming over it would replace it with a file. */
  private readonly inPlace: boolean;
  private readonly encoding: TextEncoding;
  /** Set when the rejects cannot be written in the input's encoding. */
  readonly note: string | undefined;

  constructor(
    readonly path: string,
    private readonly header: readonly string[],
    private readonly format: RejectsFormat,
  ) {
    this.inPlace = existsSync(path) && !statSync(path).isFile();
    const same = encodingFor(format.encoding);
    this.encoding = same ?? encodingFor('utf-8')!;
    if (!same) this.note = `the rejects file is in UTF-8: custdb cannot write ${format.encoding}`;
  }

  add(line: number, cells: readonly string[], reasons: readonly string[]): void {
    if (!this.stream) {
      this.stream = createWriteStream('', { fd: this.openTemporaryFile() });
      this.stream.on('error', (error: NodeJS.ErrnoException) => (this.writeError ??= error));
      if (this.format.bom || this.note) this.stream.write(this.encoding.bom);
      if (this.format.sepLine) this.write(`sep=${this.format.delimiter}`);
      this.write(formatCsvLine([...this.header, '_line', '_reasons'], true, this.format.delimiter));
    }
    this.count += 1;
    this.write(formatCsvLine([...cells, String(line), reasons.join('; ')], true, this.format.delimiter));
  }

  get size(): number {
    return this.count;
  }

  /** Finishes the file; returns its path, or null when there were no rejects. */
  async close(): Promise<string | null> {
    const stream = this.stream;
    if (!stream) return null;
    await new Promise<void>((resolve) => stream.end(() => resolve()));
    if (this.writeError) {
      this.discard();
      throw this.cannotWrite(this.writeError);
    }
    if (!this.inPlace) renameSync(this.temporaryPath, this.path);
    return this.path;
  }

  /** Drops a half-written file (the import could not run). */
  discard(): void {
    // Writes still queued fail once the stream is gone; that is expected here, not an error to report.
    if (!this.stream) return;
    this.stream.on('error', () => {});
    this.stream.destroy();
    if (!this.inPlace) rmSync(this.temporaryPath, { force: true });
  }

  /** Opens synchronously, so a folder that cannot take the file stops the import at its first reject rather than as a stray stream event. */
  private openTemporaryFile(): number {
    try {
      return openSync(this.temporaryPath, 'w', 0o600);
    } catch (error) {
      throw this.cannotWrite(error as NodeJS.ErrnoException);
    }
  }

  private cannotWrite(error: NodeJS.ErrnoException): OutputFileError {
    const folder = path.resolve(path.dirname(this.path));
    const reasons: Partial<Record<string, string>> = {
      EACCES: `you may not write in ${folder}`,
      EPERM: `you may not write in ${folder}`,
      EROFS: `${folder} is on a read-only file system`,
      ENOENT: `the folder ${folder} does not exist`,
      ENOTDIR: `${folder} is not a folder`,
      ENOSPC: 'the disk is full',
    };
    return new OutputFileError(`Cannot write the rejected rows to ${this.path}: ${reasons[error.code ?? ''] ?? error.message}. Nothing was imported.`, {
      hint: 'Choose where rejected rows go with --rejects FILE (a path you can write to).',
      cause: error,
    });
  }

  private write(line: string): void {
    this.stream!.write(this.encoding.encode(`${line}\r\n`));
  }

  private get temporaryPath(): string {
    return this.inPlace ? this.path : `${this.path}.partial`;
  }
}

/** Where rejects go unless --rejects says: NAME.rejects.csv beside the input. */
export function defaultRejectsPath(file: string): string {
  return `${file.replace(/\.(csv|tsv|txt)$/i, '')}.rejects.csv`;
}

/**
 * The most rejected rows a file may have and still be written: a count, or a
 * share of its data rows rounded up, so 10% of a 5-row file allows 1 (not 0).
 */
export function maxRejectsFor(option: { count: number } | { percent: number }, rows: number): number {
  if ('count' in option) return option.count;
  // Less a hair, so that a share that is a whole number (10% of 30 rows) is not pushed up by floating-point error.
  return Math.max(0, Math.ceil((option.percent * rows) / 100 - 1e-9));
}
