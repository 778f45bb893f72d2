import type pg from 'pg';
import { CUSTOMER_VALUE_FIELDS, type CustomerValues } from '../../model/customer-record.js';
import { CHANGE_COLUMNS, changeValues, type ChangeRow, type CustomerWriter, type StoredCustomer } from '../customer-writer.js';
import type { KeyFilter } from '../key-filter.js';
import type { LookupKeys } from '../store.js';
import { CopyRows, refuseNul, type CopyValue } from './copy-rows.js';
import { CustomerMemory } from './customer-memory.js';
import type { ImportIds } from './import-ids.js';
import { LOOKUP_LIMIT } from './load-import-customers.js';

const STAMP_COLUMNS = ['email_consent_at', 'email_consent_source', 'sms_consent_at', 'sms_consent_source'] as const;
/** What an UPDATE of an existing customer sets: every column an import may change. */
const UPDATE_COLUMNS = [...CUSTOMER_VALUE_FIELDS, ...STAMP_COLUMNS, 'updated_at'] as const;
const UPDATE_SQL = `UPDATE customers AS c SET ${UPDATE_COLUMNS.map((column) => `${column} = u.${column}`).join(', ')}
  FROM unnest($1::int[], ${UPDATE_COLUMNS.map((_, i) => `$${i + 2}::text[]`).join(', ')}) AS u(id, ${UPDATE_COLUMNS.join(', ')})
 WHERE c.id = u.id`;

/** A customer written since the last write was taken: new (not yet in the table) or changed (in it). */
interface Written {
  isNew: boolean;
  createdAt: string;
  updatedAt: string;
  batchId: number | null;
}

/**
 * The customer writer on PostgreSQL. Lookups are answered from memory
 * (CustomerMemory): before each chunk of rows `load` reads from the table
 * what the chunk's keys can reach and memory does not hold yet, and the
 * chunk's writes update memory as they are buffered, so a later row sees an
 * earlier one exactly as SQLite's statements would. `takeWrites` hands the
 * buffers over to be written in bulk (COPY for new rows; set-based UPDATE and
 * INSERT … ON CONFLICT for existing ones); the session decides when (every so
 * many rows, and before any query of its own) and when memory is forgotten.
 *
 * A lookup of a key no `load` was given throws (a bug in the caller): memory
 * could not answer it as the database would.
 */
export class PostgresCustomerWriter implements CustomerWriter {
  private readonly memory: CustomerMemory;
  /** Customers written since the last write was taken, in the order first written. */
  private readonly written = new Map<number, Written>();
  /** Attributes set on customers already in the table: customer → names. */
  private readonly setAttributes = new Map<number, Set<string>>();

  private readonly identityRows = new CopyRows('customer_identities', ['id', 'customer_id', 'source', 'external_id', 'created_at', 'batch_id']);
  private readonly tagRows = new CopyRows('customer_tags', ['customer_id', 'tag']);
  private readonly changeRows = new CopyRows('changes', ['id', ...CHANGE_COLUMNS]);
  private suspects: { customerId: number; otherId: number; reason: string; batchId: number | null; now: string }[] = [];

  /** `known`: the keys the table may hold (see CustomerMemory), or undefined to ask it about every key. */
  constructor(
    private readonly ids: ImportIds,
    known: KeyFilter | undefined,
  ) {
    this.memory = new CustomerMemory(known);
  }

  /** Reads what this chunk's keys reach and memory does not hold yet; `ready` is awaited before any query. */
  async load(client: pg.ClientBase, keys: LookupKeys, ready: () => Promise<void>): Promise<void> {
    await this.memory.load(client, keys, ready);
  }

  /** How much memory holds (customers and keys). */
  get memorySize(): number {
    return this.memory.size;
  }

  /** Rows waiting to be taken by `takeWrites`. */
  get bufferedRows(): number {
    return this.written.size + this.setAttributes.size + this.identityRows.size + this.tagRows.size + this.changeRows.size + this.suspects.length;
  }

  /** Forgets everything read; only when nothing waits to be written. */
  forget(): void {
    if (this.bufferedRows > 0) throw new Error('the customer writer was asked to forget writes not yet taken');
    this.memory.forget();
  }

  getCustomer(id: number): StoredCustomer | undefined {
    return this.memory.customers.get(id);
  }

  findByIdentity(source: string, externalId: string): number | undefined {
    const holder = this.memory.holderOf(source, externalId);
    if (holder === undefined) throw notPrepared(`the identity ${source}:${externalId}`);
    return holder === null ? undefined : this.followMerges(holder);
  }

  findByEmail(emailNorm: string): number[] {
    const list = this.memory.byEmail.get(emailNorm);
    if (list === undefined) throw notPrepared(`the email ${emailNorm}`);
    return list.slice(0, LOOKUP_LIMIT);
  }

  findByPhone(e164: string): number[] {
    const list = this.memory.byPhone.get(e164);
    if (list === undefined) throw notPrepared(`the phone ${e164}`);
    return list.slice(0, LOOKUP_LIMIT);
  }

