import { CUSTOMER_VALUE_FIELDS, emptyCustomerValues, type CustomerRecord, type CustomerValues, type ExternalId } from '../model/customer-record.js';
import type { CsvRecord } from '../csv/tokenize-csv.js';
import type { NormalizedRecord } from './normalize-records.js';
import type { RowWarning } from './normalize-customer-row.js';

/**
 * Rows packed for a trip between threads: their strings laid end to end in a
 * few `texts`, `sizes` giving each string's length (-1 for null) or a count,
 * and `numbers` the amounts that are not counts. Copying a few long strings
 * and two typed arrays between threads costs a fraction of cloning a million
 * small objects field by field. Pure.
 */
export interface PackedRows {
  texts: string[];
  sizes: Int32Array;
  numbers: Float64Array;
}

/** The buffers to hand over (not copy) when posting packed rows to another thread. */
export function transferablesOf(packed: PackedRows): ArrayBuffer[] {
  return [packed.sizes.buffer as ArrayBuffer, packed.numbers.buffer as ArrayBuffer];
}

/**
 * A text is closed at the first row boundary past this many characters. Values
 * are read out as slices that keep their whole text alive; texts this small stay
 * in V8's young generation and die with their batch, where one text per batch
 * (over 128 KiB) went to the large-object space and piled up until a full GC.
 */
const TEXT_CHARS = 16 * 1024;
const NULL_SIZE = -1;
const NEXT_TEXT = -2;

/** Writes rows of strings, counts and numbers; an `Unpacker` reads them back in the same order. */
export class Packer {
  private parts: string[] = [];
  private chars = 0;
  private readonly texts: string[] = [];
  private readonly sizes: number[] = [];
  private readonly numbers: number[] = [];

  /** Called before each row: starts a new text when the current one is long enough. */
  row(): void {
    if (this.chars < TEXT_CHARS) return;
    this.texts.push(this.parts.join(''));
    this.parts = [];
    this.chars = 0;
    this.sizes.push(NEXT_TEXT);
  }

  string(value: string | null): void {
    if (value === null) {
      this.sizes.push(NULL_SIZE);
    } else {
      this.parts.push(value);
      this.chars += value.length;
      this.sizes.push(value.length);
    }
  }

  count(n: number): void {
    this.sizes.push(n);
  }

  /** Any number (fractions, -0 and amounts past 2^31 included), or null. */
  number(value: number | null): void {
    if (value === null) {
      this.sizes.push(NULL_SIZE);
    } else {
      this.sizes.push(0);
      this.numbers.push(value);
    }
  }

  finish(): PackedRows {
    this.texts.push(this.parts.join(''));
    return { texts: this.texts, sizes: Int32Array.from(this.sizes), numbers: Float64Array.from(this.numbers) };
  }
}

export class Unpacker {
  private next = 0;
  private nextNumber = 0;
  private offset = 0;
  private textIndex = 0;

  constructor(private readonly packed: PackedRows) {}

  /** Called before each row, as the packer was. */
  row(): void {
    if (this.packed.sizes[this.next] !== NEXT_TEXT) return;
    this.next += 1;
    this.textIndex += 1;
    this.offset = 0;
  }

  string(): string | null {
    const size = this.count();
    if (size === NULL_SIZE) return null;
    const value = (this.packed.texts[this.textIndex] ?? '').slice(this.offset, this.offset + size);
    this.offset += size;
    return value;
  }

  text(): string {
    return this.string() ?? '';
  }

  count(): number {
    const size = this.packed.sizes[this.next];
    if (size === undefined) throw new Error('packed rows ended early');
    this.next += 1;
    return size;
  }

  number(): number | null {
    if (this.count() === NULL_SIZE) return null;
    const value = this.packed.numbers[this.nextNumber];
    if (value === undefined) throw new Error('packed rows ended early');
    this.nextNumber += 1;
    return value;
  }
}

/** Packs the cells of CSV rows (for the standardising thread). */
export function packCells(rows: readonly (readonly string[])[]): PackedRows {
  const packer = new Packer();
  packer.count(rows.length);
  for (const cells of rows) {
    packer.row();
    packStrings(packer, cells);
  }
  return packer.finish();
}

export function unpackCells(packed: PackedRows): string[][] {
  const unpacker = new Unpacker(packed);
  const rows: string[][] = new Array(unpacker.count());
  for (let r = 0; r < rows.length; r++) {
    unpacker.row();
    rows[r] = unpackStrings(unpacker);
  }
  return rows;
}

