import { queryFieldNames, scalarQueryField, SET_QUERY_FIELDS, type QueryFieldType } from '../model/query-fields.js';
import { addDays, calendarPeriod, moveDay, parseDay, parseTimestamp, startOfDay } from './calendar.js';
import type { Comparison, FieldRef, FilterExpression, FilterValue, OrderCondition, ParsedFilter, Period } from './filter-ast.js';
import { FilterError, filterErrorAt, inSegment, type Span } from './filter-error.js';
import { parseFilter } from './parse-filter.js';
import { printField } from './print-filter.js';
import { didYouMean } from './suggest-closest.js';

/** What a filter is checked and compiled against. */
export interface FilterContext {
  /** The day relative dates count from ('YYYY-MM-DD'): `90 days ago`, `in this month`, `today`. */
  readonly asOf: string;
  /** A saved segment's filter text, or undefined when there is no segment of that name. */
  readonly segmentFilter: (name: string) => string | undefined;
  /** Every saved segment's name, for "did you mean" when one is not found. */
  readonly segmentNames?: readonly string[];
}

/** A test of one value: a scalar column, an attribute's value, one tag, one identity, one order item's name or SKU. */
export type ValueTest =
  /** `fold`: compared ignoring the case of A–Z. A number compares as a number. */
  | { readonly kind: 'compare'; readonly op: Comparison; readonly value: string | number; readonly fold: boolean }
  | { readonly kind: 'in'; readonly values: readonly (string | number)[]; readonly fold: boolean }
  /** Case-insensitive LIKE; `%`, `_` and `!` in the user's text already escaped with `!`. */
  | { readonly kind: 'like'; readonly pattern: string }
  /** Not NULL, and for text not ''. */
  | { readonly kind: 'present' };

export type SetField = (typeof SET_QUERY_FIELDS)[number];

/**
 * A filter with every field looked up, every value converted to what its
 * column holds, relative dates resolved and segments inlined: what
 * compileFilter turns into SQL. Field names here come from the catalogue
 * only; everything the user wrote is a value. A value test on a column
 * is false when the column is empty, so `not` is plain negation.
 */
export type CheckedFilter =
  | { readonly kind: 'and' | 'or'; readonly operands: readonly CheckedFilter[] }
  | { readonly kind: 'not'; readonly operand: CheckedFilter }
  /** Every test holds for the customer's column `column` (`text`: the column holds text, so empty is '' too). */
  | { readonly kind: 'scalar'; readonly column: string; readonly text: boolean; readonly tests: readonly ValueTest[] }
  /** The customer has attribute `name`, its value passing every test. */
  | { readonly kind: 'attribute'; readonly name: string; readonly tests: readonly ValueTest[] }
  /** The customer has a tag (identity source, external id) passing every test. */
  | { readonly kind: 'set'; readonly field: SetField; readonly tests: readonly ValueTest[] }
  /** The customer's counted orders meeting every condition: at least one, or as many as `count` says. */
  | { readonly kind: 'orders'; readonly conditions: readonly OrderTest[]; readonly count: { readonly op: Comparison; readonly value: number } | undefined };

export type OrderTest =
  /** An item of the order whose name or SKU (`product`), or SKU, passes the test. */
  | { readonly kind: 'item'; readonly subject: 'product' | 'sku'; readonly test: ValueTest }
  | { readonly kind: 'ordered_at'; readonly op: Comparison; readonly value: string }
  /** The order's total in minor units (cents). */
  | { readonly kind: 'total'; readonly op: Comparison; readonly minor: number }
  | { readonly kind: 'status'; readonly test: ValueTest };

/** How deep saved segments may use one another, and how many uses in all one filter may expand to. */
const MAX_SEGMENT_DEPTH = 10;
const MAX_SEGMENT_USES = 100;

type FieldKind = QueryFieldType | 'attribute' | SetField;

interface ResolvedField {
  readonly ref: FieldRef;
  readonly label: string;
  readonly kind: FieldKind;
}

