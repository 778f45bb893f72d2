import type pg from 'pg';
import { CUSTOMER_VALUE_FIELDS, type CustomerValues } from '../../model/customer-record.js';
import type { ChangeRow, CustomerWriter, StoredCustomer } from '../customer-writer.js';
import type { LookupKeys } from '../store.js';
import { CopyRows, refuseNul, type CopyValue } from './copy-rows.js';
import type { ImportIds } from './import-ids.js';
import { loadImportCustomers, LOOKUP_LIMIT } from './load-import-customers.js';

const STAMP_COLUMNS = ['email_consent_at', 'email_consent_source', 'sms_consent_at', 'sms_consent_source'] as const;
/** What an UPDATE of an existing customer sets: every column an import may change. */
const UPDATE_COLUMNS = [...CUSTOMER_VALUE_FIELDS, ...STAMP_COLUMNS, 'updated_at'] as const;
const UPDATE_SQL = `UPDATE customers AS c SET ${UPDATE_COLUMNS.map((column) => `${column} = u.${column}`).join(', ')}
  FROM unnest($1::int[], ${UPDATE_COLUMNS.map((_, i) => `$${i + 2}::text[]`).join(', ')}) AS u(id, ${UPDATE_COLUMNS.join(', ')})
 WHERE c.id = u.id`;

/** Where a customer written by this chunk stands: new (not yet in the table) or changed (in it). */
interface Written {
  isNew: boolean;
  createdAt: string;
  updatedAt: string;
  batchId: number | null;
}

/**
 * The customer writer on PostgreSQL. Lookups are answered from memory: before
 * each chunk of rows `load` reads every customer the chunk's keys can reach
 * (loadImportCustomers), and the writes of the chunk update that memory as
 * they are buffered, so a later row of the chunk sees an earlier one exactly
 * as SQLite's statements would. `flush` writes the buffers in bulk (COPY for
 * new rows; set-based UPDATE and INSERT … ON CONFLICT for existing ones) and
 * forgets the chunk: the next chunk reads again from the table, where
 * everything written so far now is. Memory is bounded by a chunk.
 *
 * A lookup of a key the chunk's `load` was not given throws (a bug in the
 * caller): memory could not answer it as the database would.
 */
export class PostgresCustomerWriter implements CustomerWriter {
  private customers = new Map<number, StoredCustomer>();
  /** (source, external id) → holder before following merges; null when nobody holds it. */
  private identities = new Map<string, number | null>();
  /** Asked email (phone) → active customers with it, lowest id first (see LOOKUP_LIMIT). */
  private byEmail = new Map<string, number[]>();
  private byPhone = new Map<string, number[]>();
  private sources = new Map<number, string[]>();
  private tagSets = new Map<number, Set<string>>();
  private attributeMaps = new Map<number, Map<string, string>>();
  /** Customers this chunk inserted or changed, in the order first written. */
  private written = new Map<number, Written>();
  /** Attributes set on customers already in the table: customer → names. */
  private setAttributes = new Map<number, Set<string>>();

  private readonly identityRows = new CopyRows('customer_identities', ['id', 'customer_id', 'source', 'external_id', 'created_at', 'batch_id']);
  private readonly tagRows = new CopyRows('customer_tags', ['customer_id', 'tag']);
  private readonly changeRows = new CopyRows('changes', ['id', 'batch_id', 'event_id', 'customer_id', 'entity', 'entity_id', 'action', 'field', 'old_value', 'new_value', 'at']);
  private suspects: { customerId: number; otherId: number; reason: string; batchId: number | null; now: string }[] = [];

  constructor(private readonly ids: ImportIds) {}

