import fc from 'fast-check';

/**
 * Generated import files for the robustness suite: customer CSVs written row by row
 * in every encoding, delimiter, quoting and line-ending style custdb reads, with the
 * cells real exports carry (formulas, control characters, quoted line breaks, huge
 * values, ragged rows), plus damaged and binary files. Each case says what a correct
 * import must do with it, so the test can check the outcome and not just "no crash".
 */
export interface ImportCase {
  /** Short description of how the file was made, for failure reports. */
  label: string;
  bytes: Uint8Array;
  /** Extra arguments for `custdb import` (--as, --delimiter, --encoding, --max-rejects). */
  args: string[];
  /**
   * What the import must do:
   * - `rows`: read exactly `dataRows` rows (exit 0, or 1 only when the default --max-rejects is in force),
   *   or, when `mayLackIdentifier`, stop with "No column identifies a customer" (exit 2);
   * - `empty`: exit 2 with InputFileError (nothing but whitespace);
   * - `any`: damaged or binary bytes: any documented outcome, never an internal error.
   */
  expect: 'rows' | 'empty' | 'any';
  /** No column is named for an identifying field; custdb may still recognise one from its values. */
  mayLackIdentifier: boolean;
  /** Data rows a correct reader finds: rows with at least one non-blank cell. */
  dataRows: number;
  /** Whether --max-rejects 100% was passed, so that rejects alone never refuse the file. */
  rejectsAllowed: boolean;
  /** Import the file a second time with --force once it is in: every row then meets itself. */
  reimport: boolean;
}

export type FileEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le-bom' | 'utf-16be-bom' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const DELIMITERS = [',', ';', '\t', '|'] as const;
const LINE_ENDS = ['\r\n', '\n', '\r'] as const;

/** Field names custdb takes at their word: a file with one of them has an identifying column, whatever its values. */
const IDENTIFYING_COLUMNS = ['Email', 'email', 'First Name', 'Last Name', 'Phone', 'Full Name', 'first_name', 'external_id'];
/** Synonyms of identifying fields, which custdb uses only when the values fit ("E-mail Address" of words is not an email). */
const SYNONYM_COLUMNS = ['E-mail Address', 'Surname', 'Customer ID', 'Mobile', 'Name', 'Correo'];
/** Column names that map to other fields, or to custom attributes. */
const OTHER_COLUMNS = ['City', 'Zip', 'Country', 'Birthday', 'Tags', 'Note', 'Company', 'Accepts Marketing', 'Favourite Roast', 'Loyalty', 'Address', 'Province', 'x', 'Ünïcode Spalte', '', 'City'];
/** Header cells as odd as real files have: custom-field syntax, quotes, line breaks, padding, a very long name. */
const ODD_COLUMNS = ['attr.tier', 'attr.', 'external_ids', 'ignore', 'Na"me', 'Line\nBreak', '  Email  ', 'EMAIL', '#', '=cmd()', '\u0001', 'x'.repeat(300), 'y'.repeat(5_000)];

const word = fc.constantFrom('Jane', "O'Brien", 'van der Berg', 'MCDONALD', 'josé', 'Zoë', 'Łukasz', 'Ólafur', 'Björk', '李', 'Nguyễn', 'A', 'Smith-Jones');
const email = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom('jane@example.com', 'JANE@EXAMPLE.COM', 'bob@gmial.com', 'not-an-email', '@', 'a@b', 'x@y.z ', ' j.doe+tag@example.co.uk'),
);
const phone = fc.constantFrom('+1 415 555 2671', '(415) 555-2671', '07700 900123', '020 7946 0958', '7.98535E+12', '+44', '0', '+999999999999999999', 'call me');
const date = fc.constantFrom('1980-02-29', '31/12/1999', '12/31/1999', '13/13/2013', '2026-11-23T09:30:00Z', '0000-00-00', '1/2/3', 'yesterday');
const formula = fc.constantFrom('=SUM(A1:A9)', '+1', '-2', '@foo', '=HYPERLINK("http://x","y")', "'=1+1", '=cmd|\' /C calc\'!A0', '\t=1', '\r=1');
// No NUL in a text file: like git, custdb takes a NUL byte for binary data (the binary cases below cover it).
const controlChar = fc.integer({ min: 1, max: 31 }).map((code) => String.fromCharCode(code));
const structural = fc.constantFrom('"', '""', ',', ';', '\t', '|', '\n', '\r', '\r\n', ' ', '  ', 'sep=,', '#', '\u00a0', '\ufeff');
const anyText = fc.string({ unit: 'binary', maxLength: 40 }).map((text) => text.replace(/[\ud800-\udfff]/g, 'x').replace(/\0/g, ' '));

