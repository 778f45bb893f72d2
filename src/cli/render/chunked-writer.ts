import { once } from 'node:events';

/** Text written to a stream in large pieces, waiting whenever the stream asks it to. */
export interface ChunkedWriter {
  write(text: string): Promise<void>;
  /** Writes what is still buffered; leaves the stream open (stdout belongs to the process). */
  flush(): Promise<void>;
}

const CHUNK_CHARS = 1 << 16;

/**
 * Buffers small pieces of text into ~64 KiB writes and honours back-pressure,
 * so a document of gigabytes goes out with bounded memory instead of being
 * built as one string (V8 refuses strings over ~512 MiB).
 */
export function createChunkedWriter(out: NodeJS.WritableStream): ChunkedWriter {
  let buffer = '';
  const send = async (): Promise<void> => {
    if (buffer === '') return;
    const ok = out.write(buffer);
    buffer = '';
    if (!ok) await once(out, 'drain');
  };
  return {
    async write(text) {
      buffer += text;
      if (buffer.length >= CHUNK_CHARS) await send();
    },
    flush: send,
  };
}
