import type { Span } from './filter-error.js';

/**
 * The syntax tree of a filter, as written: fields are not yet looked up and
 * relative dates not yet resolved (checkFilter does both). Every node keeps
 * its span in the text, for error messages.
 */
export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';
export const COMPARISONS: readonly Comparison[] = ['=', '!=', '<', '<=', '>', '>='];

export type CalendarUnit = 'day' | 'week' | 'month' | 'year';

/** `total_spent`, `attr.favourite_roast`, `attr."weird name"`. */
export interface FieldRef {
  readonly kind: 'field' | 'attribute';
  readonly name: string;
  readonly span: Span;
}

export type FilterValue =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'string'; readonly value: string; readonly span: Span }
  /** An unquoted word in a value's place (`granted`): only consent fields take one. */
  | { readonly kind: 'word'; readonly value: string; readonly span: Span }
  /** 'YYYY-MM-DD', a real calendar day. */
  | { readonly kind: 'date'; readonly value: string; readonly span: Span }
  /** UTC, normalised to 'YYYY-MM-DDTHH:MM:SS.sssZ'. */
  | { readonly kind: 'timestamp'; readonly value: string; readonly span: Span }
  /** `90 days ago`: the as-of day moved back. */
  | { readonly kind: 'ago'; readonly amount: number; readonly unit: CalendarUnit; readonly span: Span }
  | { readonly kind: 'day'; readonly which: 'today' | 'yesterday'; readonly span: Span };

/** `in last 30 days` (the as-of day and the 30 before it), `in this month`, `in last year` (calendar ones). */
export type Period =
  | { readonly kind: 'last'; readonly amount: number; readonly unit: CalendarUnit; readonly span: Span }
  | { readonly kind: 'calendar'; readonly which: CalendarPeriod; readonly span: Span };
export type CalendarPeriod = 'this month' | 'last month' | 'this year' | 'last year';

/** One condition inside `ordered(…)`. */
export type OrderCondition =
  /** `product contains "espresso"` (item name or SKU), `sku = "BEAN-1"`. */
  | { readonly kind: 'item'; readonly subject: 'product' | 'sku'; readonly match: '=' | 'contains' | 'starts with'; readonly value: FilterValue; readonly span: Span }
  /** `since 90 days ago` (on or after that day), `before 2026-01-01` (earlier days only). */
  | { readonly kind: 'since' | 'before'; readonly value: FilterValue; readonly span: Span }
  /** `total >= 50`: the order's total in major units of its own currency. */
  | { readonly kind: 'total'; readonly op: Comparison; readonly value: FilterValue; readonly span: Span }
  | { readonly kind: 'status'; readonly op: '=' | '!='; readonly value: FilterValue; readonly span: Span };

export type FilterExpression =
  | { readonly kind: 'and' | 'or'; readonly operands: readonly FilterExpression[]; readonly span: Span }
  | { readonly kind: 'not'; readonly operand: FilterExpression; readonly span: Span }
  | { readonly kind: 'compare'; readonly field: FieldRef; readonly op: Comparison; readonly value: FilterValue; readonly span: Span }
  | { readonly kind: 'between'; readonly field: FieldRef; readonly low: FilterValue; readonly high: FilterValue; readonly span: Span }
  | { readonly kind: 'in-list'; readonly field: FieldRef; readonly values: readonly FilterValue[]; readonly negated: boolean; readonly span: Span }
  | { readonly kind: 'in-period'; readonly field: FieldRef; readonly period: Period; readonly span: Span }
  | { readonly kind: 'text-match'; readonly field: FieldRef; readonly match: 'contains' | 'starts with'; readonly value: FilterValue; readonly span: Span }
  | { readonly kind: 'empty'; readonly field: FieldRef; readonly negated: boolean; readonly span: Span }
  | { readonly kind: 'segment'; readonly name: string; readonly span: Span }
  /** `ordered(…) >= 2`; without a count, `ordered(…)` means at least one such order. */
  | {
      readonly kind: 'ordered';
      readonly conditions: readonly OrderCondition[];
      readonly count: { readonly op: Comparison; readonly value: FilterValue } | undefined;
      readonly span: Span;
    };

/** A parsed filter and the text it came from (which error messages quote). */
export interface ParsedFilter {
  readonly source: string;
  readonly expression: FilterExpression;
}