/**
 * Packs CSV records whole (line, cells, the reader's warnings). Kept packed, a
 * batch is a few strings rather than thousands of small objects, which the
 * garbage collector would otherwise copy into the old generation while the
 * batch waits its turn.
 */
export function packRecords(records: readonly CsvRecord[]): PackedRows {
  const packer = new Packer();
  packer.count(records.length);
  for (const record of records) {
    packer.row();
    packer.count(record.line);
    packStrings(packer, record.cells);
    packStrings(packer, record.warnings ?? []);
  }
  return packer.finish();
}

/** The records one at a time, each read when it is needed (and free to die young). */
export function* unpackRecords(packed: PackedRows): Generator<CsvRecord, void, undefined> {
  const unpacker = new Unpacker(packed);
  const count = unpacker.count();
  for (let r = 0; r < count; r++) {
    unpacker.row();
    const record: CsvRecord = { line: unpacker.count(), cells: unpackStrings(unpacker) };
    const warnings = unpackStrings(unpacker);
    if (warnings.length > 0) record.warnings = warnings;
    yield record;
  }
}

/** A list of strings: its length, then each (an empty string stays empty, never null). */
export function packStrings(packer: Packer, values: readonly string[]): void {
  packer.count(values.length);
  for (const value of values) packer.string(value);
}

export function unpackStrings(unpacker: Unpacker): string[] {
  const list: string[] = new Array(unpacker.count());
  for (let i = 0; i < list.length; i++) list[i] = unpacker.text();
  return list;
}

/** A customer record: its values, external ids, tags and attributes. */
export function packCustomerRecord(packer: Packer, record: CustomerRecord): void {
  const { values, externalIds, tags, attributes } = record;
  for (const field of CUSTOMER_VALUE_FIELDS) packer.string(values[field]);
  packer.count(externalIds.length);
  for (const id of externalIds) {
    packer.string(id.source);
    packer.string(id.externalId);
  }
  packStrings(packer, tags);
  const names = Object.keys(attributes);
  packer.count(names.length);
  for (const name of names) {
    packer.string(name);
    packer.string(attributes[name] ?? '');
  }
}

export function unpackCustomerRecord(unpacker: Unpacker): CustomerRecord {
  const values: Record<keyof CustomerValues, string | null> = emptyCustomerValues();
  for (const field of CUSTOMER_VALUE_FIELDS) values[field] = unpacker.string();
  const externalIds: ExternalId[] = new Array(unpacker.count());
  for (let i = 0; i < externalIds.length; i++) externalIds[i] = { source: unpacker.text(), externalId: unpacker.text() };
  const tags = unpackStrings(unpacker);
  const attributes: Record<string, string> = {};
  const attributeCount = unpacker.count();
  for (let i = 0; i < attributeCount; i++) attributes[unpacker.text()] = unpacker.text();
  return { values: values as CustomerValues, externalIds, tags, attributes };
}

const BLANK = 0;
const ACCEPTED = 1;
const REJECTED = 2;

/** Packs standardised rows (back to the importing thread). */
export function packNormalized(records: readonly NormalizedRecord[]): PackedRows {
  const packer = new Packer();
  packer.count(records.length);
  for (const record of records) {
    packer.row();
    if (record === null) {
      packer.count(BLANK);
      continue;
    }
    packer.count(record.ok ? ACCEPTED : REJECTED);
    packer.count(record.warnings.length);
    for (const warning of record.warnings) {
      packer.string(warning.field);
      packer.string(warning.message);
    }
    if (record.ok) packCustomerRecord(packer, record.record);
    else packStrings(packer, record.reasons);
  }
  return packer.finish();
}

export function unpackNormalized(packed: PackedRows): NormalizedRecord[] {
  const unpacker = new Unpacker(packed);
  const records: NormalizedRecord[] = new Array(unpacker.count());
  for (let r = 0; r < records.length; r++) {
    unpacker.row();
    const kind = unpacker.count();
    if (kind === BLANK) {
      records[r] = null;
      continue;
    }
    const warnings: RowWarning[] = new Array(unpacker.count());
    for (let w = 0; w < warnings.length; w++) warnings[w] = { field: unpacker.text() as RowWarning['field'], message: unpacker.text() };
    records[r] = kind === REJECTED ? { ok: false, reasons: unpackStrings(unpacker), warnings } : { ok: true, record: unpackCustomerRecord(unpacker), warnings };
  }
  return records;
}