/** One cell as a person or a spreadsheet might have left it; `hugeChars` bounds the rare very long value. */
function cellArbitrary(hugeChars: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: word },
    { weight: 4, arbitrary: email },
    { weight: 2, arbitrary: phone },
    { weight: 2, arbitrary: date },
    { weight: 3, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: fc.constantFrom(' ', '   ', '\t') },
    { weight: 2, arbitrary: formula },
    { weight: 2, arbitrary: anyText },
    { weight: 2, arbitrary: fc.array(fc.oneof(word, structural, controlChar), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1_000, max: hugeChars }), fc.constantFrom('a', 'é', ',', '"', '\n', 'xy ')).map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length))) },
  );
}

interface TableShape {
  header: string[];
  rows: string[][];
  identifying: boolean;
}

function tableArbitrary(options: GenerateOptions): fc.Arbitrary<TableShape> {
  const header = fc
    .record({
      identifying: fc.uniqueArray(fc.constantFrom(...IDENTIFYING_COLUMNS), { minLength: 1, maxLength: 3 }),
      others: fc.array(fc.constantFrom(...OTHER_COLUMNS, ...SYNONYM_COLUMNS, ...ODD_COLUMNS), { maxLength: 5 }),
      // One file in ten has no column named for an identifying field.
      hasIdentifying: fc.nat({ max: 9 }).map((roll) => roll !== 0),
      // One in twenty is wide, as CRM exports with every custom field are.
      extra: fc.nat({ max: 19 }).map((roll) => (roll === 0 ? Array.from({ length: 80 }, (_, i) => `Custom ${i + 1}`) : [])),
    })
    .chain(({ identifying, others, hasIdentifying, extra }) => {
      const named = [...others, ...extra];
      const columns = hasIdentifying ? [...identifying, ...named] : named.length > 0 ? named : ['x'];
      return fc.shuffledSubarray(columns, { minLength: columns.length, maxLength: columns.length }).map((shuffled) => ({ columns: shuffled, hasIdentifying }));
    });
  return header.chain(({ columns, hasIdentifying }) => {
    // Most rows fit the header; some are short or long, as hand-edited files are.
    const widthChange = fc.constantFrom(0, 0, 0, 0, 0, 0, -1, 1, -2, 2);
    const row = fc
      .tuple(widthChange, fc.array(cellArbitrary(options.hugeChars), { minLength: columns.length + 2, maxLength: columns.length + 2 }))
      .map(([change, cells]) => cells.slice(0, Math.max(1, columns.length + change)));
    // A file over 2 MB is standardised on worker threads: a few get one row with a 2.5 MB value.
    const workerSized = fc.nat({ max: 99 }).map((roll) => roll < options.workerSizedPercent);
    return fc.tuple(fc.array(row, { maxLength: 25 }), workerSized).map(([rows, big]) => ({
      header: columns,
      rows: big ? [...rows, ['w'.repeat(2_500_000), 'big@example.com']] : rows,
      identifying: hasIdentifying,
    }));
  });
}

