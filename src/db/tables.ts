import type { Generated } from 'kysely';
import type { ConsentState, CustomerValues } from '../model/customer-record.js';

/**
 * Kysely's view of the schema in schema/<dialect>/. Timestamps are UTC ISO
 * strings ('2026-11-23T09:30:00.000Z'), calendar dates 'YYYY-MM-DD', money
 * integer minor units.
 */
export interface Database {
  schema_migrations: SchemaMigrationTable;
  import_batches: ImportBatchTable;
  import_warnings: ImportWarningTable;
  customers: CustomerTable;
  customer_identities: CustomerIdentityTable;
  customer_tags: CustomerTagTable;
  customer_attributes: CustomerAttributeTable;
  products: ProductTable;
  orders: OrderTable;
  order_items: OrderItemTable;
  interactions: InteractionTable;
  events: EventTable;
  merges: MergeTable;
  changes: ChangeTable;
  dedupe_decisions: DedupeDecisionTable;
  duplicate_suspects: DuplicateSuspectTable;
  segments: SegmentTable;
  suppressions: SuppressionTable;
  suppression_key: SuppressionKeyTable;
  saved_mappings: SavedMappingTable;
  settings: SettingTable;
  model_fits: ModelFitTable;
  customer_predictions: CustomerPredictionTable;
  audit_head: AuditHeadTable;
}

export interface SchemaMigrationTable {
  position: number;
  name: string;
  applied_at: string;
}

export interface ImportBatchTable {
  id: Generated<number>;
  kind: 'customers' | 'orders' | 'interactions';
  source: string;
  file_name: string;
  file_sha256: string;
  status: Generated<'committed' | 'undone'>;
  started_at: string;
  finished_at: string | null;
  undone_at: string | null;
  rows_total: Generated<number>;
  inserted: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  rejected: Generated<number>;
  mapping_json: Generated<string>;
  summary_json: Generated<string>;
  actor: string;
}

/** Every warning an import gave, by the line of its file (schema/sqlite/0004-import-warnings.sql). */
export interface ImportWarningTable {
  id: Generated<number>;
  batch_id: number;
  line: number;
  field: string;
  message: string;
}

export type { ConsentState };

/** The customers table: the standardised fields (CustomerValues) plus status, consent provenance and bookkeeping. */
export interface CustomerTable extends CustomerValues {
  id: Generated<number>;
  status: Generated<'active' | 'merged' | 'erased'>;
  merged_into: number | null;
  email_consent_at: string | null;
  email_consent_source: string | null;
  sms_consent_at: string | null;
  sms_consent_source: string | null;
  created_at: string;
  updated_at: string;
  created_batch_id: number | null;
}

export interface CustomerIdentityTable {
  id: Generated<number>;
  customer_id: number;
  source: string;
  external_id: string;
  created_at: string;
  batch_id: number | null;
}

export interface CustomerTagTable {
  customer_id: number;
  tag: string;
}

export interface CustomerAttributeTable {
  customer_id: number;
  name: string;
  value: string;
}

export interface ProductTable {
  id: Generated<number>;
  sku: string | null;
  name: string;
  created_at: string;
}

export interface OrderTable {
  id: Generated<number>;
  customer_id: number;
  source: string;
  external_id: string;
  ordered_at: string;
  status: Generated<string>;
  currency: string | null;
  subtotal_minor: number | null;
  discount_minor: number | null;
  shipping_minor: number | null;
  tax_minor: number | null;
  total_minor: number;
  batch_id: number | null;
  created_at: string;
}

export interface OrderItemTable {
  id: Generated<number>;
  order_id: number;
  product_id: number | null;
  sku: string | null;
  name: string;
  quantity: Generated<number>;
  unit_price_minor: number | null;
  total_minor: number | null;
}

export interface InteractionTable {
  id: Generated<number>;
  customer_id: number;
  occurred_at: string;
  channel: string | null;
  kind: Generated<string>;
  summary: string | null;
  outcome: string | null;
  staff: string | null;
  source: string | null;
  external_id: string | null;
  batch_id: number | null;
  created_at: string;
}

