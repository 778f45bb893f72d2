
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
    if (!ok) await drained(out);
  };
  return {
    async write(text) {
      buffer += text;
      if (buffer.length >= CHUNK_CHARS) await send();
    },
    flush: send,
  };
}

/**
 * Resolves when `out` drains; rejects as EPIPE when it closes or fails first. A stdout
 * whose reader went away (`| head`) never drains, and a promise left waiting on it
 * would end custdb with Node's "unsettled top-level await" exit code instead of ours.
 */
function drained(out: NodeJS.WritableStream): Promise<void> {
  const closed = (): Error => Object.assign(new Error('write EPIPE: the output was closed'), { code: 'EPIPE' });
  if ('destroyed' in out && out.destroyed === true) return Promise.reject(closed());
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      out.off('drain', onDrain);
      out.off('close', onClose);
      out.off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => settle();
    const onClose = () => settle(closed());
    const onError = (error: Error) => settle(error);
    out.on('drain', onDrain);
    out.on('close', onClose);
    out.on('error', onError);
  });
}