  /** Forgets the last chunk and reads what this one can reach (call after `flush`). */
  async load(client: pg.ClientBase, keys: LookupKeys): Promise<void> {
    this.forget();
    const loaded = await loadImportCustomers(client, keys);
    for (const key of keys.identities) this.identities.set(identityKey(key.source, key.externalId), null);
    for (const email of keys.emails) this.byEmail.set(email, []);
    for (const phone of keys.phones) this.byPhone.set(phone, []);
    for (const customer of loaded) {
      const row = customer.row;
      this.customers.set(row.id, row);
      for (const n of customer.identityHits) {
        const key = keys.identities[n]!;
        this.identities.set(identityKey(key.source, key.externalId), row.id);
      }
      this.sources.set(row.id, customer.sources);
      this.tagSets.set(row.id, new Set(customer.tags));
      this.attributeMaps.set(row.id, new Map(customer.attributes));
      if (row.status === 'active') {
        if (row.email_norm !== null) this.byEmail.get(row.email_norm)?.push(row.id);
        if (row.phone_e164 !== null) this.byPhone.get(row.phone_e164)?.push(row.id);
      }
    }
    for (const list of this.byEmail.values()) list.sort((a, b) => a - b);
    for (const list of this.byPhone.values()) list.sort((a, b) => a - b);
  }

  getCustomer(id: number): StoredCustomer | undefined {
    return this.customers.get(id);
  }

  findByIdentity(source: string, externalId: string): number | undefined {
    const holder = this.identities.get(identityKey(source, externalId));
    if (holder === undefined) throw notPrepared(`the identity ${source}:${externalId}`);
    return holder === null ? undefined : this.followMerges(holder);
  }

  findByEmail(emailNorm: string): number[] {
    const list = this.byEmail.get(emailNorm);
    if (list === undefined) throw notPrepared(`the email ${emailNorm}`);
    return list.slice(0, LOOKUP_LIMIT);
  }

  findByPhone(e164: string): number[] {
    const list = this.byPhone.get(e164);
    if (list === undefined) throw notPrepared(`the phone ${e164}`);
    return list.slice(0, LOOKUP_LIMIT);
  }

  identitySources(customerId: number): string[] {
    return [...this.known(this.sources, customerId)];
  }

  tags(customerId: number): string[] {
    return [...this.known(this.tagSets, customerId)];
  }

  attributes(customerId: number): Map<string, string> {
    return new Map(this.known(this.attributeMaps, customerId));
  }

  insertCustomer(values: CustomerValues, meta: { batchId: number | null; now: string; consentSource: string }): number {
    const id = this.ids.next('customers');
    const row: StoredCustomer = {
      id,
      status: 'active',
      merged_into: null,
      ...pickValues(values),
      email_consent_at: values.email_consent === null ? null : meta.now,
      email_consent_source: values.email_consent === null ? null : meta.consentSource,
      sms_consent_at: values.sms_consent === null ? null : meta.now,
      sms_consent_source: values.sms_consent === null ? null : meta.consentSource,
    };
    this.customers.set(id, row);
    this.written.set(id, { isNew: true, createdAt: meta.now, updatedAt: meta.now, batchId: meta.batchId });
    this.sources.set(id, []);
    this.tagSets.set(id, new Set());
    this.attributeMaps.set(id, new Map());
    // A new id is above every other: it goes last.
    if (row.email_norm !== null) this.byEmail.get(row.email_norm)?.push(id);
    if (row.phone_e164 !== null) this.byPhone.get(row.phone_e164)?.push(id);
    return id;
  }

  updateField(customerId: number, field: keyof CustomerValues, value: string | null, meta: { now: string; consentSource: string }): void {
    const current = this.known(this.customers, customerId);
    // A new object: a caller may still hold the old one and read what the field was.
    const next: StoredCustomer = { ...current, [field]: value };
    if (field === 'email_consent' || field === 'sms_consent') {
      next[`${field}_at`] = meta.now;
      next[`${field}_source`] = meta.consentSource;
    }
    this.customers.set(customerId, next);
    this.markWritten(customerId, meta.now);
    if (current.status === 'active' && field === 'email_norm') moveInList(this.byEmail, customerId, current.email_norm, value);
    if (current.status === 'active' && field === 'phone_e164') moveInList(this.byPhone, customerId, current.phone_e164, value);
  }

