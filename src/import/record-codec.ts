import { CUSTOMER_VALUE_FIELDS, emptyCustomerValues, type CustomerValues, type ExternalId } from '../model/customer-record.js';
import type { NormalizedRecord } from './normalize-records.js';
import type { RowWarning } from './normalize-customer-row.js';

/**
 * Rows packed for a trip between threads: every string laid end to end in one
 * `text`, and `sizes` giving each string's length (-1 for null) or a count.
 * Copying one long string and one typed array between threads costs a fraction
 * of cloning a million small objects field by field. Pure.
 */
export interface PackedRows {
  text: string;
  sizes: Int32Array;
}

class Packer {
  private readonly parts: string[] = [];
  private readonly sizes: number[] = [];

  string(value: string | null): void {
    if (value === null) {
      this.sizes.push(-1);
    } else {
      this.parts.push(value);
      this.sizes.push(value.length);
    }
  }

  count(n: number): void {
    this.sizes.push(n);
  }

  finish(): PackedRows {
    return { text: this.parts.join(''), sizes: Int32Array.from(this.sizes) };
  }
}

class Unpacker {
  private next = 0;
  private offset = 0;

  constructor(private readonly packed: PackedRows) {}

  string(): string | null {
    const size = this.count();
    if (size < 0) return null;
    const value = this.packed.text.slice(this.offset, this.offset + size);
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
}

/** Packs the cells of CSV rows (for the standardising thread). */
export function packCells(rows: readonly (readonly string[])[]): PackedRows {
  const packer = new Packer();
  packer.count(rows.length);
  for (const cells of rows) {
    packer.count(cells.length);
    for (const cell of cells) packer.string(cell);
  }
  return packer.finish();
}

export function unpackCells(packed: PackedRows): string[][] {
  const unpacker = new Unpacker(packed);
  const rows: string[][] = new Array(unpacker.count());
  for (let r = 0; r < rows.length; r++) {
    const cells: string[] = new Array(unpacker.count());
    for (let c = 0; c < cells.length; c++) cells[c] = unpacker.text();
    rows[r] = cells;
  }
  return rows;
}

const BLANK = 0;
const ACCEPTED = 1;
const REJECTED = 2;

/** Packs standardised rows (back to the importing thread). */
export function packNormalized(records: readonly NormalizedRecord[]): PackedRows {
  const packer = new Packer();
  const strings = (values: readonly string[]) => {
    packer.count(values.length);
    for (const value of values) packer.string(value);
  };
  packer.count(records.length);
  for (const record of records) {
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
    if (!record.ok) {
      strings(record.reasons);
      continue;
    }
    const { values, externalIds, tags, attributes } = record.record;
    for (const field of CUSTOMER_VALUE_FIELDS) packer.string(values[field]);
    packer.count(externalIds.length);
    for (const id of externalIds) {
      packer.string(id.source);
      packer.string(id.externalId);
    }
    strings(tags);
    const names = Object.keys(attributes);
    packer.count(names.length);
    for (const name of names) {
      packer.string(name);
      packer.string(attributes[name] ?? '');
    }
  }
  return packer.finish();
}

export function unpackNormalized(packed: PackedRows): NormalizedRecord[] {
  const unpacker = new Unpacker(packed);
  const strings = (): string[] => {
    const list: string[] = new Array(unpacker.count());
    for (let i = 0; i < list.length; i++) list[i] = unpacker.text();
    return list;
  };
  const records: NormalizedRecord[] = new Array(unpacker.count());
  for (let r = 0; r < records.length; r++) {
    const kind = unpacker.count();
    if (kind === BLANK) {
      records[r] = null;
      continue;
    }
    const warnings: RowWarning[] = new Array(unpacker.count());
    for (let w = 0; w < warnings.length; w++) warnings[w] = { field: unpacker.text() as RowWarning['field'], message: unpacker.text() };
    if (kind === REJECTED) {
      records[r] = { ok: false, reasons: strings(), warnings };
      continue;
    }
    const values: Record<keyof CustomerValues, string | null> = emptyCustomerValues();
    for (const field of CUSTOMER_VALUE_FIELDS) values[field] = unpacker.string();
    const externalIds: ExternalId[] = new Array(unpacker.count());
    for (let i = 0; i < externalIds.length; i++) externalIds[i] = { source: unpacker.text(), externalId: unpacker.text() };
    const tags = strings();
    const attributes: Record<string, string> = {};
    const attributeCount = unpacker.count();
    for (let i = 0; i < attributeCount; i++) attributes[unpacker.text()] = unpacker.text();
    records[r] = { ok: true, record: { values: values as CustomerValues, externalIds, tags, attributes }, warnings };
  }
  return records;
}
