import type { Store } from '../db/store.js';
import type { ConsentState } from '../db/tables.js';
import { NotFoundError } from '../errors.js';
import { CUSTOMER_VALUE_FIELDS, type CustomerValues } from '../model/customer-record.js';
import { getCustomerMetrics, type CustomerMetrics } from './get-customer-metrics.js';
import { consentHistory, type ConsentHistoryEntry } from '../privacy/consent-history.js';

/** How many orders and interactions the view lists (newest first); the rest are counted. */
export const RECENT_LIMIT = 10;

export interface ConsentView {
  state: ConsentState | null;
  at: string | null;
  source: string | null;
}

export interface OrderView {
  id: number;
  source: string;
  external_id: string;
  ordered_at: string;
  status: string;
  currency: string | null;
  total_minor: number;
  items: { sku: string | null; name: string; quantity: number; unit_price_minor: number | null; total_minor: number | null }[];
}

export interface InteractionView {
  id: number;
  occurred_at: string;
  kind: string;
  channel: string | null;
  summary: string | null;
  outcome: string | null;
  staff: string | null;
}

export interface SuspectView {
  other_id: number;
  reason: string;
  flagged_at: string;
  other: { first_name: string | null; last_name: string | null; email: string | null; phone: string | null } | null;
}

/** Everything custdb knows about one customer: the 360° view `custdb show` prints. */
export interface CustomerView {
  customer: { id: number; status: 'active' | 'merged' | 'erased'; merged_into: number | null; created_at: string; updated_at: string } & Omit<
    CustomerValues,
    'email_consent' | 'sms_consent'
  >;
  /** The answers now, and how they changed (consentHistory: imports, merges, edits, privacy consent), oldest first. */
  consent: { email: ConsentView; sms: ConsentView; history: ConsentHistoryEntry[] };
  tags: string[];
  /** External ids grouped by source: `{ shopify: ['1001'], pos: ['A-7'] }`. */
  identities: Record<string, string[]>;
  attributes: Record<string, string>;
  metrics: CustomerMetrics;
  orders: { total: number; recent: OrderView[] };
  interactions: { total: number; recent: InteractionView[] };
  /** Possible duplicates flagged at import and not yet decided (both people still active). */
  duplicate_suspects: SuspectView[];
  /** Customers merged into this one. */
  merged_from: { id: number; merged_at: string | null }[];
  /** Saved segments this customer is in now; null when the caller did not ask (see LoadCustomerViewOptions.segmentsOf). */
  segments: string[] | null;
}

export interface LoadCustomerViewOptions {
  /**
   * Segment membership, which the query capability answers: given the customer id,
   * the names of the saved segments they are in. Without it the view says
   * `segments: null` (not looked at) rather than an empty list.
   */
  segmentsOf?: (store: Store, customerId: number) => Promise<string[]>;
}

/**
 * Loads the 360° view of one customer by id. Throws NotFoundError for an
 * unknown id (resolve WHO arguments with resolveCustomer first). Read-only.
 */