  insertIdentity(customerId: number, source: string, externalId: string, batchId: number | null, now: string): void {
    this.identityRows.add([this.ids.next('customer_identities'), customerId, source, externalId, now, batchId]);
    this.identities.set(identityKey(source, externalId), customerId);
    const sources = this.sources.get(customerId);
    if (sources !== undefined && !sources.includes(source)) sources.push(source);
  }

  insertTag(customerId: number, tag: string): boolean {
    const tags = this.known(this.tagSets, customerId);
    if (tags.has(tag)) return false;
    tags.add(tag);
    this.tagRows.add([customerId, tag]);
    return true;
  }

  setAttribute(customerId: number, name: string, value: string): void {
    this.known(this.attributeMaps, customerId).set(name, value);
    if (this.written.get(customerId)?.isNew === true) return;
    let names = this.setAttributes.get(customerId);
    if (names === undefined) this.setAttributes.set(customerId, (names = new Set()));
    names.add(name);
  }

  recordChange(change: ChangeRow, at: string): void {
    this.changeRows.add([
      this.ids.next('changes'),
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
    ]);
  }

  flagSuspect(customerId: number, otherId: number, reason: string, batchId: number | null, now: string): void {
    this.suspects.push({ customerId, otherId, reason, batchId, now });
  }

  touch(customerId: number, now: string): void {
    this.known(this.customers, customerId);
    this.markWritten(customerId, now);
  }

  /** Whether writes are waiting for `flush`. */
  get pending(): boolean {
    return this.written.size > 0 || this.identityRows.size > 0 || this.tagRows.size > 0 || this.changeRows.size > 0 || this.suspects.length > 0;
  }

  /**
   * Writes the chunk's customers (new ones by COPY, changed ones by one
   * UPDATE … FROM unnest), then their identities, tags and attributes, the
   * changes and the suspects; the memory of the chunk stays until `load`.
   */
  async flush(client: pg.ClientBase): Promise<void> {
    const inserts = new CopyRows('customers', ['id', ...CUSTOMER_VALUE_FIELDS, ...STAMP_COLUMNS, 'created_at', 'updated_at', 'created_batch_id']);
    const newAttributes = new CopyRows('customer_attributes', ['customer_id', 'name', 'value']);
    const updates: CopyValue[][] = UPDATE_COLUMNS.map(() => []);
    const updateIds: number[] = [];
    for (const [id, written] of this.written) {
      const row = this.customers.get(id)!;
      if (written.isNew) {
        inserts.add([id, ...CUSTOMER_VALUE_FIELDS.map((f) => row[f]), ...STAMP_COLUMNS.map((c) => row[c]), written.createdAt, written.updatedAt, written.batchId]);
        for (const [name, value] of this.attributeMaps.get(id)!) newAttributes.add([id, name, value]);
      } else {
        updateIds.push(id);
        UPDATE_COLUMNS.forEach((column, i) => {
          const value = column === 'updated_at' ? written.updatedAt : row[column];
          if (value !== null) refuseNul(value, `customers.${column}`);
          updates[i]!.push(value);
        });
      }
    }
    this.written.clear();
    await inserts.copyInto(client);
    if (updateIds.length > 0) await client.query({ name: 'custdb_import_update_customers', text: UPDATE_SQL, values: [updateIds, ...updates] });
    await this.identityRows.copyInto(client);
    await this.tagRows.copyInto(client);
    await newAttributes.copyInto(client);
    await this.flushSetAttributes(client);
    await this.changeRows.copyInto(client);
    await this.flushSuspects(client);
  }

