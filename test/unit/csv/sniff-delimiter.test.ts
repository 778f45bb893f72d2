import { describe, expect, it } from 'vitest';
import { sniffDelimiter } from '../../../src/csv/sniff-delimiter.js';

const delimiterOf = (text: string): string => sniffDelimiter(text, { complete: true }).delimiter;

describe('sniffDelimiter', () => {
  it('honours an Excel sep= line and says how much to skip', () => {
    expect(sniffDelimiter('sep=;\r\na;b\r\n')).toEqual({ delimiter: ';', sepLine: true, skipLength: 7 });
    expect(sniffDelimiter('sep=|\na,b|c\n')).toEqual({ delimiter: '|', sepLine: true, skipLength: 6 });
    expect(sniffDelimiter('"sep=\t"\na\tb\n')).toEqual({ delimiter: '\t', sepLine: true, skipLength: 8 });
  });

  it('picks the delimiter that splits every line the same way', () => {
    expect(delimiterOf('a,b,c\n1,2,3\n')).toBe(',');
    expect(delimiterOf('Vorname;Nachname;Umsatz\nJürgen;Weiß;1.234,56\nRenée;Nuñez;"1,5"\n')).toBe(';');
    expect(delimiterOf('Name\tNote\nAnna\tlikes, commas, lots\n')).toBe('\t');
    expect(delimiterOf('id|name\n1|"Ben | Co"\n')).toBe('|');
  });

  it('ignores delimiters inside quotes', () => {
    expect(delimiterOf('"a;b;c";"d,e"\n"1;2";"3"\n')).toBe(';');
  });

  it('prefers the highest count among consistent delimiters', () => {
    expect(delimiterOf('a;b,c;d;e\n1;2,3;4;5\n')).toBe(';');
  });

  it('breaks ties in the order comma, semicolon, tab, pipe', () => {
    expect(delimiterOf('a,b;c\n1,2;3\n')).toBe(',');
    expect(delimiterOf('a;b\tc\n1;2\t3\n')).toBe(';');
    expect(delimiterOf('a\tb|c\n1\t2|3\n')).toBe('\t');
  });

  it('falls back to the delimiter most rows agree with the header on when none is consistent', () => {
    // ';' counts 3,3,0,0 and ',' counts 1,1,1,0: ',' agrees on more rows despite the lower count.
    expect(delimiterOf('a;b;c;d,e\n1;2;3;4,5\n1,2\nx y\n')).toBe(',');
    // equal agreement: the higher count wins.
    expect(delimiterOf('a;b;c,d\n1;2;3,4\n1;2\n')).toBe(';');
  });

  it('calls a single-column file comma-separated', () => {
    expect(delimiterOf('email\na@example.com\nb@example.com\n')).toBe(',');
    expect(delimiterOf('')).toBe(',');
  });

  it('does not let a value with a delimiter in the data rows decide when the header lacks it', () => {
    expect(delimiterOf('Name\nSmith, John\nDoe, Jane\n')).toBe(',');
    expect(delimiterOf('Name;Total\nAnna;1,5\nBen;2,25\n')).toBe(';');
  });

  it('names a rarer separator that splits a one-column file evenly, but never sniffs it as the delimiter', () => {
    expect(sniffDelimiter('First Name:Email\nAnn:ann@example.com\nBo:bo@example.com\n', { complete: true })).toEqual({
      delimiter: ',',
      sepLine: false,
      skipLength: 0,
      unusualDelimiter: ':',
    });
    expect(sniffDelimiter('id^name^city\n1^Ann^Oslo\n', { complete: true }).unusualDelimiter).toBe('^');
  });

  it('does not name one for a one-column file whose values merely contain it, or a header alone', () => {
    expect(sniffDelimiter('Notes\nCall at 10:30\nsee ticket #4\n', { complete: true }).unusualDelimiter).toBeUndefined();
    expect(sniffDelimiter('Time:Place\n10:30\n9:15:00\n', { complete: true }).unusualDelimiter).toBeUndefined();
    expect(sniffDelimiter('First Name:Email\n', { complete: true }).unusualDelimiter).toBeUndefined();
    expect(sniffDelimiter('a,b:c\n1,2:3\n', { complete: true }).unusualDelimiter).toBeUndefined();
  });

  it('ignores the cut-off last line of a partial sample', () => {
    expect(sniffDelimiter('a;b;c\n1;2;3\n4;5', { complete: false }).delimiter).toBe(';');
    expect(sniffDelimiter('a,b\n1,2\n3;4;5;6;7;8;9', { complete: false }).delimiter).toBe(',');
  });
});
