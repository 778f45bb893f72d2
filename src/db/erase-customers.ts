import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { CUSTOMER_VALUE_FIELDS, type CustomerValues } from '../model/customer-record.js';
import { nowIso } from './clock.js';
import { refreshCustomerMetrics } from './customer-metrics.js';
import { overwriteFreedBytes } from './sqlite/overwrite-freed-bytes.js';
import type { Store } from './store.js';
import { hashIdentifier, readSuppressionKey, type Identifier } from './suppressions.js';
import type { Database } from './tables.js';

/** What an erasure removes or empties, and what it keeps (orders), per kind. */
export interface ErasureCounts {
  /** Customer records anonymised: the people named and every record merged into them. */
  customers: number;
  identities: number;
  tags: number;
  attributes: number;
  /** Change records whose old and new values are emptied. */
  changes: number;
  /** Merges whose plan and snapshot are emptied. */
  merges: number;
  /** Interactions whose summary and outcome are emptied (the interactions themselves stay, with their dates). */
  interactions: number;
  /** Possible-duplicate flags and "not the same person" decisions removed. */
  duplicateFlags: number;
  /** Import batches that touched them (their warnings and stored details are cleaned of the person's values). */
  importBatches: number;
  /** Orders kept for the books, attached to the anonymised customer. */
  ordersKept: number;
  /** Keyed hashes of their identifiers added to the suppressions. */
  suppressions: number;
}

/** One person to erase: the customer named, and the records merged into them (which are about them too). */
export interface ErasedPerson {
  id: number;
  records: number[];
}

export interface ErasurePlan {
  people: ErasedPerson[];
  counts: ErasureCounts;
}

/** The text that stands where an erased person's value was, in free text that stays (events, warnings). */
export const ERASED_MARK = '[erased]';

/** The customers columns that hold something about the person; all are emptied. Consent provenance goes with the consent. */
const PERSONAL_COLUMNS: readonly string[] = [
  ...CUSTOMER_VALUE_FIELDS,
  'email_consent_at',
  'email_consent_source',
  'sms_consent_at',
  'sms_consent_source',
];

/**
 * Fields whose values are not searched for in free text: consent answers, their provenance and dates, and
 * country and gender codes are shared by many people ("GB", "granted"), so blanking them would blank everyone's.
 */
const NOT_QUOTED = /_(at|source)$|consent$|^country$|^gender$/;

/** Values shorter than this are not searched for in free text: "Al" would blank half of "Already". */
const MIN_SCRUB_LENGTH = 3;

/**
 * What erasing these customers would touch, counted, without writing. Each id
 * should be a surviving (not merged) customer; the records merged into it are
 * included.
 */
