import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvTokenizer, tokenizeCsv, type CsvRecord } from '../../../src/csv/tokenize-csv.js';

function cellsOf(text: string, delimiter = ','): string[][] {
  return tokenizeCsv(text, delimiter).map((record) => record.cells);
}

/** Feeds `text` in pieces cut at the given offsets. */
function tokenizeInPieces(text: string, cuts: number[], delimiter: string): CsvRecord[] {
  const tokenizer = new CsvTokenizer(delimiter);
  const records: CsvRecord[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b)) {
    records.push(...tokenizer.push(text.slice(from, cut)));
    from = cut;
  }
  records.push(...tokenizer.push(text.slice(from)));
  records.push(...tokenizer.end());
  return records;
}

describe('tokenizeCsv', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks kept exactly', () => {
    const text = 'a,b\n"x, y","say ""hi"""\n"line1\nline2","cr\r\nlf"\n"",\n';
    expect(cellsOf(text)).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['line1\nline2', 'cr\r\nlf'],
      ['', ''],
    ]);
  });

  it('accepts CRLF, LF and CR-only line ends, and a last line without one', () => {
    expect(cellsOf('a,b\r\n1,2\r3,4\n5,6')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('numbers each record by the physical line it starts on', () => {
    const records = tokenizeCsv('h1,h2\r\n\r\n"two\r\nlines",x\r\nnext,y\rcr,z\n\n"a\rb",w\n', ',');
    expect(records.map((record) => [record.line, record.cells[0]])).toEqual([
      [1, 'h1'],
      [3, 'two\r\nlines'],
      [5, 'next'],
      [6, 'cr'],
      [8, 'a\rb'],
    ]);
  });

  it('starts counting at firstLine, e.g. after a skipped sep= line', () => {
    expect(tokenizeCsv('a\nb\n', ',', { firstLine: 2 }).map((record) => record.line)).toEqual([2, 3]);
  });

  it('skips blank and whitespace-only lines but keeps rows of empty cells', () => {
    expect(cellsOf('a,b\n\n   \n\t\n,\n1,2\n\n')).toEqual([
      ['a', 'b'],
      ['', ''],
      ['1', '2'],
    ]);
  });

  it('keeps a quoted whitespace-only value on a line of its own', () => {
    expect(cellsOf('a\n"  "\n""\n')).toEqual([['a'], ['  '], ['']]);
  });

  it('treats # lines as data, not comments', () => {
    expect(cellsOf('order,total\n#1001,5\n# note,6\n')).toEqual([
      ['order', 'total'],
      ['#1001', '5'],
      ['# note', '6'],
    ]);
  });

  it('keeps spaces around unquoted fields but not around quotes', () => {
    expect(cellsOf(' a , b ,  "c, d"  ,"e" \n')).toEqual([[' a ', ' b ', 'c, d', 'e']]);
  });

  it('keeps a stray quote inside an unquoted field as text, with a warning', () => {
    expect(tokenizeCsv('TV,55" screen,ok\n', ',')).toEqual([
      { line: 1, cells: ['TV', '55" screen', 'ok'], warnings: ['stray quote in column 2 kept as text'] },
    ]);
  });

  it('appends text after a closing quote, with a warning', () => {
    expect(tokenizeCsv('"small"ish,x\n', ',')).toEqual([
      { line: 1, cells: ['smallish', 'x'], warnings: ['text after the closing quote in column 1 kept'] },
    ]);
  });

  it('closes a quote left open at the end of input and says where it opened', () => {
    expect(tokenizeCsv('a,b\n1,2\n3,"open\n4,5\n', ',')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['1', '2'] },
      {
        line: 3,
        cells: ['3', 'open\n4,5\n'],
        warnings: ['unclosed quote starting on line 3: the rest of the file was read into column 2'],
      },
    ]);
  });

  it('only attaches warnings to the records that have problems', () => {
    const records = tokenizeCsv('a,b\n1,"x"y\n2,3\n', ',');
    expect(records[2]).toEqual({ line: 3, cells: ['2', '3'] });
    expect(records[2]).not.toHaveProperty('warnings');
  });

  it('splits on the delimiter it is given and nothing else', () => {
    expect(cellsOf('a;b,c\t|d\n', ';')).toEqual([['a', 'b,c\t|d']]);
    expect(cellsOf('a\tb,c\n', '\t')).toEqual([['a', 'b,c']]);
  });

  it('refuses a delimiter that is not one ordinary character', () => {
    expect(() => new CsvTokenizer('"')).toThrow(RangeError);
    expect(() => new CsvTokenizer(';;')).toThrow(RangeError);
    expect(() => new CsvTokenizer('\n')).toThrow(RangeError);
  });

  it('gives the same records however the input is cut into chunks (tricky cuts)', () => {
    const text = 'a,"b""c"\r\n"x\r\ny",z\r"q"""\n';
    const whole = tokenizeCsv(text, ',');
    for (let cut = 0; cut <= text.length; cut++) {
      expect(tokenizeInPieces(text, [cut], ',')).toEqual(whole);
    }
  });
});

const csvishText = fc
  .array(fc.constantFrom('a', 'b', ' ', '"', '""', ',', ';', '\t', '\r', '\n', '\r\n', '#', 'é', '😀'), { maxLength: 60 })
  .map((parts) => parts.join(''));

describe('CsvTokenizer properties', () => {
  it('chunk boundaries anywhere never change the records, warnings or line numbers', () => {
    fc.assert(
      fc.property(
        csvishText,
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.constantFrom(',', ';', '\t'),
        (text, rawCuts, delimiter) => {
          const cuts = rawCuts.map((cut) => cut % (text.length + 1));
          expect(tokenizeInPieces(text, cuts, delimiter)).toEqual(tokenizeCsv(text, delimiter));
        },
      ),
      { numRuns: 2000 },
    );
  });

  const cell = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '"', ',', ';', '\r', '\n', '#', 'ß', '\t'), maxLength: 8 });
  const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 6 });

  it('reads back any table written with minimal quoting, at the lines where each row starts', () => {
    fc.assert(
      fc.property(table, fc.constantFrom('\n', '\r\n', '\r'), fc.constantFrom(',', ';'), (rows, eol, delimiter) => {
        let text = '';
        const startLines: number[] = [];
        let line = 1;
        for (const row of rows) {
          startLines.push(line);
          const fields = row.map((value) => {
            // A lone blank cell would read as a blank line, which is skipped.
            const mustQuote =
              value.includes('"') || value.includes(delimiter) || value.includes('\r') || value.includes('\n') ||
              (row.length === 1 && /^\s*$/.test(value));
            return mustQuote ? `"${value.replaceAll('"', '""')}"` : value;
          });
          const written = fields.join(delimiter);
          text += written + eol;
          line += 1 + (written.match(/\r\n|\r|\n/g)?.length ?? 0);
        }
        const records = tokenizeCsv(text, delimiter);
        expect(records.map((record) => record.cells)).toEqual(rows);
        expect(records.map((record) => record.line)).toEqual(startLines);
        expect(records.every((record) => record.warnings === undefined)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
