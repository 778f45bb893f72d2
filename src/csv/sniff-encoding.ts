/** Encodings custdb can sniff; all are understood by Node's TextDecoder. */
export type SniffedEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface EncodingGuess {
  encoding: SniffedEncoding;
  /** Length in bytes of the byte-order mark at the start of the sample (0 if none). TextDecoder drops it. */
  bomLength: number;
  /** True when nothing proved the encoding: the sample is not UTF-8, so Windows-1252 was assumed. */
  assumed: boolean;
}

/**
 * Guesses the encoding of a file from its first bytes: a BOM decides; else
 * UTF-16 is recognised by its zero bytes; else strict UTF-8 validity decides
 * between 'utf-8' and an assumed 'windows-1252'. Never throws.
 *
 * @example sniffEncoding(Buffer.from('Jos\xe9', 'latin1')) // { encoding: 'windows-1252', bomLength: 0, assumed: true }
 */
export function sniffEncoding(sample: Uint8Array): EncodingGuess {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3, assumed: false };
  }
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) {
    return { encoding: 'utf-16le', bomLength: 2, assumed: false };
  }
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) {
    return { encoding: 'utf-16be', bomLength: 2, assumed: false };
  }
  const utf16 = sniffUtf16WithoutBom(sample);
  if (utf16 !== undefined) return { encoding: utf16, bomLength: 0, assumed: false };
  if (findInvalidUtf8(sample, { sampleMayBeCut: true }) === -1) {
    return { encoding: 'utf-8', bomLength: 0, assumed: false };
  }
  return { encoding: 'windows-1252', bomLength: 0, assumed: true };
}

/** Formats people pick by mistake instead of their CSV export, by the bytes they start with (one char per byte). */
const FILE_SIGNATURES: readonly { start: string; kind: string }[] = [
  { start: 'PK\x03\x04', kind: 'a zip archive (an Excel .xlsx or .ods workbook is one)' },
  { start: 'SQLite format 3\x00', kind: 'a SQLite database' },
  { start: '\x89PNG', kind: 'a PNG image' },
  { start: '\xff\xd8\xff', kind: 'a JPEG image' },
  { start: '%PDF', kind: 'a PDF document' },
  { start: '\x1f\x8b', kind: 'a gzip archive' },
  { start: '\xd0\xcf\x11\xe0', kind: 'an old Excel .xls workbook' },
];

/**
 * Says what a file that is not text is, from its first bytes: a known format
 * (`'a PNG image'`), `'binary data (…)'` for any other sample with a NUL byte, or
 * null for text. Only for 8-bit and UTF-8 text, where a NUL byte never
 * appears; UTF-16 is full of them, so sniff that first (sniffEncoding does).
 */
export function describeBinary(sample: Uint8Array): string | null {
  const known = FILE_SIGNATURES.find(({ start }) => [...start].every((char, i) => sample[i] === char.charCodeAt(0)));
  if (known !== undefined) return known.kind;
  const nul = sample.indexOf(0);
  return nul === -1 ? null : `binary data (a NUL byte at byte ${nul + 1})`;
}

/**
 * Text in UTF-16 is mostly Latin letters, digits and punctuation, each with one
 * zero byte: at odd offsets in little-endian, at even offsets in big-endian.
 * UTF-8 and Windows-1252 text has no zero bytes at all.
 */
function sniffUtf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.floor(Math.min(sample.length, 4096) / 2);
  if (pairs < 2) return undefined;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let p = 0; p < pairs; p++) {
    if (sample[2 * p] === 0) zeroEven++;
    if (sample[2 * p + 1] === 0) zeroOdd++;
  }
  if (zeroOdd >= pairs * 0.3 && zeroEven <= pairs * 0.05) return 'utf-16le';
  if (zeroEven >= pairs * 0.3 && zeroOdd <= pairs * 0.05) return 'utf-16be';
  return undefined;
}

/**
 * Returns the offset of the first byte that is not valid UTF-8 (overlong
 * forms, surrogates and code points above U+10FFFF count as invalid), or -1.
 * With `sampleMayBeCut`, a multi-byte sequence cut short by the end of the
 * sample is accepted, since the rest of it lies beyond the sample.
 */
export function findInvalidUtf8(bytes: Uint8Array, options: { sampleMayBeCut?: boolean } = {}): number {
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min = 0x80;
    let max = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) min = 0xa0; // overlong
      if (b === 0xed) max = 0x9f; // UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) min = 0x90; // overlong
      if (b === 0xf4) max = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return options.sampleMayBeCut === true ? -1 : i;
      const next = bytes[i + k] ?? 0;
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (next < lo || next > hi) return i;
    }
    i += need + 1;
  }
  return -1;
}

// "é" written as UTF-8 and read as Windows-1252 becomes "Ã©"; "’" becomes "â€™";
// "£" and no-break spaces become "Â£" / "Â ".
const MOJIBAKE =
  /Ã[\u0081\u008d\u008f\u0090\u009d\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]|â€|Â[\u00a0-\u00bf]/;

/**
 * True when the text shows the marks of UTF-8 that was decoded as
 * Windows-1252 at some point (`Ã©`, `Ã¼`, `â€™`). A hint for a warning; the
 * text is never changed.
 */
export function detectMojibake(text: string): boolean {
  return MOJIBAKE.test(text);
}
