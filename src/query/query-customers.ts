import { sql, type Expression, type SqlBool } from 'kysely';
import { selectCustomerFields, type CustomerFieldsQuery } from '../db/customer-fields-query.js';
import { refreshRfmCutPoints } from '../db/rfm-cut-points.js';
import { customerListColumns, LIST_SEPARATOR } from '../db/customer-list-columns.js';
import type { Store } from '../db/store.js';
import { UnknownFieldError, UsageError } from '../errors.js';
import { checkFilter, type CheckedFilter, type FilterContext } from '../filter/check-filter.js';
import { compileFilter } from '../filter/compile-filter.js';
import { FilterError } from '../filter/filter-error.js';
import { parseFilter } from '../filter/parse-filter.js';
import { didYouMean } from '../filter/suggest-closest.js';
import type { SortKey } from '../filter/parse-sort.js';
import { ATTRIBUTE_PREFIX, SCALAR_QUERY_FIELDS, scalarQueryField, type QueryField } from '../model/query-fields.js';
import { findSegment, listSegments } from '../segments/saved-segments.js';
import { readRfmSettings } from '../analytics/rfm-settings.js';
import { checkPredictionFreshness } from '../analytics/prediction-freshness.js';
import { PredictionsNotFittedError } from '../analytics/analytics-errors.js';

/** Which customers: those a filter and/or a saved segment select (both must hold); neither: every active customer. */
export interface CustomerSelection {
  /** Filter text (src/filter/); empty or absent: no condition. */
  where?: string | undefined;
  /** A saved segment's name. */
  segment?: string | undefined;
  /** The day computed fields and relative dates are as of, 'YYYY-MM-DD'. */
  asOf: string;
  /** Told what the user should know about the answer (predictions older than the orders), for stderr. */
  onNote?: ((note: string) => void) | undefined;
  /** Only customers who may be contacted on this channel now: consent granted, and an address to use it. */
  consented?: MarketingChannel | undefined;
}

export type MarketingChannel = 'email' | 'sms';

/** What --consented adds to a selection, in the filter language: consent granted, and an address on that channel. */
const CONSENTED_FILTER: Readonly<Record<MarketingChannel, string>> = {
  email: 'email_consent = "granted" and not (email is empty)',
  sms: 'sms_consent = "granted" and not (phone is empty)',
};

/** A column of a query's answer: a scalar field, a list (tags, external ids) or a custom attribute (`attr.NAME`). */
export type OutputColumn =
  | { readonly kind: 'scalar'; readonly name: string; readonly field: QueryField }
  /** external_id: the first identity's id, as a file of one source has it. */
  | { readonly kind: 'list'; readonly name: 'tags' | 'external_ids' | 'external_id' }
  | { readonly kind: 'attribute'; readonly name: string; readonly attribute: string };

/** One customer of an answer, by column name: lists as arrays, numbers as numbers, empty as null. */
export type CustomerAnswerRow = Record<string, string | number | readonly string[] | null>;

export interface CustomerQuery extends CustomerSelection {
  /** Default: see queryCustomers. */
  columns?: readonly OutputColumn[] | undefined;
  sort?: readonly SortKey[];
  limit?: number | undefined;
}

/** Every name `--fields` may use, attributes aside. */
const OUTPUT_NAMES = [...SCALAR_QUERY_FIELDS.map((f) => f.name), 'tags', 'external_ids', 'external_id'];

/**
 * The columns `--fields a,b,attr.c` names, in order (a name given twice counts
 * once). Throws UnknownFieldError with the closest names.
 */
