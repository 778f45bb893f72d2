import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeBinary, detectMojibake, findInvalidUtf8, sniffEncoding } from '../../../src/csv/sniff-encoding.js';

const bytes = (...values: number[]): Uint8Array => new Uint8Array(values);
const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

describe('sniffEncoding', () => {
  it('trusts a byte-order mark', () => {
    expect(sniffEncoding(bytes(0xef, 0xbb, 0xbf, 0x41))).toEqual({ encoding: 'utf-8', bomLength: 3, assumed: false });
    expect(sniffEncoding(bytes(0xff, 0xfe, 0x41, 0x00))).toEqual({ encoding: 'utf-16le', bomLength: 2, assumed: false });
    expect(sniffEncoding(bytes(0xfe, 0xff, 0x00, 0x41))).toEqual({ encoding: 'utf-16be', bomLength: 2, assumed: false });
  });

  it('recognises UTF-16 without a BOM by its zero bytes', () => {
    expect(sniffEncoding(Buffer.from('Name\tCity\nAnna\tMünchen\n', 'utf16le')).encoding).toBe('utf-16le');
    expect(sniffEncoding(utf16be('Name,City\nZoë,Kraków\n')).encoding).toBe('utf-16be');
  });

  it('calls plain ASCII and valid UTF-8 utf-8', () => {
    expect(sniffEncoding(Buffer.from('a,b\n1,2\n'))).toEqual({ encoding: 'utf-8', bomLength: 0, assumed: false });
    expect(sniffEncoding(Buffer.from('name\nJosé Müller 山田 😀\n')).encoding).toBe('utf-8');
  });

  it('assumes Windows-1252 when the bytes are not UTF-8', () => {
    expect(sniffEncoding(Buffer.from('name\nJos\xe9 paid 50\x80\n', 'latin1'))).toEqual({
      encoding: 'windows-1252',
      bomLength: 0,
      assumed: true,
    });
  });

  it('does not hold a multi-byte character cut by the end of the sample against UTF-8', () => {
    const euro = Buffer.from('total 5€');
    for (let cut = euro.length - 2; cut < euro.length; cut++) {
      expect(sniffEncoding(euro.subarray(0, cut)).encoding).toBe('utf-8');
    }
  });

  it('treats an empty sample as UTF-8', () => {
    expect(sniffEncoding(bytes())).toEqual({ encoding: 'utf-8', bomLength: 0, assumed: false });
  });
});

describe('findInvalidUtf8', () => {
  it('points at the first byte that is not UTF-8', () => {
    expect(findInvalidUtf8(Buffer.from('ok é'))).toBe(-1);
    expect(findInvalidUtf8(bytes(0x61, 0x62, 0xe9, 0x63))).toBe(2);
    expect(findInvalidUtf8(bytes(0xc0, 0xaf))).toBe(0); // overlong '/'
    expect(findInvalidUtf8(bytes(0xed, 0xa0, 0x80))).toBe(0); // UTF-16 surrogate
    expect(findInvalidUtf8(bytes(0xf4, 0x90, 0x80, 0x80))).toBe(0); // above U+10FFFF
    expect(findInvalidUtf8(bytes(0x41, 0x80))).toBe(1); // lone continuation byte
  });

  it('accepts a sequence cut at the end only when told the sample may be cut', () => {
    expect(findInvalidUtf8(bytes(0x41, 0xe2, 0x82))).toBe(1);
    expect(findInvalidUtf8(bytes(0x41, 0xe2, 0x82), { sampleMayBeCut: true })).toBe(-1);
    expect(findInvalidUtf8(bytes(0x41, 0xe2, 0x41), { sampleMayBeCut: true })).toBe(1);
  });

  it('agrees with a strict TextDecoder on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (sample) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(sample);
        } catch {
          valid = false;
        }
        expect(findInvalidUtf8(sample) === -1).toBe(valid);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('detectMojibake', () => {
  it('spots UTF-8 that was read as Windows-1252', () => {
    expect(detectMojibake('JosÃ© MÃ¼ller')).toBe(true);
    expect(detectMojibake('customerâ€™s note')).toBe(true);
    expect(detectMojibake('price Â£5')).toBe(true);
  });

  it('leaves correct accented text alone', () => {
    expect(detectMojibake('José Müller, São Paulo, SÃO PAULO, customer’s note, £5')).toBe(false);
  });
});

describe('describeBinary', () => {
  it('names the formats people export by mistake', () => {
    expect(describeBinary(Buffer.from('PK\x03\x04\x14\x00\x06\x00', 'latin1'))).toBe('a zip archive (an Excel .xlsx or .ods workbook is one)');
    expect(describeBinary(Buffer.from('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'latin1'))).toBe('a PNG image');
    expect(describeBinary(Buffer.from('SQLite format 3\x00\x10\x00', 'latin1'))).toBe('a SQLite database');
    expect(describeBinary(Buffer.from('%PDF-1.7\n', 'latin1'))).toBe('a PDF document');
  });

  it('calls any other sample with a NUL byte binary data, saying where', () => {
    expect(describeBinary(Buffer.from('a,b\n1,\x00\n', 'latin1'))).toBe('binary data (a NUL byte at byte 7)');
  });

  it('leaves text alone: UTF-8, Windows-1252, empty', () => {
    expect(describeBinary(Buffer.from('name\nJosé Müller 山田\n'))).toBeNull();
    expect(describeBinary(Buffer.from('name\nJos\xe9\n', 'latin1'))).toBeNull();
    expect(describeBinary(bytes())).toBeNull();
  });
});