/**
 * Looks up every field against src/model/query-fields.ts, converts every
 * value to its field's kind, resolves relative dates against `context.asOf`
 * and inlines `in segment` filters. Throws FilterError at the offending
 * part: an unknown field (with the closest names), a value of the wrong
 * kind, an operator the field does not take, an unknown segment or a cycle.
 */
export function checkFilter(filter: ParsedFilter, context: FilterContext): CheckedFilter {
  if (parseDay(context.asOf) === undefined) throw new Error(`checkFilter: asOf ${context.asOf} is not a YYYY-MM-DD day`);
  return new FilterChecker(filter.source, context, [], { uses: 0 }).check(filter.expression);
}

class FilterChecker {
  constructor(
    private readonly source: string,
    private readonly context: FilterContext,
    private readonly chain: readonly string[],
    private readonly budget: { uses: number },
  ) {}

  check(node: FilterExpression): CheckedFilter {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { kind: node.kind, operands: node.operands.map((operand) => this.check(operand)) };
      case 'not':
        return { kind: 'not', operand: this.check(node.operand) };
      case 'compare':
        return this.compare(this.field(node.field), node.op, node.value);
      case 'between': {
        const field = this.field(node.field);
        this.refuseBetween(field);
        return all([this.compare(field, '>=', node.low), this.compare(field, '<=', node.high)]);
      }
      case 'in-list':
        return this.inList(this.field(node.field), node.values, node.negated);
      case 'in-period':
        return this.inPeriod(this.field(node.field), node.period);
      case 'text-match':
        return this.textMatch(this.field(node.field), node.match, node.value, node.span);
      case 'empty': {
        const present = this.on(this.field(node.field), [{ kind: 'present' }]);
        return node.negated ? present : { kind: 'not', operand: present };
      }
      case 'segment':
        return this.segment(node.name, node.span);
      case 'ordered':
        return this.ordered(node.conditions, node.count);
    }
  }

  private field(ref: FieldRef): ResolvedField {
    // Printed as in a filter, so a name with a line break or control character cannot break the message.
    if (ref.kind === 'attribute') return { ref, label: printField(ref), kind: 'attribute' };
    const setField = SET_QUERY_FIELDS.find((name) => name === ref.name);
    if (setField !== undefined) return { ref, label: ref.name, kind: setField };
    const scalar = scalarQueryField(ref.name);
    if (scalar !== undefined) return { ref, label: ref.name, kind: scalar.type };
    throw this.error(
      ref.span,
      `unknown field ${ref.name}${didYouMean(ref.name, queryFieldNames())}`,
      `Fields: ${queryFieldNames().join(', ')}; custom attributes as attr.<name>.`,
    );
  }

  /** The node testing `field` with `tests`: on the customer's column, attribute or set. */
  private on(field: ResolvedField, tests: readonly ValueTest[]): CheckedFilter {
    switch (field.kind) {
      case 'attribute':
        return { kind: 'attribute', name: field.ref.name, tests };
      case 'tags':
      case 'source':
      case 'external_id':
        return { kind: 'set', field: field.kind, tests };
      default:
        return { kind: 'scalar', column: field.ref.name, text: field.kind !== 'integer' && field.kind !== 'number', tests };
    }
  }

  private compare(field: ResolvedField, op: Comparison, value: FilterValue): CheckedFilter {
    if (op === '!=') return { kind: 'not', operand: this.compare(field, '=', value) };
    switch (field.kind) {
      case 'integer':
      case 'number':
        return this.on(field, [{ kind: 'compare', op, value: this.number(field, value), fold: false }]);
      case 'date':
        return this.on(field, [{ kind: 'compare', op, value: this.day(field, value), fold: false }]);
      case 'timestamp':
        return this.on(field, this.instantTests(field, op, value));
      case 'consent':
        this.refuseOrdering(field, op, value.span, 'granted or denied');
        return this.on(field, [{ kind: 'compare', op, value: this.consent(field, value), fold: false }]);
      case 'tags':
      case 'source':
      case 'external_id':
        this.refuseOrdering(field, op, value.span, 'a tag, source or id');
        return this.on(field, [{ kind: 'compare', op, value: this.text(field, value), fold: true }]);
      default:
        // Ordering compares text as stored (binary, case-sensitive: both dialects' columns are COLLATE "C").
        return this.on(field, [{ kind: 'compare', op, value: this.text(field, value), fold: op === '=' }]);
    }
  }

  /** Tests of a timestamp column against a day (its whole day, UTC) or an exact instant. */
  private instantTests(field: ResolvedField, op: Comparison, value: FilterValue): ValueTest[] {
    const instant = value.kind === 'timestamp' ? value.value : value.kind === 'string' ? parseTimestamp(value.value) : undefined;
    if (instant !== undefined) return [{ kind: 'compare', op, value: instant, fold: false }];
    const day = this.day(field, value);
    const start = startOfDay(day);
    const next = startOfDay(addDays(day, 1));
    const test = (test: Comparison, bound: string): ValueTest => ({ kind: 'compare', op: test, value: bound, fold: false });
    switch (op) {
      case '=':
        return [test('>=', start), test('<', next)];
      case '<':
        return [test('<', start)];
      case '<=':
        return [test('<', next)];
      case '>':
        return [test('>=', next)];
      default:
        return [test('>=', start)];
    }
  }

  private inList(field: ResolvedField, values: readonly FilterValue[], negated: boolean): CheckedFilter {
    let positive: CheckedFilter;
    if (field.kind === 'timestamp') {
      positive = { kind: 'or', operands: values.map((value) => this.compare(field, '=', value)) };
    } else {
      const converted = values.map((value) => this.listValue(field, value));
      positive = this.on(field, [{ kind: 'in', values: converted, fold: holdsText(field.kind) }]);
    }
    return negated ? { kind: 'not', operand: positive } : positive;
  }

  private listValue(field: ResolvedField, value: FilterValue): string | number {
    switch (field.kind) {
      case 'integer':
      case 'number':
        return this.number(field, value);
      case 'date':
        return this.day(field, value);
      case 'consent':
        return this.consent(field, value);
      default:
        return this.text(field, value);
    }
  }

  private inPeriod(field: ResolvedField, period: Period): CheckedFilter {
    if (field.kind !== 'date' && field.kind !== 'timestamp') {
      throw this.error(period.span, `${field.label} is ${kindName(field.kind)}: in last …, in this month and the like work on dates`, `Date fields: ${dateFieldNames().join(', ')}.`);
    }
    const { asOf } = this.context;
    const { first, last } = period.kind === 'calendar' ? calendarPeriod(asOf, period.which) : { first: moveDay(asOf, -period.amount, period.unit), last: asOf };
    this.refuseOffCalendar(first, period.span);
    const bound = (day: string): FilterValue => ({ kind: 'date', value: day, span: period.span });
    return all([this.compare(field, '>=', bound(first)), this.compare(field, '<=', bound(last))]);
  }

  private textMatch(field: ResolvedField, match: 'contains' | 'starts with', value: FilterValue, span: Span): CheckedFilter {
    if (!holdsText(field.kind)) throw this.error(span, `${field.label} is ${kindName(field.kind)}: ${match} works on text and tags`, hintFor(field.kind));
    const text = this.text(field, value);
    if (field.kind === 'tags' && match === 'contains') return this.on(field, [{ kind: 'compare', op: '=', value: text, fold: true }]);
    return this.on(field, [{ kind: 'like', pattern: likePattern(text, match) }]);
  }

  private segment(name: string, span: Span): CheckedFilter {
    if (this.chain.includes(name)) {
      throw this.error(span, `segment cycle: ${[...this.chain, name].map((n) => JSON.stringify(n)).join(' → ')}`, 'A segment cannot use itself, directly or through others; edit one of them.');
    }
    if (this.chain.length >= MAX_SEGMENT_DEPTH) throw this.error(span, `segments use one another more than ${MAX_SEGMENT_DEPTH} deep`);
    this.budget.uses += 1;
    if (this.budget.uses > MAX_SEGMENT_USES) throw this.error(span, `the filter expands to more than ${MAX_SEGMENT_USES} uses of saved segments`);
    const text = this.context.segmentFilter(name);
    if (text === undefined) {
      const guess = didYouMean(name, this.context.segmentNames ?? [], (n) => JSON.stringify(n));
      throw this.error(span, `unknown segment ${JSON.stringify(name)}${guess}`, 'custdb segment list shows the saved segments.');
    }
    try {
      return new FilterChecker(text, this.context, [...this.chain, name], this.budget).check(parseFilter(text).expression);
    } catch (error) {
      throw error instanceof FilterError ? inSegment(name, error) : error;
    }
  }

  private ordered(conditions: readonly OrderCondition[], count: { op: Comparison; value: FilterValue } | undefined): CheckedFilter {
    const tests = conditions.map((condition): OrderTest => {
      switch (condition.kind) {
        case 'item': {
          const text = this.text(orderField(condition.subject, 'text', condition.span), condition.value);
          const test: ValueTest = condition.match === '=' ? { kind: 'compare', op: '=', value: text, fold: true } : { kind: 'like', pattern: likePattern(text, condition.match) };
          return { kind: 'item', subject: condition.subject, test };
        }
        case 'since':
        case 'before': {
          const value = condition.value;
          const instant = value.kind === 'timestamp' ? value.value : startOfDay(this.day(orderField(condition.kind, 'date', condition.span), value));
          return { kind: 'ordered_at', op: condition.kind === 'since' ? '>=' : '<', value: instant };
        }
        case 'total':
          return { kind: 'total', op: condition.op, minor: toMinor(this.number(orderField('total', 'number', condition.span), condition.value)) };
        case 'status': {
          const status = this.text(orderField('status', 'text', condition.span), condition.value);
          return { kind: 'status', test: { kind: 'compare', op: condition.op, value: status, fold: true } };
        }
      }
    });
    if (count === undefined) return { kind: 'orders', conditions: tests, count: undefined };
    const value = count.value;
    if (value.kind !== 'number' || !Number.isSafeInteger(value.value) || value.value < 0) {
      throw this.error(value.span, 'ordered(…) compares with a whole number of orders, as in ordered(…) >= 2');
    }
    return { kind: 'orders', conditions: tests, count: { op: count.op, value: value.value } };
  }

  private number(field: ResolvedField, value: FilterValue): number {
    if (value.kind === 'number') return value.value;
    throw this.error(value.span, `${field.label} is a number: compare it with a number, as in ${field.label} >= 500`, value.kind === 'string' ? 'Numbers go without quotes.' : undefined);
  }

  private text(field: ResolvedField, value: FilterValue): string {
    if (value.kind === 'string') return value.value;
    const shown = value.kind === 'number' ? String(value.value) : this.source.slice(value.span.start, value.span.end);
    const isField = value.kind === 'word' && queryFieldNames().includes(value.value);
    throw this.error(
      value.span,
      `${field.label} holds text: put the value in quotes, as in ${JSON.stringify(shown)}`,
      isField ? 'A filter compares a field with a value; comparing two fields is not supported.' : undefined,
    );
  }

  private consent(field: ResolvedField, value: FilterValue): string {
    const word = value.kind === 'word' || value.kind === 'string' ? value.value.toLowerCase() : '';
    if (word === 'granted' || word === 'yes') return 'granted';
    if (word === 'denied' || word === 'no') return 'denied';
    throw this.error(value.span, `${field.label} is granted, denied or empty: compare it with granted or denied (yes and no mean the same)`, `Example: ${field.label} = granted, or ${field.label} is empty.`);
  }

  /** The calendar day a date value names: a date, a quoted date, `N units ago`, today or yesterday. */
  private day(field: ResolvedField, value: FilterValue): string {
    const { asOf } = this.context;
    let day: string | undefined;
    if (value.kind === 'date') day = value.value;
    else if (value.kind === 'string') day = parseDay(value.value);
    else if (value.kind === 'ago') day = moveDay(asOf, -value.amount, value.unit);
    else if (value.kind === 'day') day = value.which === 'today' ? asOf : addDays(asOf, -1);
    if (value.kind === 'ago') this.refuseOffCalendar(day!, value.span);
    if (day !== undefined) return day;
    const timestamp = value.kind === 'timestamp';
    throw this.error(
      value.span,
      timestamp ? `${field.label} is a date (no time of day): compare it with a date, as in ${field.label} >= ${value.value.slice(0, 10)}` : `${field.label} is a date: compare it with a date (2026-01-31) or a relative date (90 days ago, today)`,
    );
  }

  private refuseOffCalendar(day: string, span: Span): void {
    if (parseDay(day) === undefined) throw this.error(span, 'this date falls outside the calendar (years 1 to 9999)');
  }

  private refuseOrdering(field: ResolvedField, op: Comparison, span: Span, values: string): void {
    if (op === '=') return;
    throw this.error(span, `${field.label} takes =, !=, in and is empty (values: ${values}), not ${op}`, hintFor(field.kind));
  }

  private refuseBetween(field: ResolvedField): void {
    if (field.kind === 'tags' || field.kind === 'source' || field.kind === 'external_id' || field.kind === 'consent') {
      throw this.error(field.ref.span, `${field.label} does not take between`, hintFor(field.kind));
    }
  }

  private error(span: Span, problem: string, hint?: string): FilterError {
    return filterErrorAt(this.source, span, problem, hint);
  }
}