export function resolveOutputColumns(names: readonly string[]): OutputColumn[] {
  const columns: OutputColumn[] = [];
  for (const typed of names) {
    const name = typed.trim();
    if (name === '' || columns.some((c) => c.name === name)) continue;
    const field = scalarQueryField(name);
    if (field) columns.push({ kind: 'scalar', name, field });
    else if (name === 'tags' || name === 'external_ids' || name === 'external_id') columns.push({ kind: 'list', name });
    else if (name.startsWith(ATTRIBUTE_PREFIX) && name.length > ATTRIBUTE_PREFIX.length) columns.push({ kind: 'attribute', name, attribute: name.slice(ATTRIBUTE_PREFIX.length) });
    else {
      throw new UnknownFieldError(`--fields: unknown field ${JSON.stringify(name)}${didYouMean(name, OUTPUT_NAMES)}`, {
        hint: `Fields: ${OUTPUT_NAMES.join(', ')}, or attr.NAME for a custom field.`,
      });
    }
  }
  if (columns.length === 0) throw new UsageError('--fields is empty.', { hint: 'Name fields separated by commas: --fields email,total_spent.' });
  return columns;
}

/**
 * How many active customers the selection holds: one counting query over the
 * per-customer fields (the stored metrics as of today, no rows to JavaScript).
 * Throws FilterError for a filter that does not check, NotFoundError for an unknown segment.
 */