export async function loadCustomerView(store: Store, customerId: number, options: LoadCustomerViewOptions = {}): Promise<CustomerView> {
  const row = await store.db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirst();
  if (!row) throw new NotFoundError(`There is no customer ${customerId}.`, { exitCode: 1 });
  const metrics = await getCustomerMetrics(store, customerId);
  if (!metrics) throw new NotFoundError(`There is no customer ${customerId}.`, { exitCode: 1 });

  const values = Object.fromEntries(CUSTOMER_VALUE_FIELDS.filter((f) => f !== 'email_consent' && f !== 'sms_consent').map((f) => [f, row[f]])) as Omit<
    CustomerValues,
    'email_consent' | 'sms_consent'
  >;

  const [tags, identities, attributes, ordersTotal, orders, interactionsTotal, interactions, suspects, mergedFrom] = await Promise.all([
    store.db.selectFrom('customer_tags').select('tag').where('customer_id', '=', customerId).orderBy('tag').execute(),
    store.db.selectFrom('customer_identities').select(['source', 'external_id']).where('customer_id', '=', customerId).orderBy('source').orderBy('id').execute(),
    store.db.selectFrom('customer_attributes').select(['name', 'value']).where('customer_id', '=', customerId).orderBy('name').execute(),
    store.db.selectFrom('orders').select((eb) => eb.fn.countAll<number>().as('n')).where('customer_id', '=', customerId).executeTakeFirstOrThrow(),
    store.db
      .selectFrom('orders')
      .select(['id', 'source', 'external_id', 'ordered_at', 'status', 'currency', 'total_minor'])
      .where('customer_id', '=', customerId)
      .orderBy('ordered_at', 'desc')
      .orderBy('id', 'desc')
      .limit(RECENT_LIMIT)
      .execute(),
    store.db.selectFrom('interactions').select((eb) => eb.fn.countAll<number>().as('n')).where('customer_id', '=', customerId).executeTakeFirstOrThrow(),
    store.db
      .selectFrom('interactions')
      .select(['id', 'occurred_at', 'kind', 'channel', 'summary', 'outcome', 'staff'])
      .where('customer_id', '=', customerId)
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(RECENT_LIMIT)
      .execute(),
    loadPendingSuspects(store, customerId),
    store.db
      .selectFrom('customers')
      .leftJoin('merges', (join) => join.onRef('merges.merged_id', '=', 'customers.id').on('merges.undone_at', 'is', null))
      .select(['customers.id as id', 'merges.created_at as merged_at'])
      .where('customers.merged_into', '=', customerId)
      .where('customers.status', '=', 'merged')
      .orderBy('customers.id')
      .execute(),
  ]);

  const orderIds = orders.map((o) => o.id);
  const items =
    orderIds.length === 0
      ? []
      : await store.db
          .selectFrom('order_items')
          .select(['order_id', 'sku', 'name', 'quantity', 'unit_price_minor', 'total_minor'])
          .where('order_id', 'in', orderIds)
          .orderBy('order_id')
          .orderBy('id')
          .execute();

  const groupedIdentities: Record<string, string[]> = {};
  for (const identity of identities) (groupedIdentities[identity.source] ??= []).push(identity.external_id);

  return {
    customer: { id: row.id, status: row.status, merged_into: row.merged_into, ...values, created_at: row.created_at, updated_at: row.updated_at },
    consent: {
      email: { state: row.email_consent, at: row.email_consent_at, source: row.email_consent_source },
      sms: { state: row.sms_consent, at: row.sms_consent_at, source: row.sms_consent_source },
      history: await consentHistory(store, row.id),
    },
    tags: tags.map((t) => t.tag),
    identities: groupedIdentities,
    attributes: Object.fromEntries(attributes.map((a) => [a.name, a.value])),
    metrics,
    orders: {
      total: Number(ordersTotal.n),
      recent: orders.map((order) => ({
        ...order,
        items: items.filter((item) => item.order_id === order.id).map(({ order_id: _orderId, ...item }) => item),
      })),
    },
    interactions: { total: Number(interactionsTotal.n), recent: interactions },
    duplicate_suspects: suspects,
    merged_from: mergedFrom.map((m) => ({ id: m.id, merged_at: m.merged_at ?? null })),
    segments: options.segmentsOf ? await options.segmentsOf(store, customerId) : null,
  };
}

/** Suspect pairs involving the customer, in either direction, minus those decided "distinct" or whose other side is gone. */
async function loadPendingSuspects(store: Store, customerId: number): Promise<SuspectView[]> {
  const rows = await store.db
    .selectFrom('duplicate_suspects')
    .select(['customer_id', 'other_id', 'reason', 'created_at'])
    .where((eb) => eb.or([eb('customer_id', '=', customerId), eb('other_id', '=', customerId)]))
    .orderBy('created_at')
    .execute();
  const result: SuspectView[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    const otherId = row.customer_id === customerId ? row.other_id : row.customer_id;
    if (seen.has(otherId) || otherId === customerId) continue;
    const [left, right] = customerId < otherId ? [customerId, otherId] : [otherId, customerId];
    const decided = await store.db.selectFrom('dedupe_decisions').select('decision').where('left_id', '=', left).where('right_id', '=', right).executeTakeFirst();
    if (decided) continue;
    const other = await store.db.selectFrom('customers').select(['status', 'first_name', 'last_name', 'email', 'phone']).where('id', '=', otherId).executeTakeFirst();
    if (!other || other.status !== 'active') continue;
    seen.add(otherId);
    const { status: _status, ...details } = other;
    result.push({ other_id: otherId, reason: row.reason, flagged_at: row.created_at, other: details });
  }
  return result;
}
