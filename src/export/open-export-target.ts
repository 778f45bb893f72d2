import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { InputFileError } from '../errors.js';

/** Where an export writes: a stream, and how to finish or abandon it. */
export interface ExportTarget {
  out: NodeJS.WritableStream;
  /** Makes a file export visible under its name (renames the complete temporary file); nothing for a stream. */
  complete(): Promise<void>;
  /** Drops a half-written file export; nothing for a stream. */
  abandon(): void;
}

/**
 * Opens `file` for an export, atomically: the text goes to a temporary file
 * (readable by its owner only) that `complete` renames, so a reader never sees
 * half an export. Without a file, writes to `stream`. Throws InputFileError
 * when the file cannot be created (say, its folder does not exist).
 */
export async function openExportTarget(file: string | undefined, stream: NodeJS.WritableStream | undefined): Promise<ExportTarget> {
  if (file === undefined) return { out: stream!, complete: async () => {}, abandon: () => {} };
  const temporary = `${file}.partial-${randomBytes(4).toString('hex')}`;
  const fileStream = createWriteStream(temporary, { mode: 0o600 });
  await Promise.race([once(fileStream, 'open'), once(fileStream, 'error').then(([error]) => Promise.reject(error))]).catch((error: NodeJS.ErrnoException) => {
    throw new InputFileError(`Cannot write ${file}: ${error.code === 'ENOENT' ? 'its folder does not exist' : error.message}.`, {
      hint: 'Choose a writable path with -o.',
    });
  });
  return {
    out: fileStream,
    complete: async () => {
      fileStream.end();
      await once(fileStream, 'finish');
      renameSync(temporary, file);
    },
    abandon: () => {
      fileStream.destroy();
      rmSync(temporary, { force: true });
    },
  };
}
