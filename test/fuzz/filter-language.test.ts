import fc from 'fast-check';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/tables.js';
import type { FilterContext } from '../../src/filter/check-filter.js';
import { compileFilter } from '../../src/filter/compile-filter.js';
import type { Comparison, FieldRef, FilterExpression, FilterValue, OrderCondition, ParsedFilter } from '../../src/filter/filter-ast.js';
import { FilterError } from '../../src/filter/filter-error.js';
import { parseFilter } from '../../src/filter/parse-filter.js';
import { printFilter } from '../../src/filter/print-filter.js';
import { SCALAR_QUERY_FIELDS, type QueryFieldType } from '../../src/model/query-fields.js';
import { fuzzSettings } from '../helpers/fuzz-settings.js';

const settings = fuzzSettings({ sampleRuns: 300, sampleSeconds: 20, fullRuns: 200_000 });
const runParameters = { seed: settings.firstSeed, numRuns: settings.runs, interruptAfterTimeLimit: settings.seconds * 1000 };
/** Room for a property to use its time and shrink a failure. */
const TEST_TIMEOUT = (settings.seconds + 60) * 1000;

/** Kysely instances that only compile (no database): the SQL each dialect would be sent. */
const COMPILERS = {
  sqlite: new Kysely<Database>({
    dialect: { createAdapter: () => new SqliteAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() },
  }),
  postgres: new Kysely<Database>({
    dialect: { createAdapter: () => new PostgresAdapter(), createDriver: () => new DummyDriver(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() },
  }),
};

const context: FilterContext = { asOf: '2026-03-31', segmentFilter: (name) => (name === 'missing' ? undefined : 'tags contains "seg" or ordered() >= 2') };

function compiled(filter: string | ParsedFilter, dialect: keyof typeof COMPILERS): { sql: string; parameters: readonly unknown[] } {
  const db = COMPILERS[dialect];
  return db.selectFrom('customers as cf').select('cf.id').where(compileFilter(filter, context)).compile();
}

/** The tree without spans, to compare a parse with the tree it was printed from. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'span').map(([key, inner]) => [key, shape(inner)]));
}

// ---- Well-formed trees, every one of which checks against the catalogue ----

const NO_SPAN = { start: 0, end: 0 };
const fieldsOf = (...types: QueryFieldType[]) => SCALAR_QUERY_FIELDS.filter((f) => types.includes(f.type)).map((f) => f.name);
const ref = (name: string): FieldRef => ({ kind: 'field', name, span: NO_SPAN });
const anyText = fc.string({ unit: 'binary', maxLength: 12 }).map((s) => s.replace(/\0/g, ''));
const textValue = anyText.map((value): FilterValue => ({ kind: 'string', value, span: NO_SPAN }));
const numberValue = fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n): FilterValue => ({ kind: 'number', value: n === 0 ? 0 : n / 100, span: NO_SPAN }));
const countValue = fc.nat({ max: 50 }).map((n): FilterValue => ({ kind: 'number', value: n, span: NO_SPAN }));
const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
const unit = fc.constantFrom('day' as const, 'week' as const, 'month' as const, 'year' as const);
const dayValue = fc.oneof(
  day.map((d): FilterValue => ({ kind: 'date', value: d.slice(0, 10), span: NO_SPAN })),
  fc.record({ amount: fc.nat({ max: 500 }), unit }).map(({ amount, unit: u }): FilterValue => ({ kind: 'ago', amount, unit: u, span: NO_SPAN })),
  fc.constantFrom('today' as const, 'yesterday' as const).map((which): FilterValue => ({ kind: 'day', which, span: NO_SPAN })),
);
const instantValue = fc.oneof(dayValue, day.map((d): FilterValue => ({ kind: 'timestamp', value: d, span: NO_SPAN })));
const consentValue = fc.constantFrom('granted', 'denied', 'yes', 'no').map((value): FilterValue => ({ kind: 'word', value, span: NO_SPAN }));
const comparison = fc.constantFrom<Comparison>('=', '!=', '<', '<=', '>', '>=');
const textField = fc.oneof(
  fc.constantFrom(...fieldsOf('text')).map(ref),
  anyText.filter((name) => name !== '').map((name): FieldRef => ({ kind: 'attribute', name, span: NO_SPAN })),
);
const setField = fc.constantFrom('tags', 'source', 'external_id').map(ref);

function compareOn(fields: fc.Arbitrary<FieldRef>, ops: fc.Arbitrary<Comparison>, values: fc.Arbitrary<FilterValue>): fc.Arbitrary<FilterExpression> {
  return fc.record({ field: fields, op: ops, value: values }).map(({ field, op, value }): FilterExpression => ({ kind: 'compare', field, op, value, span: NO_SPAN }));
}

const orderCondition: fc.Arbitrary<OrderCondition> = fc.oneof(
  fc.record({ subject: fc.constantFrom('product' as const, 'sku' as const), match: fc.constantFrom('=' as const, 'contains' as const, 'starts with' as const), value: textValue }).map(
    (c): OrderCondition => ({ kind: 'item', ...c, span: NO_SPAN }),
  ),
  fc.record({ kind: fc.constantFrom('since' as const, 'before' as const), value: instantValue }).map((c): OrderCondition => ({ ...c, span: NO_SPAN })),
  fc.record({ op: comparison, value: numberValue }).map((c): OrderCondition => ({ kind: 'total', ...c, span: NO_SPAN })),
  fc.record({ op: fc.constantFrom('=' as const, '!=' as const), value: textValue }).map((c): OrderCondition => ({ kind: 'status', ...c, span: NO_SPAN })),
);

const condition: fc.Arbitrary<FilterExpression> = fc.oneof(
  compareOn(textField, comparison, textValue),
  compareOn(fc.constantFrom(...fieldsOf('integer', 'number')).map(ref), comparison, numberValue),
  compareOn(fc.constantFrom(...fieldsOf('date')).map(ref), comparison, dayValue),
  compareOn(fc.constantFrom(...fieldsOf('timestamp')).map(ref), comparison, instantValue),
  compareOn(fc.constantFrom(...fieldsOf('consent')).map(ref), fc.constantFrom<Comparison>('=', '!='), consentValue),
  compareOn(setField, fc.constantFrom<Comparison>('=', '!='), textValue),
  fc.record({ field: fc.constantFrom(...fieldsOf('integer', 'number')).map(ref), low: numberValue, high: numberValue }).map((c): FilterExpression => ({ kind: 'between', ...c, span: NO_SPAN })),
  fc.record({ field: fc.oneof(textField, setField), values: fc.array(textValue, { minLength: 1, maxLength: 4 }), negated: fc.boolean() }).map((c): FilterExpression => ({ kind: 'in-list', ...c, span: NO_SPAN })),
  fc
    .record({
      field: fc.constantFrom(...fieldsOf('date', 'timestamp')).map(ref),
      period: fc.oneof(
        fc.record({ amount: fc.nat({ max: 500 }), unit }).map((p) => ({ kind: 'last' as const, ...p, span: NO_SPAN })),
        fc.constantFrom('this month' as const, 'last month' as const, 'this year' as const, 'last year' as const).map((which) => ({ kind: 'calendar' as const, which, span: NO_SPAN })),
      ),
    })
    .map((c): FilterExpression => ({ kind: 'in-period', ...c, span: NO_SPAN })),
  fc.record({ field: fc.oneof(textField, setField), match: fc.constantFrom('contains' as const, 'starts with' as const), value: textValue }).map((c): FilterExpression => ({ kind: 'text-match', ...c, span: NO_SPAN })),
  fc.record({ field: fc.oneof(fc.constantFrom(...SCALAR_QUERY_FIELDS.map((f) => f.name)).map(ref), textField, setField), negated: fc.boolean() }).map((c): FilterExpression => ({ kind: 'empty', ...c, span: NO_SPAN })),
  anyText.filter((name) => name !== 'missing').map((name): FilterExpression => ({ kind: 'segment', name, span: NO_SPAN })),
  fc.record({ conditions: fc.array(orderCondition, { maxLength: 3 }), count: fc.option(fc.record({ op: comparison, value: countValue }), { nil: undefined }) }).map((c): FilterExpression => ({ kind: 'ordered', ...c, span: NO_SPAN })),
);

const { filter: wellFormed } = fc.letrec<{ filter: FilterExpression }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    condition,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), operands: fc.array(tie('filter'), { minLength: 2, maxLength: 4 }) }).map((c): FilterExpression => ({ ...c, span: NO_SPAN })),
    tie('filter').map((operand): FilterExpression => ({ kind: 'not', operand, span: NO_SPAN })),
  ),
}));

/** The same tree with every text value and number replaced: what the SQL may not depend on. */
function blanked(node: FilterExpression): FilterExpression {
  const value = (v: FilterValue): FilterValue => (v.kind === 'string' ? { ...v, value: 'x' } : v.kind === 'number' ? { ...v, value: 1 } : v);
  const field = (f: FieldRef): FieldRef => (f.kind === 'attribute' ? { ...f, name: 'x' } : f);
  switch (node.kind) {
    case 'and':
    case 'or':
      return { ...node, operands: node.operands.map(blanked) };
    case 'not':
      return { ...node, operand: blanked(node.operand) };
    case 'compare':
      return { ...node, field: field(node.field), value: value(node.value) };
    case 'between':
      return { ...node, low: value(node.low), high: value(node.high) };
    case 'in-list':
      return { ...node, field: field(node.field), values: node.values.map(value) };
    case 'text-match':
      return { ...node, field: field(node.field), value: value(node.value) };
    case 'empty':
    case 'in-period':
      return { ...node, field: field(node.field) };
    case 'segment':
      return { ...node, name: 'x' };
    case 'ordered':
      return {
        ...node,
        conditions: node.conditions.map((c) => (c.kind === 'since' || c.kind === 'before' ? c : { ...c, value: value(c.value) })),
        count: node.count && { ...node.count, value: { kind: 'number', value: 1, span: NO_SPAN } },
      };
  }
}

// ---- Arbitrary text, and text made of the language's own pieces ----

const PIECES = [
  '(', ')', 'and', 'or', 'not', 'in', 'segment', '"x"', "'y'", '"', "'", '\\', '"\\u00e9"', '"\\q"', 'total_spent', 'tags', 'email_consent', 'signup_date', 'last_order_at',
  'attr', '.', 'attr."a b"', 'attr."a\nb"', '"\u0007\r\n"', '=', '==', '!=', '<>', '<', '>=', 'between', 'contains', 'starts', 'with', 'is', 'empty', 'last', 'this', 'month', 'year', '30', 'days', 'ago', '2026-01-31',
  '2026-02-30', '2026-01-31T10:00Z', '-1.5', '1e400', 'ordered', 'ordered(', ',', 'product', 'since', 'total', 'today', 'granted', 'é', '🙂', '\0', '\u0007', '\t', '\n', 'totl_spent',
];
const pieces = fc.array(fc.constantFrom(...PIECES), { maxLength: 25 }).map((parts) => parts.join(' '));
const noise = fc.string({ unit: 'binary', maxLength: 120 });

describe('the filter language under random input', () => {
  it(`never fails on text (${settings.runs} runs from seed ${settings.firstSeed}) with anything but a FilterError, and what it accepts compiles on both dialects`, () => {
    fc.assert(
      fc.property(fc.oneof(pieces, noise), (text) => {
        try {
          for (const dialect of ['sqlite', 'postgres'] as const) compiled(text, dialect);
        } catch (error) {
          if (!(error instanceof FilterError)) throw error;
          expect(error.exitCode).toBe(2);
          expect(error.message.split('\n')).toHaveLength(3);
        }
      }),
      runParameters,
    );
  }, TEST_TIMEOUT);

  it('prints any well-formed tree as text that parses back to the same tree', () => {
    fc.assert(
      fc.property(wellFormed, (tree) => {
        expect(shape(parseFilter(printFilter(tree)).expression)).toEqual(shape(tree));
      }),
      runParameters,
    );
  }, TEST_TIMEOUT);

  it('never puts a value the user wrote into the SQL: the SQL of a filter is the SQL of the same filter with its values blanked', () => {
    fc.assert(
      fc.property(wellFormed, (tree) => {
        for (const dialect of ['sqlite', 'postgres'] as const) {
          const real = compiled({ source: printFilter(tree), expression: tree }, dialect);
          const blank = compiled({ source: '', expression: blanked(tree) }, dialect);
          expect(real.sql).toBe(blank.sql);
          expect(real.parameters.length).toBe(blank.parameters.length);
        }
      }),
      runParameters,
    );
  }, TEST_TIMEOUT);
});

describe('hostile filters', () => {
  const hostile = ["'; drop table customers; --", 'x"; delete from customers; --', "Robert'); DROP TABLE customers;--", '1=1', '%_!\\'];

  it.each(hostile)('%s as a value, an attribute name or a segment name is a parameter, never SQL', (text) => {
    const quoted = printFilter({ kind: 'segment', name: text, span: NO_SPAN }).slice('in segment '.length);
    for (const filter of [`city = ${quoted}`, `attr.${quoted} = ${quoted}`, `tags in (${quoted}, "b")`, `ordered(product contains ${quoted})`, `notes starts with ${quoted}`]) {
      for (const dialect of ['sqlite', 'postgres'] as const) {
        const { sql, parameters } = compiled(filter, dialect);
        expect(sql.toLowerCase()).not.toContain(text.toLowerCase());
        // As bound: itself (an attribute name), folded to lower case, or escaped for LIKE.
        const forms = [text, text.toLowerCase(), text.replace(/[!%_]/g, '!$&').toLowerCase()];
        expect(parameters.some((p) => typeof p === 'string' && forms.some((form) => p.includes(form)))).toBe(true);
      }
    }
  });

  it.each([
    ["'; drop table customers; --", /^unclosed string/],
    ['1=1', /^expected a condition at the start of the filter, found 1/],
    ['totl_spent > 1 or 1=1', /^expected a condition after or, found 1/],
    ['totl_spent > 1', /^unknown field totl_spent — did you mean total_spent\?/],
    ['attr."; delete from customers; --" = 1', /^attr\."; delete from customers; --" holds text: put the value in quotes/],
    [`${'('.repeat(500)}city = "x"${')'.repeat(500)}`, /^the filter nests deeper than 100 levels/],
    ['in segment "missing"', /^unknown segment "missing"/],
  ])('%s is refused with a FilterError', (text, message) => {
    expect(() => compiled(text, 'sqlite')).toThrow(FilterError);
    expect(() => compiled(text, 'sqlite')).toThrow(message);
  });
});