export async function planErasure(db: Kysely<Database>, customerIds: readonly number[]): Promise<ErasurePlan> {
  const people: ErasedPerson[] = [];
  for (const id of customerIds) people.push({ id, records: await recordsOf(db, id) });
  const records = people.flatMap((p) => p.records);
  // `IN ()` is not SQL: with nobody to erase, an id no row has stands in.
  const inRecords = records.length === 0 ? [-1] : records;
  const count = async (query: Promise<{ n: number | string | bigint }[]>) => Number((await query)[0]?.n ?? 0);
  const counts: ErasureCounts = {
    customers: records.length,
    identities: await count(db.selectFrom('customer_identities').select((eb) => eb.fn.countAll().as('n')).where('customer_id', 'in', inRecords).execute()),
    tags: await count(db.selectFrom('customer_tags').select((eb) => eb.fn.countAll().as('n')).where('customer_id', 'in', inRecords).execute()),
    attributes: await count(db.selectFrom('customer_attributes').select((eb) => eb.fn.countAll().as('n')).where('customer_id', 'in', inRecords).execute()),
    changes: await count(db.selectFrom('changes').select((eb) => eb.fn.countAll().as('n')).where('customer_id', 'in', inRecords).execute()),
    merges: await count(
      db
        .selectFrom('merges')
        .select((eb) => eb.fn.countAll().as('n'))
        .where((eb) => eb.or([eb('survivor_id', 'in', inRecords), eb('merged_id', 'in', inRecords)]))
        .execute(),
    ),
    interactions: await count(db.selectFrom('interactions').select((eb) => eb.fn.countAll().as('n')).where('customer_id', 'in', inRecords).execute()),
    duplicateFlags:
      (await count(
        db
          .selectFrom('duplicate_suspects')
          .select((eb) => eb.fn.countAll().as('n'))
          .where((eb) => eb.or([eb('customer_id', 'in', inRecords), eb('other_id', 'in', inRecords)]))
          .execute(),
      )) +
      (await count(
        db
          .selectFrom('dedupe_decisions')
          .select((eb) => eb.fn.countAll().as('n'))
          .where((eb) => eb.or([eb('left_id', 'in', inRecords), eb('right_id', 'in', inRecords)]))
          .execute(),
      )),
    importBatches: (await batchesOf(db, inRecords)).length,
    ordersKept: await count(db.selectFrom('orders').select((eb) => eb.fn.countAll().as('n')).where('customer_id', 'in', inRecords).execute()),
    suppressions: (await identifiersOfRecords(db, inRecords)).length,
  };
  return { people, counts };
}

/**
 * Erases the people of `plan` in one transaction: every personal value about
 * them is removed or emptied wherever it is stored (see README, "privacy
 * forget"), orders stay attached to the anonymised customers, and a keyed
 * hash of each identifier they were known by goes into the suppressions so
 * that no later import brings them back. On SQLite the bytes freed are
 * overwritten and the write-ahead log emptied before this returns (unless
 * another reader holds it: `logEmptied` false). Cannot be
 * undone. `record` writes the audit event in the same transaction (given
 * what was erased) and returns its id. Returns the counts as written.
 */
export async function eraseCustomers(
  store: Store,
  customerIds: readonly number[],
  record: (db: Kysely<Database>, erased: ErasurePlan) => Promise<number>,
  options: { inactiveSince?: string } = {},
): Promise<ErasurePlan & { erasedOn: string; eventId: number | null; logEmptied: boolean }> {
  const { value, logEmptied } = await overwriteFreedBytes(store, () =>
    store.transaction(async (trx) => {
      // A purge chose its customers before asking; whoever came back to life since is not erased.
      const still =
        options.inactiveSince === undefined || customerIds.length === 0
          ? customerIds
          : (await trx.selectFrom('customers as c').select('c.id').where('c.id', 'in', customerIds).where('c.status', '=', 'active').where(inactiveSince(options.inactiveSince)).execute()).map((row) => row.id);
      const plan = await planErasure(trx, still);
      const records = plan.people.flatMap((p) => p.records);
      const now = nowIso();
      const erasedOn = now.slice(0, 10);
      if (records.length === 0) return { ...plan, erasedOn, eventId: null };

      const identifiers = await identifiersOfRecords(trx, records);
      const scrub = textScrubber(await personalValuesOf(trx, records));
      const batches = await batchesOf(trx, records);

      const emptied = Object.fromEntries(PERSONAL_COLUMNS.map((column) => [column, null])) as Partial<Record<keyof CustomerValues, null>>;
      await trx.updateTable('customers').set({ ...emptied, status: 'erased', updated_at: now }).where('id', 'in', records).execute();
      // After the first write: a database that may not be written refuses before a key file is made for nothing.
      const key = (await readSuppressionKey(store, trx, { create: true }))!;
      for (const identifier of identifiers) {
        await trx
          .insertInto('suppressions')
          .values({ hash: hashIdentifier(key, identifier), kind: identifier.kind, created_at: now, erased_on: erasedOn })
          .onConflict((oc) => oc.column('hash').doNothing())
          .execute();
      }
      await trx.deleteFrom('customer_identities').where('customer_id', 'in', records).execute();
      await trx.deleteFrom('customer_tags').where('customer_id', 'in', records).execute();
      await trx.deleteFrom('customer_attributes').where('customer_id', 'in', records).execute();
      await trx.updateTable('changes').set({ old_value: null, new_value: null }).where('customer_id', 'in', records).execute();
      // An identity change names the id in entity_id ("shopify:1001"), a tag change the tag in field.
      await trx.updateTable('changes').set({ entity_id: null }).where('customer_id', 'in', records).where('entity', '=', 'identity').execute();
      await trx.updateTable('changes').set({ field: null }).where('customer_id', 'in', records).where('entity', '=', 'tag').execute();
      await trx.updateTable('interactions').set({ summary: null, outcome: null }).where('customer_id', 'in', records).execute();
      await trx.deleteFrom('duplicate_suspects').where((eb) => eb.or([eb('customer_id', 'in', records), eb('other_id', 'in', records)])).execute();
      await trx.deleteFrom('dedupe_decisions').where((eb) => eb.or([eb('left_id', 'in', records), eb('right_id', 'in', records)])).execute();
      await emptyMerges(trx, records, erasedOn);
      await scrubBatches(trx, batches, scrub);
      await scrubEvents(trx, records, scrub, erasedOn);
      await refreshCustomerMetrics(trx, records, { ordersChanged: true });

      const eventId = await record(trx, plan);
      return { ...plan, erasedOn, eventId };
    }),
  );
  return { ...value, logEmptied };
}