export interface EventTable {
  id: Generated<number>;
  at: string;
  actor: string;
  command: string;
  summary: string;
  details_json: Generated<string>;
  /**
   * The database role that wrote the event (0005-event-db-role.sql in schema/sqlite and schema/postgres): on PostgreSQL the server
   * fills it with session_user, the login role of the connection; NULL on SQLite (no roles) and for events
   * written before 0005. Never set by custdb.
   */
  db_role: Generated<string | null>;
  /** The chain (0011-audit-chain.sql): the previous chained entry's hash (NULL for the first), and SHA-256 over it and this entry (src/audit/hash-event.ts); both NULL on entries written before 0011. */
  prev_hash: string | null;
  hash: string | null;
}

export interface MergeTable {
  id: Generated<number>;
  survivor_id: number;
  merged_id: number;
  probability: number | null;
  plan_json: string;
  snapshot_json: string;
  created_at: string;
  undone_at: string | null;
  event_id: number | null;
}

export type ChangeEntity = 'customer' | 'identity' | 'tag' | 'attribute' | 'order' | 'interaction';

export interface ChangeTable {
  id: Generated<number>;
  batch_id: number | null;
  merge_id: number | null;
  event_id: number | null;
  customer_id: number | null;
  entity: ChangeEntity;
  entity_id: string | null;
  action: 'insert' | 'update' | 'delete';
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  at: string;
}

export interface DedupeDecisionTable {
  left_id: number;
  right_id: number;
  decision: 'distinct';
  decided_at: string;
  actor: string;
}

export interface DuplicateSuspectTable {
  customer_id: number;
  other_id: number;
  reason: string;
  batch_id: number | null;
  created_at: string;
}

export interface SegmentTable {
  id: Generated<number>;
  name: string;
  /** The filter text as the user wrote it (src/filter/), checked when saved and compiled whenever the segment is used. */
  where_expr: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface SuppressionTable {
  hash: string;
  kind: 'email' | 'phone' | 'identity';
  created_at: string;
  /** The day the person was erased, 'YYYY-MM-DD' (0010-erasure.sql); NULL for rows written before it. */
  erased_on: string | null;
}

/** The HMAC key of the suppressions (0010-erasure.sql): one row on PostgreSQL; empty on SQLite, whose key is a file beside the database. */
export interface SuppressionKeyTable {
  id: number;
  key: string;
  created_at: string;
}

export interface SavedMappingTable {
  name: string;
  kind: string;
  mapping_json: string;
  created_at: string;
  updated_at: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

/** A fit of the customer-value models that wrote predictions (schema/sqlite/0009-customer-predictions.sql). */
export interface ModelFitTable {
  id: Generated<number>;
  fitted_at: string;
  /** 'YYYY-MM-DD': the orders up to the end of this day were fitted. */
  as_of: string;
  time_unit: 'days' | 'weeks';
  horizon_months: number;
  monthly_discount_rate: number;
  /** Each fitted model's parameters, log-likelihood and customers (src/analytics/fit-customer-models.ts). */
  models_json: string;
  /** The orders then, to count how many changed since. */
  orders_count: number;
  max_order_id: number;
  max_order_change_id: number;
  /** The merges then (0012-fit-merges.sql): a merge or its undo moves orders between customers. */
  max_merge_id: number;
  undone_merges: number;
}

/** The newest fit's predictions, one row per customer with a counted order by its as-of day; money in major units. */
export interface CustomerPredictionTable {
  customer_id: number;
  fit_id: number;
  p_active: number;
  expected_orders_90d: number;
  expected_orders_365d: number;
  predicted_value_12m: number;
  clv: number;
}

/** One row: where the audit log's hash chain ends, written with each entry (0011-audit-chain.sql), so a log cut short at the end shows. */
export interface AuditHeadTable {
  id: number;
  /** Entries written before the chain began (they have no hashes). */
  unchained_entries: number;
  chained_entries: number;
  /** The last chained entry's hash; NULL before the first. */
  head_hash: string | null;
}
