import type { Selectable } from 'kysely';
import { nowIso } from '../db/clock.js';
import { recordsOf } from '../db/erase-customers.js';
import type { Store } from '../db/store.js';
import type { ChangeTable, CustomerTable, InteractionTable } from '../db/tables.js';
import { formatMinor } from '../export/format-money.js';
import { segmentsOfCustomer } from '../query/query-customers.js';
import { readAsOf } from '../query/read-as-of.js';

type CustomerRow = Selectable<CustomerTable>;

/** One consent as held now: the answer, when it was given and where it came from. */
export interface ConsentHeld {
  state: 'granted' | 'denied' | null;
  at: string | null;
  source: string | null;
}

export interface OrderHeld {
  source: string;
  external_id: string;
  ordered_at: string;
  status: string;
  currency: string | null;
  subtotal: string | null;
  discount: string | null;
  shipping: string | null;
  tax: string | null;
  total: string;
  items: { sku: string | null; name: string; quantity: number; unit_price: string | null; total: string | null }[];
}

/** One merge the person took part in: as the record kept, or as the record merged into another. */
export interface MergeHeld {
  id: number;
  role: 'survivor' | 'merged';
  survivor_id: number;
  merged_id: number;
  created_at: string;
  undone_at: string | null;
}

/**
 * Everything custdb holds about one person, as the answer to a subject-access
 * request: the customer record, the records merged into it (their values are
 * about the person too), and everything linked to any of them.
 */
export interface SubjectData {
  exported_at: string;
  customer_id: number;
  /** The customer ids whose data this is: the customer and the records merged into it. */
  records: number[];
  profile: CustomerRow;
  merged_records: CustomerRow[];
  identities: { source: string; external_id: string; since: string }[];
  consent: { email: ConsentHeld; sms: ConsentHeld; changes: ChangeHeld[] };
  tags: string[];
  custom_fields: Record<string, string>;
  orders: OrderHeld[];
  interactions: Omit<Selectable<InteractionTable>, 'batch_id'>[];
  merges: MergeHeld[];
  segments: string[];
  import_batches: { id: number; kind: string; source: string; file_name: string; imported_at: string; status: string }[];
  /** Every recorded change to their records (imports, edits, merges), field by field. */
  changes: ChangeHeld[];
  /** Audit log entries about them: the commands that changed their records. */
  audit_entries: { id: number; at: string; actor: string; command: string; summary: string }[];
}

export type ChangeHeld = Pick<Selectable<ChangeTable>, 'at' | 'customer_id' | 'entity' | 'action' | 'field' | 'old_value' | 'new_value' | 'batch_id' | 'merge_id' | 'event_id'>;