/** The customer and every record merged into it, directly or through another merged record. */
export async function recordsOf(db: Kysely<Database>, id: number): Promise<number[]> {
  const records = [id];
  let frontier = [id];
  while (frontier.length > 0) {
    const merged = await db.selectFrom('customers').select('id').where('merged_into', 'in', frontier).orderBy('id').execute();
    frontier = merged.map((row) => row.id).filter((found) => !records.includes(found));
    records.push(...frontier);
  }
  return records;
}

/** Import batches that created, changed or linked anything of these records. */
async function batchesOf(db: Kysely<Database>, records: readonly number[]): Promise<number[]> {
  const ids = new Set<number>();
  const add = (rows: { batch_id: number | null }[]) => rows.forEach((row) => row.batch_id !== null && ids.add(row.batch_id));
  add(await db.selectFrom('customers').select('created_batch_id as batch_id').where('id', 'in', records).execute());
  add(await db.selectFrom('changes').select('batch_id').distinct().where('customer_id', 'in', records).where('batch_id', 'is not', null).execute());
  add(await db.selectFrom('customer_identities').select('batch_id').distinct().where('customer_id', 'in', records).execute());
  add(await db.selectFrom('orders').select('batch_id').distinct().where('customer_id', 'in', records).execute());
  add(await db.selectFrom('interactions').select('batch_id').distinct().where('customer_id', 'in', records).execute());
  return [...ids].sort((a, b) => a - b);
}

/**
 * Every identifier these records were ever known by: their emails and phones
 * now and before (the change log keeps earlier ones, merges the merged
 * record's), and every source id they have or had.
 */
