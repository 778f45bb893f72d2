import { describe, expect, it } from 'vitest';
import { encodingFor } from '../../../src/csv/encode-text.js';

// Rejected rows are written back in their file's encoding: every byte a decoder turned into
// text must come back as the same byte, or a fixed rejects file would not match its source.
describe('encodingFor', () => {
  const decode = (encoding: string, bytes: Uint8Array) => new TextDecoder(encoding).decode(bytes, { stream: true });

  it.each(['windows-1252', 'windows-1250', 'iso-8859-2', 'koi8-r', 'macintosh'])('gives back every byte %s decodes', (encoding) => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = decode(encoding, all);
    const kept = all.filter((byte) => decode(encoding, Uint8Array.of(byte)) !== '\ufffd');
    expect(Buffer.from(encodingFor(encoding)!.encode(decode(encoding, kept)))).toEqual(Buffer.from(kept));
    expect(text.length).toBeGreaterThan(200);
  });

  it('writes € and typographic quotes of a Windows-1252 file as their own bytes, and ? for what it lacks', () => {
    expect([...encodingFor('windows-1252')!.encode('€ “x” — Zoë 中')]).toEqual([0x80, 0x20, 0x93, 0x78, 0x94, 0x20, 0x97, 0x20, 0x5a, 0x6f, 0xeb, 0x20, 0x3f]);
  });

  it('writes UTF-16 in either byte order, with the matching byte order mark', () => {
    expect([...encodingFor('utf-16le')!.encode('é€')]).toEqual([0xe9, 0x00, 0xac, 0x20]);
    expect([...encodingFor('utf-16be')!.encode('é€')]).toEqual([0x00, 0xe9, 0x20, 0xac]);
    expect([...encodingFor('utf-16be')!.bom]).toEqual([0xfe, 0xff]);
    expect([...encodingFor('utf-8')!.encode('é')]).toEqual([0xc3, 0xa9]);
  });

  it('has no encoder for a multi-byte encoding it cannot write', () => {
    expect(encodingFor('shift_jis')).toBeUndefined();
    expect(encodingFor('gbk')).toBeUndefined();
  });
});
