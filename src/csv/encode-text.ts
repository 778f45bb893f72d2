/**
 * The encodings of the WHATWG Encoding Standard with one byte per character:
 * text decoded from one of them can be written back byte for byte by reversing
 * its decoder. The multi-byte ones (Shift_JIS, GBK, Big5, EUC-*) cannot.
 */
const SINGLE_BYTE = new Set([
  'ibm866',
  'iso-8859-2',
  'iso-8859-3',
  'iso-8859-4',
  'iso-8859-5',
  'iso-8859-6',
  'iso-8859-7',
  'iso-8859-8',
  'iso-8859-8-i',
  'iso-8859-10',
  'iso-8859-13',
  'iso-8859-14',
  'iso-8859-15',
  'iso-8859-16',
  'koi8-r',
  'koi8-u',
  'macintosh',
  'windows-874',
  'windows-1250',
  'windows-1251',
  'windows-1252',
  'windows-1253',
  'windows-1254',
  'windows-1255',
  'windows-1256',
  'windows-1257',
  'windows-1258',
  'x-mac-cyrillic',
]);

/** What a character the encoding has no byte for becomes. */
const REPLACEMENT = 0x3f; // ?

export interface TextEncoding {
  /** The byte order mark that starts a file in this encoding (empty for single-byte ones). */
  bom: Uint8Array;
  encode(text: string): Uint8Array;
}

/**
 * An encoder for `encoding` (a canonical TextDecoder name): UTF-8, UTF-16 LE
 * and BE, and every single-byte encoding, where a character the encoding
 * lacks becomes `?`. Undefined for the multi-byte ones, which Node cannot write.
 */
export function encodingFor(encoding: string): TextEncoding | undefined {
  switch (encoding) {
    case 'utf-8':
      return { bom: Uint8Array.of(0xef, 0xbb, 0xbf), encode: (text) => Buffer.from(text, 'utf8') };
    case 'utf-16le':
      return { bom: Uint8Array.of(0xff, 0xfe), encode: (text) => Buffer.from(text, 'utf16le') };
    case 'utf-16be':
      return { bom: Uint8Array.of(0xfe, 0xff), encode: (text) => Buffer.from(text, 'utf16le').swap16() };
  }
  if (!SINGLE_BYTE.has(encoding)) return undefined;
  const bytes = singleByteTable(encoding);
  return {
    bom: new Uint8Array(0),
    encode: (text) => {
      const out = Buffer.allocUnsafe(text.length);
      for (let i = 0; i < text.length; i++) out[i] = bytes.get(text.charCodeAt(i)) ?? REPLACEMENT;
      return out;
    },
  };
}

/**
 * Character code → byte, read off the encoding's own decoder one byte at a time.
 * Streaming: Node 20's one-shot windows-1252 decode drops the bytes 0x80–0x9F (€, “, —).
 */
function singleByteTable(encoding: string): Map<number, number> {
  const table = new Map<number, number>();
  for (let byte = 0; byte < 256; byte++) {
    const text = new TextDecoder(encoding).decode(Uint8Array.of(byte), { stream: true });
    if (text.length === 1 && text !== '\ufffd' && !table.has(text.charCodeAt(0))) table.set(text.charCodeAt(0), byte);
  }
  return table;
}
