import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { CUSTOMER_VALUE_FIELDS, type CustomerValues } from '../../model/customer-record.js';
import { CHANGE_COLUMNS, changeValues, type ChangeRow, type CustomerWriter, type StoredCustomer } from '../customer-writer.js';
import { KeyFilter } from '../key-filter.js';

const VALUE_COLUMNS = CUSTOMER_VALUE_FIELDS.join(', ');
/** Columns an insert sets: the values, then consent stamps, timestamps and batch. */
const INSERT_COLUMNS = [
  ...CUSTOMER_VALUE_FIELDS,
  'email_consent_at',
  'email_consent_source',
  'sms_consent_at',
  'sms_consent_source',
  'created_at',
  'updated_at',
  'created_batch_id',
] as const;
const ALL_COLUMNS = 2 ** INSERT_COLUMNS.length - 1;
/**
 * Distinct column sets given their own insert; rows of any other set use the insert of
 * every column. Unbounded, a messy file's thousands of sets cost tens of MiB of statements.
 */
const MAX_INSERT_SHAPES = 128;
/** Below this many rows per existing customer, reading every key into a filter costs more than it saves. */
const FILTER_MIN_SHARE = 1 / 8;

export interface CustomerWriterOptions {
  /** Rows the caller expects to write; a large share of the table turns on the key filter. */
  expectedRows?: number;
}

/**
 * The customer writer on SQLite: prepared statements run row by row on the
 * import's open transaction (the import hot path). Nothing here commits.
 */