export async function countCustomers(store: Store, selection: CustomerSelection): Promise<number> {
  const { condition, columns } = await compileSelection(store, selection);
  const query = await baseQuery(store, selection, columns);
  const row = await query
    .where(condition)
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * The selected active customers as a `cf` query (nothing selected yet) that
 * computes `fields` and whatever the filter reads: for reports and other
 * counts grouped in the database. Throws as countCustomers does.
 */
export async function selectCustomers(store: Store, selection: CustomerSelection, fields: readonly string[]): Promise<CustomerFieldsQuery> {
  const { condition, columns } = await compileSelection(store, selection);
  for (const name of fields) columns.add(name);
  return (await baseQuery(store, selection, columns)).where(condition);
}

/** What a query answers: its columns, and its rows, read when iterated. */
export interface CustomerAnswer {
  columns: readonly OutputColumn[];
  rows: AsyncIterable<CustomerAnswerRow>;
}

/** Columns of an answer when none are asked for: who the customer is, then what the filter and sort read. */
const DEFAULT_COLUMNS = ['id', 'full_name', 'email'];

/**
 * The saved segments customer `customerId` is in as of `asOf`, by name. A
 * segment whose filter no longer checks (a field renamed since) or reads
 * predictions never fitted is left out rather than failing the whole answer.
 */
export async function segmentsOfCustomer(store: Store, customerId: number, asOf: string): Promise<string[]> {
  const inside: string[] = [];
  for (const segment of await listSegments(store.db)) {
    try {
      if ((await countCustomers(store, { segment: segment.name, where: `id = ${customerId}`, asOf })) > 0) inside.push(segment.name);
    } catch (error) {
      if (!(error instanceof FilterError || error instanceof PredictionsNotFittedError)) throw error;
    }
  }
  return inside;
}

/**
 * The selected customers' columns (default: id, full_name, email and the
 * scalar fields the filter and sort use), in the sort order asked (then by
 * id). The whole query is checked before this returns; the rows are read
 * from the database a batch at a time as they are iterated, so memory stays
 * flat whatever the answer's size.
 */
export async function queryCustomers(store: Store, query: CustomerQuery): Promise<CustomerAnswer> {
  const { condition, columns: filterNeeds } = await compileSelection(store, query);
  const sort = query.sort ?? [];
  const columns = query.columns ?? resolveOutputColumns([...DEFAULT_COLUMNS, ...filterNeeds, ...sort.map((key) => key.field.name)]);
  const needed = new Set(filterNeeds);
  for (const column of columns) if (column.kind === 'scalar') needed.add(column.name);
  for (const key of sort) needed.add(key.field.name);
  let select = (await baseQuery(store, query, needed)).where(condition).select(sql.ref<number>('cf.id').as('id'));
  columns.forEach((column, i) => {
    const alias = `c${i}`;
    if (column.kind === 'scalar') select = select.select(sql.ref(`cf.${column.name}`).as(alias));
    else if (column.kind === 'attribute') select = select.select(customerListColumns.attribute(column.attribute).as(alias));
    else select = select.select((column.name === 'tags' ? customerListColumns.tags(store.dialect) : customerListColumns.externalIds(store.dialect)).as(alias));
  });
  for (const key of sort) {
    select = select.orderBy(sql.ref(`cf.${key.field.name}`), (ob) => (key.direction === 'desc' ? ob.desc() : ob.asc()).nullsLast());
  }
  select = select.orderBy(sql.ref('cf.id'));
  if (query.limit !== undefined) select = select.limit(query.limit);

  async function* rows(): AsyncGenerator<CustomerAnswerRow> {
    for await (const raw of select.stream(500)) {
      const values = raw as Record<string, unknown>;
      const row: CustomerAnswerRow = {};
      columns.forEach((column, i) => {
        row[column.name] = answerValue(column, values[`c${i}`]);
      });
      yield row;
    }
  }
  return { columns, rows: rows() };
}

function answerValue(column: OutputColumn, value: unknown): string | number | readonly string[] | null {
  if (column.kind === 'list') {
    const list = typeof value === 'string' && value !== '' ? value.split(LIST_SEPARATOR) : [];
    return column.name === 'external_id' ? (list[0]?.replace(/^[^:]*:/, '') ?? null) : list;
  }
  if (value === null || value === undefined) return null;
  if (column.kind === 'scalar' && (column.field.type === 'integer' || column.field.type === 'number')) return Number(value);
  return String(value);
}

/** The per-customer field query with the settings RFM and money need, computing only `fields`; stale predictions among them are noted. */
async function baseQuery(store: Store, selection: CustomerSelection, fields: ReadonlySet<string>): Promise<CustomerFieldsQuery> {
  const note = await checkPredictionFreshness(store, fields);
  if (note !== undefined) selection.onNote?.(note);
  const { rfmTable, mainCurrency } = await readRfmSettings(store);
  const options = { asOf: selection.asOf, fields, rfmTable, ...(mainCurrency === undefined ? {} : { mainCurrency }) };
  await refreshRfmCutPoints(store, options);
  return selectCustomerFields(store, options);
}

/**
 * The selection as one condition over `cf`, and the scalar fields it reads.
 * The segment's filter and the typed one are each checked on their own, so an
 * error points into the text that has it.
 */
async function compileSelection(store: Store, selection: CustomerSelection): Promise<{ condition: Expression<SqlBool>; columns: Set<string> }> {
  const segments = await listSegments(store.db);
  const definitions = new Map(segments.map((s) => [s.name, s.where]));
  const context: FilterContext = { asOf: selection.asOf, segmentFilter: (name) => definitions.get(name.toLowerCase()), segmentNames: [...definitions.keys()] };
  const texts: string[] = [];
  if (selection.segment !== undefined) texts.push((await findSegment(store.db, selection.segment)).where);
  if (selection.where !== undefined && selection.where.trim() !== '') texts.push(selection.where);
  if (selection.consented !== undefined) texts.push(CONSENTED_FILTER[selection.consented]);
  const columns = new Set<string>();
  const conditions = texts.map((text) => {
    const parsed = parseFilter(text);
    scalarColumnsOf(checkFilter(parsed, context), columns);
    return compileFilter(parsed, context);
  });
  const condition = conditions.length === 0 ? sql<SqlBool>`1 = 1` : conditions.length === 1 ? conditions[0]! : sql<SqlBool>`(${sql.join(conditions, sql` AND `)})`;
  return { condition, columns };
}


/** Adds the scalar fields `filter` reads to `columns`: the per-customer field query computes only those. */
function scalarColumnsOf(filter: CheckedFilter, columns: Set<string>): void {
  if (filter.kind === 'and' || filter.kind === 'or') for (const operand of filter.operands) scalarColumnsOf(operand, columns);
  else if (filter.kind === 'not') scalarColumnsOf(filter.operand, columns);
  else if (filter.kind === 'scalar') columns.add(filter.column);
}