async function identifiersOfRecords(db: Kysely<Database>, records: readonly number[]): Promise<Identifier[]> {
  const found = new Map<string, Identifier>();
  const add = (kind: Identifier['kind'], value: string | null) => {
    if (value !== null && value !== '') found.set(`${kind}:${value}`, { kind, value });
  };
  for (const row of await db.selectFrom('customers').select(['email_norm', 'phone_e164']).where('id', 'in', records).execute()) {
    add('email', row.email_norm);
    add('phone', row.phone_e164);
  }
  for (const row of await db.selectFrom('customer_identities').select(['source', 'external_id']).where('customer_id', 'in', records).execute()) {
    add('identity', `${row.source}:${row.external_id}`);
  }
  const history = await db
    .selectFrom('changes')
    .select(['entity', 'field', 'old_value', 'new_value'])
    .where('customer_id', 'in', records)
    .where((eb) => eb.or([eb('field', 'in', ['email_norm', 'phone_e164']), eb('entity', '=', 'identity')]))
    .execute();
  for (const change of history) {
    if (change.entity === 'identity') {
      if (change.field !== null) {
        add('identity', change.new_value === null ? null : `${change.field}:${change.new_value}`);
        add('identity', change.old_value === null ? null : `${change.field}:${change.old_value}`);
      }
    } else {
      const kind = change.field === 'email_norm' ? 'email' : 'phone';
      add(kind, change.old_value);
      add(kind, change.new_value);
    }
  }
  for (const side of await snapshotsOf(db, records)) {
    add('email', side.customer?.email_norm ?? null);
    add('phone', side.customer?.phone_e164 ?? null);
    for (const identity of side.identities ?? []) add('identity', `${identity.source}:${identity.external_id}`);
  }
  return [...found.values()];
}

/** The part of a merge snapshot erasure reads (src/merge/apply-merge-plan.ts writes it). */
interface SnapshotSide {
  customer?: Record<string, unknown> & { email_norm?: string | null; phone_e164?: string | null };
  identities?: { source: string; external_id: string }[];
}

interface SnapshotSides {
  survivor?: SnapshotSide;
  merged?: SnapshotSide;
}

/**
 * The sides of merge snapshots that are these records as they were. Only theirs: a merge that was undone
 * joined two different people, and the other one's values must neither be suppressed nor blanked.
 */
async function snapshotsOf(db: Kysely<Database>, records: readonly number[]): Promise<SnapshotSide[]> {
  const rows = await db
    .selectFrom('merges')
    .select('snapshot_json')
    .where((eb) => eb.or([eb('survivor_id', 'in', records), eb('merged_id', 'in', records)]))
    .execute();
  return rows
    .flatMap((row) => {
      const snapshot = JSON.parse(row.snapshot_json) as SnapshotSides;
      return [snapshot.survivor, snapshot.merged];
    })
    .filter((side): side is SnapshotSide => side !== undefined && records.includes(Number(side.customer?.id)));
}

/** Every text value about these records that could have been copied into free text: their fields now and before, ids, notes. */
async function personalValuesOf(db: Kysely<Database>, records: readonly number[]): Promise<string[]> {
  const values = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value === 'string' && value.length >= MIN_SCRUB_LENGTH) values.add(value);
  };
  const rows = await db.selectFrom('customers').selectAll().where('id', 'in', records).execute();
  for (const row of rows) {
    for (const column of PERSONAL_COLUMNS) if (!NOT_QUOTED.test(column)) add((row as Record<string, unknown>)[column]);
    if (row.first_name && row.last_name) add(`${row.first_name} ${row.last_name}`);
  }
  for (const row of await db.selectFrom('customer_identities').select('external_id').where('customer_id', 'in', records).execute()) add(row.external_id);
  // Tags and outcomes ("vip", "Refund issued") are the business's words for many people: only free text about them counts.
  for (const row of await db.selectFrom('interactions').select('summary').where('customer_id', 'in', records).execute()) add(row.summary);
  for (const row of await db.selectFrom('changes').select(['entity', 'field', 'old_value', 'new_value']).where('customer_id', 'in', records).execute()) {
    if (row.entity === 'attribute' || row.entity === 'order' || row.entity === 'tag' || NOT_QUOTED.test(row.field ?? '')) continue;
    add(row.old_value);
    add(row.new_value);
  }
  for (const side of await snapshotsOf(db, records)) {
    const customer = side.customer ?? {};
    for (const column of CUSTOMER_VALUE_FIELDS) if (!NOT_QUOTED.test(column)) add(customer[column]);
  }
  return [...values];
}