export class SqliteCustomerWriter implements CustomerWriter {
  private readonly statements;
  private readonly updateStatements = new Map<string, BetterSqlite3.Statement>();
  /** One insert per set of non-empty columns, keyed by a bit per column of INSERT_COLUMNS. */
  private readonly insertStatements = new Map<number, BetterSqlite3.Statement>();
  /** Emails, phones and identities that may exist; absent for small writes to a large table. */
  private readonly known: KeyFilter | undefined;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    options: CustomerWriterOptions = {},
  ) {
    this.statements = {
      customerById: sqlite.prepare(
        `SELECT id, status, merged_into, ${VALUE_COLUMNS}, email_consent_at, email_consent_source, sms_consent_at, sms_consent_source FROM customers WHERE id = ?`,
      ),
      identity: sqlite.prepare('SELECT customer_id FROM customer_identities WHERE source = ? AND external_id = ?').pluck(),
      byEmail: sqlite.prepare(`SELECT id FROM customers WHERE email_norm = ? AND status = 'active' ORDER BY id LIMIT 10`).pluck(),
      byPhone: sqlite.prepare(`SELECT id FROM customers WHERE phone_e164 = ? AND status = 'active' ORDER BY id LIMIT 10`).pluck(),
      identitySources: sqlite.prepare('SELECT DISTINCT source FROM customer_identities WHERE customer_id = ?').pluck(),
      tags: sqlite.prepare('SELECT tag FROM customer_tags WHERE customer_id = ?').pluck(),
      attributes: sqlite.prepare('SELECT name, value FROM customer_attributes WHERE customer_id = ?'),
      insertIdentity: sqlite.prepare(
        'INSERT INTO customer_identities (customer_id, source, external_id, created_at, batch_id) VALUES (?, ?, ?, ?, ?)',
      ),
      insertTag: sqlite.prepare('INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)'),
      upsertAttribute: sqlite.prepare(
        'INSERT INTO customer_attributes (customer_id, name, value) VALUES (?, ?, ?) ON CONFLICT (customer_id, name) DO UPDATE SET value = excluded.value',
      ),
      insertChange: sqlite.prepare(`INSERT INTO changes (${CHANGE_COLUMNS.join(', ')}) VALUES (${CHANGE_COLUMNS.map(() => '?').join(', ')})`),
      insertSuspect: sqlite.prepare(
        'INSERT OR IGNORE INTO duplicate_suspects (customer_id, other_id, reason, batch_id, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      touch: sqlite.prepare('UPDATE customers SET updated_at = ? WHERE id = ?'),
    };
    this.known = this.loadKnownKeys(options.expectedRows ?? 0);
  }

  getCustomer(id: number): StoredCustomer | undefined {
    return this.statements.customerById.get(id) as StoredCustomer | undefined;
  }

  /** The customer holding (source, external id), following merges to the survivor. */
  findByIdentity(source: string, externalId: string): number | undefined {
    if (this.known && !this.known.mightContain(identityKey(source, externalId))) return undefined;
    const id = this.statements.identity.get(source, externalId) as number | undefined;
    return id === undefined ? undefined : this.followMerges(id);
  }

  findByEmail(emailNorm: string): number[] {
    if (this.known && !this.known.mightContain(emailKey(emailNorm))) return [];
    return this.statements.byEmail.all(emailNorm) as number[];
  }

  findByPhone(e164: string): number[] {
    if (this.known && !this.known.mightContain(phoneKey(e164))) return [];
    return this.statements.byPhone.all(e164) as number[];
  }

  /** The sources the customer has external ids from. */
  identitySources(customerId: number): string[] {
    return this.statements.identitySources.all(customerId) as string[];
  }

  tags(customerId: number): string[] {
    return this.statements.tags.all(customerId) as string[];
  }

  attributes(customerId: number): Map<string, string> {
    const rows = this.statements.attributes.all(customerId) as { name: string; value: string }[];
    return new Map(rows.map((r) => [r.name, r.value]));
  }

  insertCustomer(
    values: CustomerValues,
    meta: { batchId: number | null; now: string; consentSource: string; consentAt?: string },
  ): number {
    const all: (string | number | null)[] = CUSTOMER_VALUE_FIELDS.map((field) => values[field]);
    all.push(
      values.email_consent === null ? null : (meta.consentAt ?? meta.now),
      values.email_consent === null ? null : meta.consentSource,
      values.sms_consent === null ? null : (meta.consentAt ?? meta.now),
      values.sms_consent === null ? null : meta.consentSource,
      meta.now,
      meta.now,
      meta.batchId,
    );
    // Bind only the non-empty columns (the rest take their NULL default): each bound
    // parameter costs more than SQLite's work on it, and half a typical row is empty.
    const params: (string | number)[] = [];
    let shape = 0;
    for (let i = 0; i < all.length; i++) {
      const value = all[i];
      if (value === null || value === undefined) continue;
      params.push(value);
      shape |= 1 << i;
    }
    const statement = this.insertStatementFor(shape);
    const result = statement ? statement.run(...params) : this.insertStatementFor(ALL_COLUMNS)!.run(...all);
    if (this.known) {
      if (values.email_norm !== null) this.known.add(emailKey(values.email_norm));
      if (values.phone_e164 !== null) this.known.add(phoneKey(values.phone_e164));
    }
    return Number(result.lastInsertRowid);
  }

  /** Sets one column; consent fields also stamp when and from where. */
  updateField(customerId: number, field: keyof CustomerValues, value: string | null, meta: { now: string; consentSource: string; consentAt?: string }): void {
    let statement = this.updateStatements.get(field);
    if (!statement) {
      const consent = field === 'email_consent' || field === 'sms_consent';
      statement = this.sqlite.prepare(
        consent
          ? `UPDATE customers SET ${field} = @value, ${field}_at = @consentAt, ${field}_source = @source, updated_at = @now WHERE id = @id`
          : `UPDATE customers SET ${field} = @value, updated_at = @now WHERE id = @id`,
      );
      this.updateStatements.set(field, statement);
    }
    const consent = field === 'email_consent' || field === 'sms_consent';
    statement.run(consent ? { id: customerId, value, now: meta.now, consentAt: meta.consentAt ?? meta.now, source: meta.consentSource } : { id: customerId, value, now: meta.now });
    if (this.known && value !== null && field === 'email_norm') this.known.add(emailKey(value));
    if (this.known && value !== null && field === 'phone_e164') this.known.add(phoneKey(value));
  }

  insertIdentity(customerId: number, source: string, externalId: string, batchId: number | null, now: string): void {
    this.statements.insertIdentity.run(customerId, source, externalId, now, batchId);
    this.known?.add(identityKey(source, externalId));
  }

  /** Returns true when the tag was new for this customer. */
  insertTag(customerId: number, tag: string): boolean {
    return this.statements.insertTag.run(customerId, tag).changes > 0;
  }

  setAttribute(customerId: number, name: string, value: string): void {
    this.statements.upsertAttribute.run(customerId, name, value);
  }

  recordChange(change: ChangeRow, at: string): void {
    this.statements.insertChange.run(...changeValues(change, at));
  }

  flagSuspect(customerId: number, otherId: number, reason: string, batchId: number | null, now: string): void {
    this.statements.insertSuspect.run(customerId, otherId, reason, batchId, now);
  }

  touch(customerId: number, now: string): void {
    this.statements.touch.run(now, customerId);
  }

  /** The insert of exactly the columns in `shape`; undefined once MAX_INSERT_SHAPES others exist. */
  private insertStatementFor(shape: number): BetterSqlite3.Statement | undefined {
    let statement = this.insertStatements.get(shape);
    if (!statement) {
      if (this.insertStatements.size >= MAX_INSERT_SHAPES && shape !== ALL_COLUMNS) return undefined;
      const columns = INSERT_COLUMNS.filter((_, i) => (shape & (1 << i)) !== 0);
      statement = this.sqlite.prepare(
        columns.length === 0 ? 'INSERT INTO customers DEFAULT VALUES' : `INSERT INTO customers (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
      );
      this.insertStatements.set(shape, statement);
    }
    return statement;
  }

  /**
   * Reads every email, phone and identity into a filter when this write is large
   * next to the table (an empty table needs no reading at all); undefined otherwise,
   * and every lookup then asks the database.
   */
  private loadKnownKeys(expectedRows: number): KeyFilter | undefined {
    const existing = Number(this.sqlite.prepare('SELECT coalesce(max(id), 0) FROM customers').pluck().get());
    if (expectedRows === 0 || expectedRows < existing * FILTER_MIN_SHARE) return undefined;
    const filter = new KeyFilter(3 * (existing + expectedRows));
    if (existing === 0) return filter;
    const emails = this.sqlite.prepare('SELECT email_norm FROM customers WHERE email_norm IS NOT NULL').pluck();
    for (const email of emails.iterate()) filter.add(emailKey(email as string));
    const phones = this.sqlite.prepare('SELECT phone_e164 FROM customers WHERE phone_e164 IS NOT NULL').pluck();
    for (const phone of phones.iterate()) filter.add(phoneKey(phone as string));
    const identities = this.sqlite.prepare('SELECT source, external_id FROM customer_identities').raw();
    for (const [source, externalId] of identities.iterate() as Iterable<[string, string]>) filter.add(identityKey(source, externalId));
    return filter;
  }

  private followMerges(id: number): number {
    let current = id;
    for (let hops = 0; hops < 100; hops++) {
      const row = this.getCustomer(current);
      if (!row || row.status !== 'merged' || row.merged_into === null) return current;
      current = row.merged_into;
    }
    return current;
  }
}

const emailKey = (emailNorm: string): string => `e${emailNorm}`;
const phoneKey = (e164: string): string => `p${e164}`;
const identityKey = (source: string, externalId: string): string => `i${source}\u0000${externalId}`;