  identitySources(customerId: number): string[] {
    return [...this.extrasOf(customerId).sources];
  }

  tags(customerId: number): string[] {
    return [...this.extrasOf(customerId).tags];
  }

  attributes(customerId: number): Map<string, string> {
    return new Map(this.extrasOf(customerId).attributes);
  }

  insertCustomer(values: CustomerValues, meta: { batchId: number | null; now: string; consentSource: string; consentAt?: string }): number {
    const id = this.ids.next('customers');
    this.memory.addNew(
      storedCustomer(id, 'active', null, values, {
        email_consent_at: values.email_consent === null ? null : (meta.consentAt ?? meta.now),
        email_consent_source: values.email_consent === null ? null : meta.consentSource,
        sms_consent_at: values.sms_consent === null ? null : (meta.consentAt ?? meta.now),
        sms_consent_source: values.sms_consent === null ? null : meta.consentSource,
      }),
    );
    this.written.set(id, { isNew: true, createdAt: meta.now, updatedAt: meta.now, batchId: meta.batchId });
    return id;
  }

  updateField(customerId: number, field: keyof CustomerValues, value: string | null, meta: { now: string; consentSource: string; consentAt?: string }): void {
    const current = this.memory.customers.get(customerId);
    if (current === undefined) throw notPrepared(`customer ${customerId}`);
    // A new object: a caller may still hold the old one and read what the field was.
    const next = storedCustomer(current.id, current.status, current.merged_into, current, current);
    next[field] = value as never;
    if (field === 'email_consent' || field === 'sms_consent') {
      next[`${field}_at`] = meta.consentAt ?? meta.now;
      next[`${field}_source`] = meta.consentSource;
    }
    this.memory.replace(next);
    this.markWritten(customerId, meta.now);
  }

  insertIdentity(customerId: number, source: string, externalId: string, batchId: number | null, now: string): void {
    this.identityRows.add([this.ids.next('customer_identities'), customerId, source, externalId, now, batchId]);
    this.memory.setIdentity(source, externalId, customerId);
    const sources = this.memory.extras.get(customerId)?.sources;
    if (sources !== undefined && !sources.includes(source)) sources.push(source);
  }

  insertTag(customerId: number, tag: string): boolean {
    const tags = this.extrasOf(customerId).tags;
    if (tags.has(tag)) return false;
    tags.add(tag);
    this.tagRows.add([customerId, tag]);
    return true;
  }

  setAttribute(customerId: number, name: string, value: string): void {
    this.extrasOf(customerId).attributes.set(name, value);
    // A new customer's attributes are copied with it; one already in the table gets an upsert.
    if (this.written.get(customerId)?.isNew === true) return;
    let names = this.setAttributes.get(customerId);
    if (names === undefined) this.setAttributes.set(customerId, (names = new Set()));
    names.add(name);
  }

  recordChange(change: ChangeRow, at: string): void {
    this.changeRows.add([this.ids.next('changes'), ...changeValues(change, at)]);
  }

  flagSuspect(customerId: number, otherId: number, reason: string, batchId: number | null, now: string): void {
    this.suspects.push({ customerId, otherId, reason, batchId, now });
  }

  touch(customerId: number, now: string): void {
    if (!this.memory.customers.has(customerId)) throw notPrepared(`customer ${customerId}`);
    this.markWritten(customerId, now);
  }

