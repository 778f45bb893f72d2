import { PassThrough } from 'node:stream';

/** A writable stream that keeps what is written to it, for checking output in tests. */
export function collectStream(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}