/** What custdb holds about customer `id` (an active or erased survivor) and the records merged into it; read in one transaction, nothing written. */
export async function exportSubjectData(store: Store, id: number): Promise<SubjectData> {
  const asOf = readAsOf(undefined);
  const segments = await segmentsOfCustomer(store, id, asOf);
  return store.readTransaction(async (db) => {
    const profile = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const records = await recordsOf(db, id);
    const mergedRecords = records.length > 1 ? await db.selectFrom('customers').selectAll().where('id', 'in', records.slice(1)).orderBy('id').execute() : [];

    const identities = await db.selectFrom('customer_identities').select(['source', 'external_id', 'created_at']).where('customer_id', 'in', records).orderBy('id').execute();
    const tags = await db.selectFrom('customer_tags').select('tag').where('customer_id', '=', id).orderBy('tag').execute();
    const attributes = await db.selectFrom('customer_attributes').select(['name', 'value']).where('customer_id', '=', id).orderBy('name').execute();

    const orderRows = await db.selectFrom('orders').selectAll().where('customer_id', 'in', records).orderBy('ordered_at').orderBy('id').execute();
    const items = orderRows.length === 0 ? [] : await db.selectFrom('order_items').selectAll().where('order_id', 'in', orderRows.map((o) => o.id)).orderBy('id').execute();
    const money = (minor: number | null) => (minor === null ? null : formatMinor(minor));
    const orders: OrderHeld[] = orderRows.map((o) => ({
      source: o.source,
      external_id: o.external_id,
      ordered_at: o.ordered_at,
      status: o.status,
      currency: o.currency,
      subtotal: money(o.subtotal_minor),
      discount: money(o.discount_minor),
      shipping: money(o.shipping_minor),
      tax: money(o.tax_minor),
      total: formatMinor(o.total_minor),
      items: items
        .filter((item) => item.order_id === o.id)
        .map((item) => ({ sku: item.sku, name: item.name, quantity: item.quantity, unit_price: money(item.unit_price_minor), total: money(item.total_minor) })),
    }));

    const interactions = await db
      .selectFrom('interactions')
      .select(['id', 'customer_id', 'occurred_at', 'channel', 'kind', 'summary', 'outcome', 'staff', 'source', 'external_id', 'created_at'])
      .where('customer_id', 'in', records)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute();

    const merges = await db
      .selectFrom('merges')
      .select(['id', 'survivor_id', 'merged_id', 'created_at', 'undone_at'])
      .where((eb) => eb.or([eb('survivor_id', 'in', records), eb('merged_id', 'in', records)]))
      .orderBy('id')
      .execute();

    const changes = await db
      .selectFrom('changes')
      .select(['at', 'customer_id', 'entity', 'action', 'field', 'old_value', 'new_value', 'batch_id', 'merge_id', 'event_id'])
      .where('customer_id', 'in', records)
      .orderBy('id')
      .execute();

    const batchIds = new Set<number>();
    for (const row of [...changes, ...orderRows]) if (row.batch_id !== null) batchIds.add(row.batch_id);
    for (const row of [profile, ...mergedRecords]) if (row.created_batch_id !== null) batchIds.add(row.created_batch_id);
    for (const row of await db.selectFrom('customer_identities').select('batch_id').where('customer_id', 'in', records).execute()) if (row.batch_id !== null) batchIds.add(row.batch_id);
    for (const row of await db.selectFrom('interactions').select('batch_id').where('customer_id', 'in', records).execute()) if (row.batch_id !== null) batchIds.add(row.batch_id);
    const batches =
      batchIds.size === 0
        ? []
        : await db.selectFrom('import_batches').select(['id', 'kind', 'source', 'file_name', 'started_at', 'status']).where('id', 'in', [...batchIds]).orderBy('id').execute();

    const eventIds = new Set<number>();
    for (const change of changes) if (change.event_id !== null) eventIds.add(change.event_id);
    const events = await db.selectFrom('events').select(['id', 'at', 'actor', 'command', 'summary', 'details_json']).orderBy('id').execute();
    const auditEntries = events
      .filter((event) => eventIds.has(event.id) || mentions(event.details_json, records) || batchIds.has(Number((JSON.parse(event.details_json) as { batchId?: unknown }).batchId)))
      .map(({ id: eventId, at, actor, command, summary }) => ({ id: eventId, at, actor, command, summary }));

    return {
      exported_at: nowIso(),
      customer_id: id,
      records,
      profile,
      merged_records: mergedRecords,
      identities: identities.map((i) => ({ source: i.source, external_id: i.external_id, since: i.created_at })),
      consent: {
        email: { state: profile.email_consent, at: profile.email_consent_at, source: profile.email_consent_source },
        sms: { state: profile.sms_consent, at: profile.sms_consent_at, source: profile.sms_consent_source },
        changes: changes.filter((c) => c.entity === 'customer' && /^(email|sms)_consent/.test(c.field ?? '')),
      },
      tags: tags.map((t) => t.tag),
      custom_fields: Object.fromEntries(attributes.map((a) => [a.name, a.value])),
      orders,
      interactions,
      merges: merges.map((m) => ({ ...m, role: records.includes(m.survivor_id) ? 'survivor' : 'merged' })),
      segments,
      import_batches: batches.map((b) => ({ id: b.id, kind: b.kind, source: b.source, file_name: b.file_name, imported_at: b.started_at, status: b.status })),
      changes,
      audit_entries: auditEntries,
    };
  });
}

/** An audit entry's details name one of these customers (as customerId, survivorId or mergedId). */
function mentions(detailsJson: string, records: readonly number[]): boolean {
  const details = JSON.parse(detailsJson) as Record<string, unknown>;
  return ['customerId', 'survivorId', 'mergedId'].some((key) => typeof details[key] === 'number' && records.includes(details[key]));
}