  /**
   * Takes every buffered write, now, and returns what writes them: the new
   * customers by COPY and the changed ones by one UPDATE … FROM unnest, then
   * their identities, tags and attributes, the changes and the suspects. Rows
   * written from here on are buffered for the next. With `keepMemory`, memory
   * is from here on what the table holds once these are written (queries
   * after them see it so); otherwise the caller forgets it next.
   */
  takeWrites(keepMemory: boolean): (client: pg.ClientBase) => Promise<void> {
    const inserts = new CopyRows('customers', ['id', ...CUSTOMER_VALUE_FIELDS, ...STAMP_COLUMNS, 'created_at', 'updated_at', 'created_batch_id']);
    const newAttributes = new CopyRows('customer_attributes', ['customer_id', 'name', 'value']);
    const updates: CopyValue[][] = UPDATE_COLUMNS.map(() => []);
    const updateIds: number[] = [];
    for (const [id, written] of this.written) {
      const row = this.memory.customers.get(id)!;
      if (written.isNew) {
        inserts.add([id, ...CUSTOMER_VALUE_FIELDS.map((f) => row[f]), ...STAMP_COLUMNS.map((c) => row[c]), written.createdAt, written.updatedAt, written.batchId]);
        for (const [name, value] of this.memory.extras.get(id)!.attributes) newAttributes.add([id, name, value]);
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
    const identities = this.identityRows.take();
    const tags = this.tagRows.take();
    const attributes = this.takeSetAttributes();
    const changes = this.changeRows.take();
    const suspects = this.takeSuspects();
    if (keepMemory) this.memory.rebase();
    return async (client) => {
      await inserts.copyInto(client);
      if (updateIds.length > 0) await client.query({ name: 'custdb_import_update_customers', text: UPDATE_SQL, values: [updateIds, ...updates] });
      await identities.copyInto(client);
      await tags.copyInto(client);
      await newAttributes.copyInto(client);
      if (attributes !== undefined) await client.query(attributes);
      await changes.copyInto(client);
      if (suspects !== undefined) await client.query(suspects);
    };
  }

  /** The upsert of the attributes set on customers already in the table, or undefined when there are none. */
  private takeSetAttributes(): pg.QueryConfig | undefined {
    if (this.setAttributes.size === 0) return undefined;
    const ids: number[] = [];
    const names: string[] = [];
    const values: string[] = [];
    for (const [id, set] of this.setAttributes) {
      const attributes = this.memory.extras.get(id)!.attributes;
      for (const name of set) {
        const value = attributes.get(name)!;
        refuseNul(name, 'customer_attributes.name');
        refuseNul(value, 'customer_attributes.value');
        ids.push(id);
        names.push(name);
        values.push(value);
      }
    }
    this.setAttributes.clear();
    return {
      name: 'custdb_import_upsert_attributes',
      text: `INSERT INTO customer_attributes (customer_id, name, value) SELECT * FROM unnest($1::int[], $2::text[], $3::text[])
             ON CONFLICT (customer_id, name) DO UPDATE SET value = excluded.value`,
      values: [ids, names, values],
    };
  }

  /** The insert of the flagged suspects, or undefined when there are none. */
  private takeSuspects(): pg.QueryConfig | undefined {
    if (this.suspects.length === 0) return undefined;
    const suspects = this.suspects;
    this.suspects = [];
    for (const s of suspects) refuseNul(s.reason, 'duplicate_suspects.reason');
    // A pair already flagged keeps its first reason, as INSERT OR IGNORE does on SQLite (rows go in in order).
    return {
      name: 'custdb_import_suspects',
      text: `INSERT INTO duplicate_suspects (customer_id, other_id, reason, batch_id, created_at)
             SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::text[]) ON CONFLICT DO NOTHING`,
      values: [suspects.map((s) => s.customerId), suspects.map((s) => s.otherId), suspects.map((s) => s.reason), suspects.map((s) => s.batchId), suspects.map((s) => s.now)],
    };
  }

  private markWritten(customerId: number, now: string): void {
    const written = this.written.get(customerId);
    if (written === undefined) this.written.set(customerId, { isNew: false, createdAt: now, updatedAt: now, batchId: null });
    else written.updatedAt = now;
  }

  private extrasOf(customerId: number): { sources: string[]; tags: Set<string>; attributes: Map<string, string> } {
    const extras = this.memory.extras.get(customerId);
    if (extras === undefined) throw notPrepared(`customer ${customerId}`);
    return extras;
  }

  private followMerges(id: number): number {
    let current = id;
    for (let hops = 0; hops < 100; hops++) {
      const row = this.memory.customers.get(current);
      if (!row || row.status !== 'merged' || row.merged_into === null) return current;
      current = row.merged_into;
    }
    return current;
  }
}

/**
 * A customer row with every field spelled out, so that all of them share one
 * shape (a spread or a computed key would give each its own, and the
 * import's hottest function would slow to a crawl).
 */
function storedCustomer(
  id: number,
  status: StoredCustomer['status'],
  mergedInto: number | null,
  v: CustomerValues,
  stamps: Pick<StoredCustomer, 'email_consent_at' | 'email_consent_source' | 'sms_consent_at' | 'sms_consent_source'>,
): StoredCustomer {
  return {
    id,
    status,
    merged_into: mergedInto,
    first_name: v.first_name ?? null,
    last_name: v.last_name ?? null,
    email: v.email ?? null,
    email_norm: v.email_norm ?? null,
    phone: v.phone ?? null,
    phone_e164: v.phone_e164 ?? null,
    company: v.company ?? null,
    job_title: v.job_title ?? null,
    address_line1: v.address_line1 ?? null,
    address_line2: v.address_line2 ?? null,
    city: v.city ?? null,
    region: v.region ?? null,
    postal_code: v.postal_code ?? null,
    country: v.country ?? null,
    birth_date: v.birth_date ?? null,
    gender: v.gender ?? null,
    occupation: v.occupation ?? null,
    income: v.income ?? null,
    email_consent: v.email_consent ?? null,
    sms_consent: v.sms_consent ?? null,
    notes: v.notes ?? null,
    signup_date: v.signup_date ?? null,
    email_consent_at: stamps.email_consent_at,
    email_consent_source: stamps.email_consent_source,
    sms_consent_at: stamps.sms_consent_at,
    sms_consent_source: stamps.sms_consent_source,
  };
}

function notPrepared(what: string): Error {
  return new Error(`${what} was looked up in a PostgreSQL import without being among the keys handed to prepare (ImportSession.prepare)`);
}