  private async flushSetAttributes(client: pg.ClientBase): Promise<void> {
    if (this.setAttributes.size === 0) return;
    const ids: number[] = [];
    const names: string[] = [];
    const values: string[] = [];
    for (const [id, set] of this.setAttributes) {
      const attributes = this.attributeMaps.get(id)!;
      for (const name of set) {
        ids.push(id);
        names.push(name);
        values.push(attributes.get(name)!);
        refuseNul(name, 'customer_attributes.name');
        refuseNul(attributes.get(name)!, 'customer_attributes.value');
      }
    }
    this.setAttributes.clear();
    await client.query({
      name: 'custdb_import_upsert_attributes',
      text: `INSERT INTO customer_attributes (customer_id, name, value) SELECT * FROM unnest($1::int[], $2::text[], $3::text[])
             ON CONFLICT (customer_id, name) DO UPDATE SET value = excluded.value`,
      values: [ids, names, values],
    });
  }

  private async flushSuspects(client: pg.ClientBase): Promise<void> {
    if (this.suspects.length === 0) return;
    const suspects = this.suspects;
    this.suspects = [];
    for (const s of suspects) refuseNul(s.reason, 'duplicate_suspects.reason');
    // A pair already flagged keeps its first reason, as INSERT OR IGNORE does on SQLite (rows go in in order).
    await client.query({
      name: 'custdb_import_suspects',
      text: `INSERT INTO duplicate_suspects (customer_id, other_id, reason, batch_id, created_at)
             SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::text[]) ON CONFLICT DO NOTHING`,
      values: [suspects.map((s) => s.customerId), suspects.map((s) => s.otherId), suspects.map((s) => s.reason), suspects.map((s) => s.batchId), suspects.map((s) => s.now)],
    });
  }

  private markWritten(customerId: number, now: string): void {
    const written = this.written.get(customerId);
    if (written === undefined) this.written.set(customerId, { isNew: false, createdAt: now, updatedAt: now, batchId: null });
    else written.updatedAt = now;
  }

  /** The chunk's entry for a customer; throws when the chunk never read it. */
  private known<T>(map: Map<number, T>, customerId: number): T {
    const value = map.get(customerId);
    if (value === undefined) throw notPrepared(`customer ${customerId}`);
    return value;
  }

  private forget(): void {
    if (this.pending) throw new Error('the customer writer was loaded with writes not yet flushed');
    this.customers = new Map();
    this.identities = new Map();
    this.byEmail = new Map();
    this.byPhone = new Map();
    this.sources = new Map();
    this.tagSets = new Map();
    this.attributeMaps = new Map();
    this.setAttributes = new Map();
  }

  private followMerges(id: number): number {
    let current = id;
    for (let hops = 0; hops < 100; hops++) {
      const row = this.customers.get(current);
      if (!row || row.status !== 'merged' || row.merged_into === null) return current;
      current = row.merged_into;
    }
    return current;
  }
}

function pickValues(values: CustomerValues): CustomerValues {
  const picked = {} as Record<keyof CustomerValues, string | null>;
  for (const field of CUSTOMER_VALUE_FIELDS) picked[field] = values[field] ?? null;
  return picked as CustomerValues;
}

/** Takes `id` off `from`'s list and puts it in `to`'s, in id order (lists the chunk did not ask for are not kept). */
function moveInList(lists: Map<string, number[]>, id: number, from: string | null, to: string | null): void {
  if (from === to) return;
  if (from !== null) {
    const list = lists.get(from);
    const at = list?.indexOf(id) ?? -1;
    if (at >= 0) list!.splice(at, 1);
  }
  if (to !== null) {
    const list = lists.get(to);
    if (list !== undefined && !list.includes(id)) {
      let at = list.length;
      while (at > 0 && list[at - 1]! > id) at--;
      list.splice(at, 0, id);
    }
  }
}

function identityKey(source: string, externalId: string): string {
  return `${source}\u0000${externalId}`;
}

function notPrepared(what: string): Error {
  return new Error(`${what} was looked up in a PostgreSQL import without being among the chunk's keys (ImportSession.prepare)`);
}