/** What a condition inside ordered(…) names, as a field for the value conversions' messages. */
function orderField(label: string, kind: 'text' | 'date' | 'number', span: Span): ResolvedField {
  return { ref: { kind: 'field', name: label, span }, label, kind };
}

/** Fields compared as text, ignoring the case of A–Z. */
function holdsText(kind: FieldKind): boolean {
  return kind === 'text' || kind === 'attribute' || kind === 'tags' || kind === 'source' || kind === 'external_id';
}

function all(filters: CheckedFilter[]): CheckedFilter {
  return { kind: 'and', operands: filters };
}

/** A case-insensitive LIKE pattern matching `text` literally (`!` escapes `%`, `_` and itself). */
function likePattern(text: string, match: 'contains' | 'starts with'): string {
  const literal = text.replace(/[!%_]/g, (char) => `!${char}`);
  return match === 'contains' ? `%${literal}%` : `${literal}%`;
}

/** Major units to minor (cents), without the float noise of 19.99 × 100. */
function toMinor(major: number): number {
  return Number((major * 100).toFixed(6));
}

function kindName(kind: FieldKind): string {
  switch (kind) {
    case 'integer':
    case 'number':
      return 'a number';
    case 'date':
      return 'a date';
    case 'timestamp':
      return 'a date and time';
    case 'consent':
      return 'a consent (granted, denied or empty)';
    case 'tags':
      return 'a set of tags';
    case 'source':
    case 'external_id':
      return 'a set of identities';
    default:
      return 'text';
  }
}

function hintFor(kind: FieldKind): string | undefined {
  switch (kind) {
    case 'tags':
      return 'Tags: tags contains "vip", tags in ("a", "b"), tags not in (…), tags is empty.';
    case 'source':
    case 'external_id':
      return `Identities: ${kind} = "shopify" (has one), ${kind} != "shopify" (has none), ${kind} in (…), ${kind} is empty.`;
    case 'consent':
      return 'Consent: email_consent = granted, email_consent != granted, email_consent is empty.';
    case 'integer':
    case 'number':
      return 'Numbers take =, !=, <, <=, >, >=, between, in and is empty.';
    case 'date':
    case 'timestamp':
      return 'Dates take =, !=, <, <=, >, >=, between, in last 30 days, in this month, in (…) and is empty.';
    default:
      return undefined;
  }
}

function dateFieldNames(): string[] {
  return queryFieldNames().filter((name) => {
    const type = scalarQueryField(name)?.type;
    return type === 'date' || type === 'timestamp';
  });
}