/** Replaces each value (longest first, so a full name goes before its first name) by ERASED_MARK, also where it appears escaped inside JSON. */
function textScrubber(values: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const value of values) {
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
  }
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const form of ordered) if (result.includes(form)) result = result.split(form).join(ERASED_MARK);
    return result;
  };
}

async function emptyMerges(db: Kysely<Database>, records: readonly number[], erasedOn: string): Promise<void> {
  const merges = await db
    .selectFrom('merges')
    .select(['id', 'plan_json'])
    .where((eb) => eb.or([eb('survivor_id', 'in', records), eb('merged_id', 'in', records)]))
    .execute();
  for (const merge of merges) {
    // Which fields the merge took from which record stays (merges list shows it); their values go.
    const plan = JSON.parse(merge.plan_json) as { fields?: { field: string; changes?: boolean }[] };
    const fields = (plan.fields ?? []).map((f) => ({ field: f.field, changes: f.changes === true }));
    await db
      .updateTable('merges')
      .set({ plan_json: JSON.stringify({ fields, erasedOn }), snapshot_json: JSON.stringify({ erasedOn }) })
      .where('id', '=', merge.id)
      .execute();
  }
}

async function scrubBatches(db: Kysely<Database>, batches: readonly number[], scrub: (text: string) => string): Promise<void> {
  if (batches.length === 0) return;
  for (const batch of await db.selectFrom('import_batches').select(['id', 'mapping_json', 'summary_json']).where('id', 'in', batches).execute()) {
    const mapping = scrub(batch.mapping_json);
    const summary = scrub(batch.summary_json);
    if (mapping !== batch.mapping_json || summary !== batch.summary_json) {
      await db.updateTable('import_batches').set({ mapping_json: mapping, summary_json: summary }).where('id', '=', batch.id).execute();
    }
  }
  for (const warning of await db.selectFrom('import_warnings').select(['id', 'message']).where('batch_id', 'in', batches).execute()) {
    const message = scrub(warning.message);
    if (message !== warning.message) await db.updateTable('import_warnings').set({ message }).where('id', '=', warning.id).execute();
  }
}

/**
 * The audit log keeps what was done and to which customer ids, not the
 * person's values. Entries written before the log was chained may quote them:
 * such an entry about one of these records (a note, an edit, an add) keeps its
 * command and id only; any other loses the values it quotes.
 */
async function scrubEvents(db: Kysely<Database>, records: readonly number[], scrub: (text: string) => string, erasedOn: string): Promise<void> {
  const ids = new Set(records);
  // Only entries from before the audit log was chained (0011-audit-chain.sql): a chained entry holds ids and
  // counts, never a personal value (src/audit/record-event.ts), and rewriting it would break the chain doctor checks.
  for (const event of await db.selectFrom('events').select(['id', 'command', 'summary', 'details_json']).where('hash', 'is', null).execute()) {
    const details = JSON.parse(event.details_json) as { customerId?: unknown };
    if (typeof details.customerId === 'number' && ids.has(details.customerId)) {
      await db
        .updateTable('events')
        .set({ summary: `${event.command}: customer ${details.customerId} (erased on ${erasedOn})`, details_json: JSON.stringify({ customerId: details.customerId }) })
        .where('id', '=', event.id)
        .execute();
      continue;
    }
    const summary = scrub(event.summary);
    const detailsJson = scrub(event.details_json);
    if (summary !== event.summary || detailsJson !== event.details_json) {
      await db.updateTable('events').set({ summary, details_json: detailsJson }).where('id', '=', event.id).execute();
    }
  }
}

/** An erased customer something would bring back, and when they were erased. */
export interface ErasedCustomer {
  id: number;
  erasedOn: string;
}

/**
 * The erased customers among those import batch `batchId` created or changed,
 * or whose orders or interactions it brought: undoing it would write over
 * what is left of them (an erasure keeps their row, emptied), so undo refuses.
 */
