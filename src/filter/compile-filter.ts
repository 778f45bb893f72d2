import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import { EXCLUDED_ORDER_STATUSES } from '../db/customer-metrics.js';
import { checkFilter, type CheckedFilter, type FilterContext, type OrderTest, type SetField, type ValueTest } from './check-filter.js';
import type { Comparison, ParsedFilter } from './filter-ast.js';
import { parseFilter } from './parse-filter.js';

/** The customer row alias and id column the compiled condition refers to (the per-customer field query's). */
const CUSTOMER_ID = sql.ref('cf.id');

/** Each element table of a set field: where the customer's values are, and the column compared. */
const SET_TABLES: Readonly<Record<SetField, { table: RawBuilder<unknown>; owner: string; column: string }>> = {
  tags: { table: sql`customer_tags t`, owner: 't.customer_id', column: 't.tag' },
  source: { table: sql`customer_identities ci`, owner: 'ci.customer_id', column: 'ci.source' },
  external_id: { table: sql`customer_identities ci`, owner: 'ci.customer_id', column: 'ci.external_id' },
};

const OPERATORS: Readonly<Record<Comparison, RawBuilder<unknown>>> = {
  '=': sql.raw('='),
  '!=': sql.raw('<>'),
  '<': sql.raw('<'),
  '<=': sql.raw('<='),
  '>': sql.raw('>'),
  '>=': sql.raw('>='),
};

/**
 * A filter as a Kysely condition over the per-customer field query aliased
 * `cf` (src/db/customer-fields-query.ts): scalar fields are `cf.<name>`
 * columns; tags, identities, attributes and orders are correlated
 * subqueries on `cf.id`. Every value the user wrote is a bound parameter;
 * the SQL is the same on SQLite and PostgreSQL. Throws FilterError
 * (parseFilter, checkFilter).
 *
 * @example
 * const where = compileFilter('tags contains "vip" and total_spent >= 500', { asOf: '2026-12-05', segmentFilter: () => undefined });
 * await selectCustomerFields(store.db, …).where(where).selectAll().execute();
 */
export function compileFilter(filter: string | ParsedFilter, context: FilterContext): Expression<SqlBool> {
  const parsed = typeof filter === 'string' ? parseFilter(filter) : filter;
  return compileChecked(checkFilter(parsed, context));
}

function compileChecked(filter: CheckedFilter): RawBuilder<SqlBool> {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return sql<SqlBool>`(${sql.join(filter.operands.map(compileChecked), filter.kind === 'and' ? sql` AND ` : sql` OR `)})`;
    case 'not':
      return sql<SqlBool>`NOT (${compileChecked(filter.operand)})`;
    case 'scalar':
      return testsOn(sql.ref(`cf.${filter.column}`), filter.tests, filter.text);
    case 'attribute':
      return sql<SqlBool>`EXISTS (SELECT 1 FROM customer_attributes a WHERE a.customer_id = ${CUSTOMER_ID} AND a.name = ${sql.val(filter.name)} AND ${testsOn(sql.ref('a.value'), filter.tests, true)})`;
    case 'set': {
      const { table, owner, column } = SET_TABLES[filter.field];
      return sql<SqlBool>`EXISTS (SELECT 1 FROM ${table} WHERE ${sql.ref(owner)} = ${CUSTOMER_ID} AND ${testsOn(sql.ref(column), filter.tests, true)})`;
    }
    case 'orders': {
      const where = sql.join(
        [
          sql`o.customer_id = ${CUSTOMER_ID}`,
          // The same orders orders_count counts (src/db/customer-metrics.ts).
          sql`o.status NOT IN (${sql.join(EXCLUDED_ORDER_STATUSES.map((status) => sql.val(status)))})`,
          ...filter.conditions.map(orderCondition),
        ],
        sql` AND `,
      );
      if (filter.count === undefined) return sql<SqlBool>`EXISTS (SELECT 1 FROM orders o WHERE ${where})`;
      return sql<SqlBool>`(SELECT COUNT(*) FROM orders o WHERE ${where}) ${OPERATORS[filter.count.op]} ${number(filter.count.value)}`;
    }
  }
}

function orderCondition(test: OrderTest): RawBuilder<SqlBool> {
  switch (test.kind) {
    case 'item': {
      const name = testsOn(sql.ref('i.name'), [test.test], true);
      const sku = testsOn(sql.ref('i.sku'), [test.test], true);
      const match = test.subject === 'product' ? sql`(${name} OR ${sku})` : sku;
      return sql<SqlBool>`EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = o.id AND ${match})`;
    }
    case 'ordered_at':
      return sql<SqlBool>`o.ordered_at ${OPERATORS[test.op]} ${sql.val(test.value)}`;
    case 'total':
      return sql<SqlBool>`o.total_minor ${OPERATORS[test.op]} ${number(test.minor)}`;
    case 'status':
      return testsOn(sql.ref('o.status'), [test.test], true);
  }
}

/**
 * `column` is not empty and passes every test: never NULL, so NOT is plain
 * negation (an empty field is `!= "x"`). `text`: '' counts as empty too.
 */
function testsOn(column: RawBuilder<unknown>, tests: readonly ValueTest[], text: boolean): RawBuilder<SqlBool> {
  const conditions = [
    sql`${column} IS NOT NULL`,
    ...tests.flatMap((test) => (test.kind !== 'present' ? [valueTest(column, test)] : text ? [sql`${column} <> ''`] : [])),
  ];
  return sql<SqlBool>`(${sql.join(conditions, sql` AND `)})`;
}

function valueTest(column: RawBuilder<unknown>, test: Exclude<ValueTest, { kind: 'present' }>): RawBuilder<SqlBool> {
  switch (test.kind) {
    case 'compare':
      if (test.fold) return sql<SqlBool>`LOWER(${column}) ${OPERATORS[test.op]} ${sql.val(foldCase(String(test.value)))}`;
      return sql<SqlBool>`${column} ${OPERATORS[test.op]} ${value(test.value)}`;
    case 'in':
      if (test.fold) return sql<SqlBool>`LOWER(${column}) IN (${sql.join(test.values.map((v) => sql.val(foldCase(String(v)))))})`;
      return sql<SqlBool>`${column} IN (${sql.join(test.values.map(value))})`;
    case 'like':
      // PostgreSQL's LIKE is case-sensitive and SQLite's is not (for ASCII): folding both sides makes them agree.
      return sql<SqlBool>`LOWER(${column}) LIKE ${sql.val(foldCase(test.pattern))} ESCAPE '!'`;
  }
}

/**
 * The case folding LOWER() does on both dialects' columns: SQLite's LOWER and
 * PostgreSQL's under COLLATE "C" (every custdb text column) change A–Z only.
 * Folding the value the same way here, rather than with LOWER(?) (which
 * PostgreSQL would fold under the database's locale, É to é), keeps the two
 * dialects' answers the same.
 */
function foldCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

function value(v: string | number): RawBuilder<unknown> {
  return typeof v === 'number' ? number(v) : sql.val(v);
}

/**
 * A number parameter typed as NUMERIC: PostgreSQL would otherwise take an
 * untyped parameter for the column's type and refuse 2.5 against an integer.
 */
function number(v: number): RawBuilder<unknown> {
  return sql`CAST(${sql.val(v)} AS NUMERIC)`;
}
