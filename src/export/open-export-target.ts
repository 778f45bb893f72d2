import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { InputFileError } from '../errors.js';

/** Where an export writes, and how to finish or abandon it. */
export interface ExportTarget {
  /**
   * Writes `text`; returns a promise to await when the output needs to drain first
   * (undefined when it does not). Rejects with the output's error once it has failed or
   * closed (a reader that stopped reading: EPIPE), so the export stops instead of waiting.
   */
  write(text: string): Promise<void> | undefined;
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
  if (file === undefined) {
    if (stream === undefined) throw new Error('an export needs a file or a stream');
    const writes = watchWrites(stream);
    return { write: writes.write, complete: async () => writes.stopWatching(), abandon: () => writes.stopWatching() };
  }
  const temporary = `${file}.partial-${randomBytes(4).toString('hex')}`;
  const fileStream = createWriteStream(temporary, { mode: 0o600 });
  await Promise.race([once(fileStream, 'open'), once(fileStream, 'error').then(([error]) => Promise.reject(error))]).catch((error: NodeJS.ErrnoException) => {
    throw new InputFileError(`Cannot write ${file}: ${error.code === 'ENOENT' ? 'its folder does not exist' : error.message}.`, {
      hint: 'Choose a writable path with -o.',
    });
  });
  const writes = watchWrites(fileStream);
  return {
    write: writes.write,
    complete: async () => {
      fileStream.end();
      await once(fileStream, 'finish');
      writes.stopWatching();
      renameSync(temporary, file);
    },
    abandon: () => {
      writes.stopWatching();
      fileStream.destroy();
      rmSync(temporary, { force: true });
    },
  };
}

/**
 * Writes with back-pressure that also notices failure. A stream that failed is destroyed and
 * never emits 'drain' again, so waiting for 'drain' alone would wait forever (a closed pipe
 * whose error arrived between two writes).
 */
function watchWrites(out: NodeJS.WritableStream): { write: ExportTarget['write']; stopWatching(): void } {
  let failure: Error | undefined;
  const noteFailure = (error: Error) => {
    failure ??= error;
  };
  out.on('error', noteFailure);
  const drained = () =>
    new Promise<void>((resolve, reject) => {
      const settle = () => {
        out.off('drain', settle);
        out.off('error', settle);
        out.off('close', closed);
        if (failure === undefined) resolve();
        else reject(failure);
      };
      const closed = () => {
        failure ??= new Error('the output closed before the export was complete');
        settle();
      };
      out.on('drain', settle);
      out.on('error', settle);
      out.on('close', closed);
    });
  return {
    write(text) {
      if (failure !== undefined) return Promise.reject(failure);
      return out.write(text) ? undefined : drained();
    },
    stopWatching: () => out.off('error', noteFailure),
  };
}

/**
 * Gathers an export's text into writes of at least `bytes` (a write per line costs more than
 * formatting the line); `flush` writes what is left.
 */
export function batchWrites(target: ExportTarget, bytes: number): { write(text: string): Promise<void>; flush(): Promise<void> } {
  let buffer = '';
  return {
    async write(text) {
      buffer += text;
      if (buffer.length < bytes) return;
      const full = buffer;
      buffer = '';
      await target.write(full);
    },
    async flush() {
      if (buffer === '') return;
      const rest = buffer;
      buffer = '';
      await target.write(rest);
    },
  };
}