export async function erasedCustomersOfBatch(db: Kysely<Database>, batchId: number): Promise<ErasedCustomer[]> {
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'updated_at'])
    .where('status', '=', 'erased')
    .where((eb) =>
      eb.or([
        eb('created_batch_id', '=', batchId),
        eb('id', 'in', eb.selectFrom('changes').select('customer_id').where('batch_id', '=', batchId).where('customer_id', 'is not', null).$narrowType<{ customer_id: number }>()),
        eb('id', 'in', eb.selectFrom('orders').select('customer_id').where('batch_id', '=', batchId)),
        eb('id', 'in', eb.selectFrom('interactions').select('customer_id').where('batch_id', '=', batchId)),
      ]),
    )
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, erasedOn: row.updated_at.slice(0, 10) }));
}

/** Those of these customers that were erased. */
export async function erasedAmong(db: Kysely<Database>, customerIds: readonly number[]): Promise<ErasedCustomer[]> {
  if (customerIds.length === 0) return [];
  const rows = await db.selectFrom('customers').select(['id', 'updated_at']).where('status', '=', 'erased').where('id', 'in', customerIds).orderBy('id').execute();
  return rows.map((row) => ({ id: row.id, erasedOn: row.updated_at.slice(0, 10) }));
}

/** Why an undo that would bring an erased customer back is refused, one line per customer. */
export function describeErasedBlockers(erased: readonly ErasedCustomer[]): string[] {
  return erased.map((c) => `customer ${c.id} was erased on ${c.erasedOn} (privacy forget or purge): an undo must not bring them back`);
}

/** A customer due for erasure by retention, with the last day anything happened to them. */
export interface InactiveCustomer {
  id: number;
  /** The latest of their sign-up (else when custdb got them), last recorded change, last order and last interaction. */
  lastActivity: string;
}

/**
 * The condition, over active customer `c`, of retention: nothing happened to
 * them on or after `cutoff` ('YYYY-MM-DD') — no order (of any status), no
 * interaction, no recorded change — and they signed up (else were added) before
 * it. `purge` erases by it and `validate` counts by it, so the two agree.
 */
export function inactiveSince(cutoff: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`COALESCE(c.signup_date, c.created_at) < ${cutoff}
    AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.ordered_at >= ${cutoff})
    AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = c.id AND i.occurred_at >= ${cutoff})
    AND NOT EXISTS (SELECT 1 FROM changes ch WHERE ch.customer_id = c.id AND ch.at >= ${cutoff})`;
}

/**
 * Active customers with nothing on or after `cutoff` ('YYYY-MM-DD'): no
 * order, no interaction, no recorded change to their record (an import's
 * update, an edit, a merge), and signed up (else added to custdb) before it.
 * Activity after the as-of day counts too: someone active since is never due. By id.
 */
export async function findInactiveCustomers(db: Kysely<Database>, cutoff: string): Promise<InactiveCustomer[]> {
  const rows = await db
    .selectFrom('customers as c')
    .select((eb) => [
      'c.id',
      eb.fn.coalesce('c.signup_date', 'c.created_at').as('since'),
      eb.selectFrom('orders as o').select((o) => o.fn.max('o.ordered_at').as('at')).whereRef('o.customer_id', '=', 'c.id').as('last_order'),
      eb.selectFrom('interactions as i').select((i) => i.fn.max('i.occurred_at').as('at')).whereRef('i.customer_id', '=', 'c.id').as('last_interaction'),
      eb.selectFrom('changes as ch').select((ch) => ch.fn.max('ch.at').as('at')).whereRef('ch.customer_id', '=', 'c.id').as('last_change'),
    ])
    .where('c.status', '=', 'active')
    .where(inactiveSince(cutoff))
    .orderBy('c.id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    lastActivity: [row.since, row.last_order, row.last_interaction, row.last_change].filter((at): at is string => typeof at === 'string').sort().at(-1)!,
  }));
}