const encodingArbitrary = fc.constantFrom<FileEncoding>('utf-8', 'utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'utf-16le', 'utf-16be', 'windows-1252', 'windows-1252');

/** Options that change what an import writes, never whether a row is counted. */
const IMPORT_OPTIONS = [['--update', 'overwrite'], ['--dry-run'], ['--source', 'shop'], ['--ignore-unmapped'], ['--default-country', 'GB'], ['--date-format', 'dmy']];

interface Style {
  encoding: FileEncoding;
  delimiter: (typeof DELIMITERS)[number];
  lineEnd: (typeof LINE_ENDS)[number] | 'mixed';
  quoteAll: boolean;
  sepLine: boolean;
  leadingBlankLines: number;
  trailingLineEnd: boolean;
  passDelimiter: boolean;
  passEncoding: boolean;
  passAs: boolean;
  allowAllRejects: boolean;
  options: string[][];
  reimport: boolean;
}

const styleArbitrary: fc.Arbitrary<Style> = fc.record({
  encoding: encodingArbitrary,
  delimiter: fc.constantFrom(...DELIMITERS),
  lineEnd: fc.constantFrom(...LINE_ENDS, 'mixed' as const),
  quoteAll: fc.boolean(),
  sepLine: fc.nat({ max: 5 }).map((n) => n === 0),
  // Now and then more blank lines than the first 64 KiB chunk holds.
  leadingBlankLines: fc.constantFrom(0, 0, 0, 1, 2, 70_000),
  trailingLineEnd: fc.boolean(),
  passDelimiter: fc.boolean(),
  passEncoding: fc.boolean(),
  passAs: fc.nat({ max: 9 }).map((n) => n !== 0),
  allowAllRejects: fc.nat({ max: 3 }).map((n) => n !== 0),
  options: fc.subarray(IMPORT_OPTIONS, { maxLength: 2 }),
  reimport: fc.nat({ max: 3 }).map((n) => n === 0),
});

/** Quotes a cell when it must be (delimiter, quote, line break), or always in quote-all style. */
function quoteCell(cell: string, delimiter: string, quoteAll: boolean): string {
  if (quoteAll || cell.includes(delimiter) || /["\r\n]/.test(cell)) return `"${cell.replaceAll('"', '""')}"`;
  return cell;
}

/** Windows-1252 bytes for text already limited to that code page. */
function encodeWindows1252(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = WINDOWS_1252_BYTES.get(text[i]!) ?? 0x3f;
  return bytes;
}

const WINDOWS_1252_BYTES: ReadonlyMap<string, number> = (() => {
  const decoder = new TextDecoder('windows-1252');
  const map = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) map.set(decoder.decode(Uint8Array.of(byte)), byte);
  return map;
})();

/** The text a file in `encoding` can hold: characters outside Windows-1252 become '?'. */
function representable(text: string, encoding: FileEncoding): string {
  if (encoding !== 'windows-1252') return text;
  return Array.from(text, (ch) => (WINDOWS_1252_BYTES.has(ch) ? ch : '?')).join('');
}

export function encodeText(text: string, encoding: FileEncoding): Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return Buffer.from(text, 'utf8');
    case 'utf-8-bom':
      return Buffer.from(`\ufeff${text}`, 'utf8');
    case 'utf-16le':
      return Buffer.from(text, 'utf16le');
    case 'utf-16le-bom':
      return Buffer.from(`\ufeff${text}`, 'utf16le');
    case 'utf-16be':
    case 'utf-16be-bom': {
      const le = Buffer.from(encoding === 'utf-16be-bom' ? `\ufeff${text}` : text, 'utf16le');
      return le.swap16();
    }
    case 'windows-1252':
      return encodeWindows1252(text);
  }
}

const ENCODING_OPTION: Record<FileEncoding, string> = {
  'utf-8': 'utf-8',
  'utf-8-bom': 'utf-8',
  'utf-16le': 'utf-16le',
  'utf-16le-bom': 'utf-16le',
  'utf-16be': 'utf-16be',
  'utf-16be-bom': 'utf-16be',
  'windows-1252': 'windows-1252',
};

function writtenCase(table: TableShape, style: Style, lineEndPicks: number[]): ImportCase {
  const { delimiter, quoteAll, encoding } = style;
  let pick = 0;
  const lineEnd = (): string => (style.lineEnd === 'mixed' ? LINE_ENDS[(lineEndPicks[pick++ % lineEndPicks.length] ?? 0) % 3]! : style.lineEnd);
  const rows = table.rows.map((cells) => cells.map((cell) => representable(cell, encoding)));
  const lines = [table.header, ...rows].map((cells) => cells.map((cell) => quoteCell(cell, delimiter, quoteAll)).join(delimiter));
  let text = '';
  if (style.sepLine) text += `sep=${delimiter}${lineEnd()}`;
  for (let i = 0; i < style.leadingBlankLines && !style.sepLine; i++) text += lineEnd();
  lines.forEach((line, i) => {
    text += line;
    if (i < lines.length - 1 || style.trailingLineEnd) text += lineEnd();
  });

  const args: string[] = [];
  if (style.passAs) args.push('--as', 'customers');
  // A one-column header shows no delimiter to sniff (',' is assumed): a file written with another must say so.
  const unsniffable = table.header.length === 1 && delimiter !== ',' && !style.sepLine;
  if (style.passDelimiter || unsniffable) args.push('--delimiter', delimiter === '\t' ? 'tab' : delimiter);
  // UTF-16 without a byte order mark is only sniffed from mostly-Latin text: say it outright then.
  const bomless16 = encoding === 'utf-16le' || encoding === 'utf-16be';
  if (style.passEncoding || bomless16) args.push('--encoding', ENCODING_OPTION[encoding]);
  if (style.allowAllRejects) args.push('--max-rejects', '100%');
  args.push(...style.options.flat());

  const dataRows = rows.filter((cells) => cells.some((cell) => cell.trim() !== '')).length;
  return {
    label: `${rows.length} rows, ${table.header.length} columns, ${encoding}, delimiter ${JSON.stringify(delimiter)}, line end ${JSON.stringify(style.lineEnd)}${quoteAll ? ', all quoted' : ''}${style.sepLine ? ', sep= line' : ''}`,
    bytes: encodeText(text, encoding),
    args,
    expect: 'rows',
    mayLackIdentifier: !table.identifying,
    dataRows,
    rejectsAllowed: style.allowAllRejects,
    reimport: style.reimport,
  };
}

