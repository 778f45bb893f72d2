import type BetterSqlite3 from 'better-sqlite3';
import { CUSTOMER_VALUE_FIELDS, type CustomerValues } from '../model/customer-record.js';
import type { ChangeEntity } from './tables.js';

/** An existing customer as identity resolution sees it. */
export interface StoredCustomer extends CustomerValues {
  id: number;
  email_consent_at: string | null;
  email_consent_source: string | null;
  sms_consent_at: string | null;
  sms_consent_source: string | null;
  status: 'active' | 'merged' | 'erased';
  merged_into: number | null;
}

export interface ChangeRow {
  batchId: number | null;
  eventId: number | null;
  customerId: number;
  entity: ChangeEntity;
  entityId: string | null;
  action: 'insert' | 'update' | 'delete';
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
}

const VALUE_COLUMNS = CUSTOMER_VALUE_FIELDS.join(', ');

/**
 * Prepared statements for writing customers row by row inside one
 * transaction: the import hot path. Every method is synchronous and runs on
 * the caller's open transaction; nothing here commits.
 */
export class CustomerWriter {
  private readonly statements;
  private readonly updateStatements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly sqlite: BetterSqlite3.Database) {
    // Positional parameters: binding a 27-key object by name costs more than the insert itself.
    const placeholders = CUSTOMER_VALUE_FIELDS.map(() => '?').join(', ');
    this.statements = {
      customerById: sqlite.prepare(
        `SELECT id, status, merged_into, ${VALUE_COLUMNS}, email_consent_at, email_consent_source, sms_consent_at, sms_consent_source FROM customers WHERE id = ?`,
      ),
      identity: sqlite.prepare('SELECT customer_id FROM customer_identities WHERE source = ? AND external_id = ?').pluck(),
      byEmail: sqlite.prepare(`SELECT id FROM customers WHERE email_norm = ? AND status = 'active' ORDER BY id LIMIT 10`).pluck(),
      byPhone: sqlite.prepare(`SELECT id FROM customers WHERE phone_e164 = ? AND status = 'active' ORDER BY id LIMIT 10`).pluck(),
      tags: sqlite.prepare('SELECT tag FROM customer_tags WHERE customer_id = ?').pluck(),
      attributes: sqlite.prepare('SELECT name, value FROM customer_attributes WHERE customer_id = ?'),
      insertCustomer: sqlite.prepare(
        `INSERT INTO customers (${VALUE_COLUMNS}, email_consent_at, email_consent_source, sms_consent_at, sms_consent_source, created_at, updated_at, created_batch_id)
         VALUES (${placeholders}, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertIdentity: sqlite.prepare(
        'INSERT INTO customer_identities (customer_id, source, external_id, created_at, batch_id) VALUES (?, ?, ?, ?, ?)',
      ),
      insertTag: sqlite.prepare('INSERT OR IGNORE INTO customer_tags (customer_id, tag) VALUES (?, ?)'),
      upsertAttribute: sqlite.prepare(
        'INSERT INTO customer_attributes (customer_id, name, value) VALUES (?, ?, ?) ON CONFLICT (customer_id, name) DO UPDATE SET value = excluded.value',
      ),
      insertChange: sqlite.prepare(
        `INSERT INTO changes (batch_id, event_id, customer_id, entity, entity_id, action, field, old_value, new_value, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertSuspect: sqlite.prepare(
        'INSERT OR IGNORE INTO duplicate_suspects (customer_id, other_id, reason, batch_id, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      touch: sqlite.prepare('UPDATE customers SET updated_at = ? WHERE id = ?'),
    };
  }

  getCustomer(id: number): StoredCustomer | undefined {
    return this.statements.customerById.get(id) as StoredCustomer | undefined;
  }

  /** The customer holding (source, external id), following merges to the survivor. */
  findByIdentity(source: string, externalId: string): number | undefined {
    const id = this.statements.identity.get(source, externalId) as number | undefined;
    return id === undefined ? undefined : this.followMerges(id);
  }

  findByEmail(emailNorm: string): number[] {
    return this.statements.byEmail.all(emailNorm) as number[];
  }

  findByPhone(e164: string): number[] {
    return this.statements.byPhone.all(e164) as number[];
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
    meta: { batchId: number | null; now: string; consentSource: string },
  ): number {
    const params: (string | number | null)[] = CUSTOMER_VALUE_FIELDS.map((field) => values[field]);
    params.push(
      values.email_consent === null ? null : meta.now,
      values.email_consent === null ? null : meta.consentSource,
      values.sms_consent === null ? null : meta.now,
      values.sms_consent === null ? null : meta.consentSource,
      meta.now,
      meta.now,
      meta.batchId,
    );
    const result = this.statements.insertCustomer.run(params);
    return Number(result.lastInsertRowid);
  }

  /** Sets one column; consent fields also stamp when and from where. */
  updateField(customerId: number, field: keyof CustomerValues, value: string | null, meta: { now: string; consentSource: string }): void {
    let statement = this.updateStatements.get(field);
    if (!statement) {
      const consent = field === 'email_consent' || field === 'sms_consent';
      statement = this.sqlite.prepare(
        consent
          ? `UPDATE customers SET ${field} = @value, ${field}_at = @now, ${field}_source = @source, updated_at = @now WHERE id = @id`
          : `UPDATE customers SET ${field} = @value, updated_at = @now WHERE id = @id`,
      );
      this.updateStatements.set(field, statement);
    }
    statement.run({ id: customerId, value, now: meta.now, source: meta.consentSource });
  }

  insertIdentity(customerId: number, source: string, externalId: string, batchId: number | null, now: string): void {
    this.statements.insertIdentity.run(customerId, source, externalId, now, batchId);
  }

  /** Returns true when the tag was new for this customer. */
  insertTag(customerId: number, tag: string): boolean {
    return this.statements.insertTag.run(customerId, tag).changes > 0;
  }

  setAttribute(customerId: number, name: string, value: string): void {
    this.statements.upsertAttribute.run(customerId, name, value);
  }

  recordChange(change: ChangeRow, at: string): void {
    this.statements.insertChange.run(
      change.batchId,
      change.eventId,
      change.customerId,
      change.entity,
      change.entityId,
      change.action,
      change.field,
      change.oldValue,
      change.newValue,
      at,
    );
  }

  flagSuspect(customerId: number, otherId: number, reason: string, batchId: number | null, now: string): void {
    this.statements.insertSuspect.run(customerId, otherId, reason, batchId, now);
  }

  touch(customerId: number, now: string): void {
    this.statements.touch.run(now, customerId);
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
