import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packCells, packNormalized, packRecords, Packer, unpackCells, unpackNormalized, Unpacker, unpackRecords } from '../../../src/import/record-codec.js';
import { normalizeCells, type NormalizedRecord } from '../../../src/import/normalize-records.js';
import type { Mapping } from '../../../src/mapping/mapping-schema.js';

// Rows cross between threads packed; what arrives must be exactly what was sent.
describe('packing rows between threads', () => {
  it('gives back every cell, including empty, emoji and line-break cells', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'grapheme' }), { maxLength: 8 }), { maxLength: 20 }), (rows) => {
        expect(unpackCells(packCells(rows))).toEqual(rows);
      }),
    );
    expect(unpackCells(packCells([['', 'a\r\nb', '😀', ' ']]))).toEqual([['', 'a\r\nb', '😀', ' ']]);
    // Long batches are spread over several texts; rows must come back whole across the seams.
    const long = Array.from({ length: 200 }, (_, i) => [`${i}`.repeat(300), 'é'.repeat(i), '']);
    const packed = packCells(long);
    expect(packed.texts.length).toBeGreaterThan(3);
    expect(unpackCells(packed)).toEqual(long);
  });

  it('gives back standardised rows: accepted, rejected and blank, with nulls kept apart from empty text', () => {
    const mapping: Mapping = {
      preset: null,
      constants: [],
      columns: [
        { index: 0, header: 'Name', target: { kind: 'field', field: 'full_name' }, confidence: 'exact' },
        { index: 1, header: 'Email', target: { kind: 'field', field: 'email' }, confidence: 'exact' },
        { index: 2, header: 'Phone', target: { kind: 'field', field: 'phone' }, confidence: 'exact' },
        { index: 3, header: 'Tags', target: { kind: 'field', field: 'tags' }, confidence: 'exact', transform: { kind: 'split-list', separators: [','] } },
        { index: 4, header: 'Roast', target: { kind: 'attribute', name: 'roast' }, confidence: 'exact' },
        { index: 5, header: 'Customer ID', target: { kind: 'field', field: 'external_id' }, confidence: 'exact' },
      ],
    };
    const context = { source: 'shop', defaultCountry: 'GB', dateOrder: null, dateOrderConflict: false };
    const rows = [
      ['Ana de la Cruz', 'ANA@Example.com ', '07700 900123', 'vip, wholesale', 'dark', 'C-1'],
      ['', 'not-an-email', '', '', '', ''],
      ['', '', '', '', '', ''],
      ['Bo', '', '12', '', '', ''],
    ];
    const normalized: NormalizedRecord[] = normalizeCells(mapping, context, rows);
    expect(normalized.map((r) => (r === null ? 'blank' : r.ok ? 'accepted' : 'rejected'))).toEqual(['accepted', 'rejected', 'blank', 'accepted']);
    expect(unpackNormalized(packNormalized(normalized))).toEqual(normalized);
  });

  it('gives back whole CSV records: line, cells and the reader\'s warnings', () => {
    const records = [
      { line: 2, cells: ['#1', 'a@example.com', ''] },
      { line: 4, cells: ['two\nlines', 'x'], warnings: ['a stray quote', 'another'] },
      { line: 5, cells: [] },
    ];
    expect([...unpackRecords(packRecords(records))]).toEqual(records);
  });

  it('gives back numbers that are not counts exactly: fractions, -0, past 2^31, and null apart from 0', () => {
    const numbers = [1.5, -0, 0, 2 ** 53 - 1, -9999999999999, 0.1 + 0.2, null];
    const packer = new Packer();
    for (const n of numbers) packer.number(n);
    const unpacker = new Unpacker(packer.finish());
    const back = numbers.map(() => unpacker.number());
    expect(back).toEqual(numbers);
    expect(Object.is(back[1], -0)).toBe(true);
  });
});