/** A file written row by row, in one of the styles custdb reads. */
function writtenArbitrary(options: GenerateOptions): fc.Arbitrary<ImportCase> {
  return fc
    .tuple(tableArbitrary(options), styleArbitrary, fc.array(fc.nat({ max: 2 }), { minLength: 1, maxLength: 8 }))
    .map(([table, style, picks]) => writtenCase(table, style, picks));
}

/** A written file with bytes flipped, inserted or cut off: any outcome but an internal error. */
function damagedArbitrary(options: GenerateOptions): fc.Arbitrary<ImportCase> {
  const edit = fc.record({ at: fc.double({ min: 0, max: 1, noNaN: true }), kind: fc.constantFrom('flip', 'insert', 'cut'), byte: fc.nat({ max: 255 }) });
  return fc.tuple(writtenArbitrary(options), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([written, edits]) => {
    let bytes = Uint8Array.from(written.bytes);
    for (const { at, kind, byte } of edits) {
      const i = Math.floor(at * bytes.length);
      if (kind === 'flip' && bytes.length > 0) bytes[Math.min(i, bytes.length - 1)] = byte;
      else if (kind === 'insert') bytes = Uint8Array.from([...bytes.subarray(0, i), byte, ...bytes.subarray(i)]);
      else bytes = bytes.subarray(0, i);
    }
    return { ...written, mayLackIdentifier: true, label: `damaged (${edits.map((e) => e.kind).join(', ')}): ${written.label}`, bytes, expect: 'any' as const };
  });
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

/** Bytes that are no CSV at all: random, an image or archive, text full of NULs. */
const binaryArbitrary: fc.Arbitrary<ImportCase> = fc
  .tuple(fc.constantFrom('random', 'png', 'zip', 'nul-text'), fc.uint8Array({ maxLength: 4000 }), fc.boolean())
  .map(([kind, random, passAs]) => {
    const prefix = kind === 'png' ? PNG_SIGNATURE : kind === 'zip' ? ZIP_SIGNATURE : [];
    const body = kind === 'nul-text' ? Buffer.from(`Email,Name\n${Array.from(random, (b) => (b % 3 === 0 ? '\0' : String.fromCharCode(32 + (b % 90)))).join('')}`, 'latin1') : random;
    return {
      label: `binary: ${kind}, ${body.length} bytes`,
      bytes: Uint8Array.from([...prefix, ...body]),
      args: passAs ? ['--as', 'customers', '--max-rejects', '100%'] : [],
      expect: 'any' as const,
      mayLackIdentifier: true,
      dataRows: 0,
      rejectsAllowed: passAs,
      reimport: false,
    };
  });

/** A file with nothing but whitespace (and perhaps a byte order mark) in it. */
const blankArbitrary: fc.Arbitrary<ImportCase> = fc
  .tuple(fc.constantFrom('', ' ', '\n', '\r\n\r\n', ' \t \n  \r', '\n\n\n\n'), fc.constantFrom<FileEncoding>('utf-8', 'utf-8-bom', 'utf-16le-bom', 'utf-16be-bom', 'windows-1252'))
  .map(([text, encoding]) => ({
    label: `blank: ${JSON.stringify(text)} in ${encoding}`,
    bytes: encodeText(text, encoding),
    args: [],
    expect: 'empty' as const,
    mayLackIdentifier: true,
    dataRows: 0,
    rejectsAllowed: false,
    reimport: false,
  }));

export interface GenerateOptions {
  /** Longest ordinary cell to generate. */
  hugeChars: number;
  /** Share of written files (in %) made larger than 2 MB, so that standardising moves to worker threads. */
  workerSizedPercent: number;
}

export function importCaseArbitrary(options: GenerateOptions): fc.Arbitrary<ImportCase> {
  return fc.oneof(
    { weight: 16, arbitrary: writtenArbitrary(options) },
    { weight: 2, arbitrary: damagedArbitrary(options) },
    { weight: 1, arbitrary: binaryArbitrary },
    { weight: 1, arbitrary: blankArbitrary },
  );
}

/** The one case a seed stands for: the same seed gives the same file on every machine. */
export function generateImportCase(seed: number, options: GenerateOptions): ImportCase {
  const [found] = fc.sample(importCaseArbitrary(options), { seed, numRuns: 1 });
  if (found === undefined) throw new Error(`fast-check produced no case for seed ${seed}`);
  return found;
}
