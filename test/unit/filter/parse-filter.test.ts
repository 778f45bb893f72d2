import { describe, expect, it } from 'vitest';
import type { FilterExpression } from '../../../src/filter/filter-ast.js';
import { FilterError } from '../../../src/filter/filter-error.js';
import { parseFilter } from '../../../src/filter/parse-filter.js';
import { printFilter } from '../../../src/filter/print-filter.js';

function parse(text: string): FilterExpression {
  return parseFilter(text).expression;
}

/** The tree as nested plain values without spans, for comparing shapes. */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'span').map(([key, inner]) => [key, shape(inner)]));
}

function failure(text: string): FilterError {
  try {
    parseFilter(text);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`${text} parsed`);
}

const field = (name: string) => ({ kind: 'field', name });

describe('parseFilter: conditions', () => {
  it.each([
    ['total_spent >= 500', { kind: 'compare', field: field('total_spent'), op: '>=', value: { kind: 'number', value: 500 } }],
    ['x = -2.5', { kind: 'compare', field: field('x'), op: '=', value: { kind: 'number', value: -2.5 } }],
    ['x != 1e3', { kind: 'compare', field: field('x'), op: '!=', value: { kind: 'number', value: 1000 } }],
    ['x<1', { kind: 'compare', field: field('x'), op: '<', value: { kind: 'number', value: 1 } }],
    ['x <= 1', { kind: 'compare', field: field('x'), op: '<=', value: { kind: 'number', value: 1 } }],
    ['x > 1', { kind: 'compare', field: field('x'), op: '>', value: { kind: 'number', value: 1 } }],
    ['total_spent between 100 and 500', { kind: 'between', field: field('total_spent'), low: { kind: 'number', value: 100 }, high: { kind: 'number', value: 500 } }],
    [
      'country in ("US", \'CA\')',
      { kind: 'in-list', field: field('country'), negated: false, values: [{ kind: 'string', value: 'US' }, { kind: 'string', value: 'CA' }] },
    ],
    ['country NOT IN ("US")', { kind: 'in-list', field: field('country'), negated: true, values: [{ kind: 'string', value: 'US' }] }],
    ['tags contains "vip"', { kind: 'text-match', field: field('tags'), match: 'contains', value: { kind: 'string', value: 'vip' } }],
    ['last_name starts with "Mc"', { kind: 'text-match', field: field('last_name'), match: 'starts with', value: { kind: 'string', value: 'Mc' } }],
    ['email is empty', { kind: 'empty', field: field('email'), negated: false }],
    ['email Is Not Empty', { kind: 'empty', field: field('email'), negated: true }],
    ['attr.favourite_roast = "dark"', { kind: 'compare', field: { kind: 'attribute', name: 'favourite_roast' }, op: '=', value: { kind: 'string', value: 'dark' } }],
    ['attr."weird name!" is empty', { kind: 'empty', field: { kind: 'attribute', name: 'weird name!' }, negated: false }],
    ['email_consent = granted', { kind: 'compare', field: field('email_consent'), op: '=', value: { kind: 'word', value: 'granted' } }],
    ['in segment "vip"', { kind: 'segment', name: 'vip' }],
  ])('%s', (text, expected) => {
    expect(shape(parse(text))).toEqual(expected);
  });
});

describe('parseFilter: dates and relative dates', () => {
  it.each([
    ['signup_date >= 2026-01-31', { kind: 'date', value: '2026-01-31' }],
    ['created_at < 2026-01-31T09:30Z', { kind: 'timestamp', value: '2026-01-31T09:30:00.000Z' }],
    ['created_at < 2026-01-31T09:30:05.5', { kind: 'timestamp', value: '2026-01-31T09:30:05.500Z' }],
    ['last_order_at < 90 days ago', { kind: 'ago', amount: 90, unit: 'day' }],
    ['last_order_at < 1 Week ago', { kind: 'ago', amount: 1, unit: 'week' }],
    ['last_order_at < 2 months ago', { kind: 'ago', amount: 2, unit: 'month' }],
    ['last_order_at < 1 year ago', { kind: 'ago', amount: 1, unit: 'year' }],
    ['last_order_at = today', { kind: 'day', which: 'today' }],
    ['last_order_at = yesterday', { kind: 'day', which: 'yesterday' }],
  ])('%s', (text, value) => {
    const node = parse(text);
    expect(node.kind === 'compare' && shape(node.value)).toEqual(value);
  });

  it.each([
    ['signup_date in last 30 days', { kind: 'last', amount: 30, unit: 'day' }],
    ['signup_date in last 2 weeks', { kind: 'last', amount: 2, unit: 'week' }],
    ['signup_date in this month', { kind: 'calendar', which: 'this month' }],
    ['signup_date in last month', { kind: 'calendar', which: 'last month' }],
    ['signup_date in THIS year', { kind: 'calendar', which: 'this year' }],
    ['signup_date in last year', { kind: 'calendar', which: 'last year' }],
  ])('%s', (text, period) => {
    const node = parse(text);
    expect(node.kind === 'in-period' && shape(node.period)).toEqual(period);
  });

  it.each(['2026-02-30', '2025-02-29', '2026-13-01', '2026-01-31T24:00', '2026-01-31T10:60'])('refuses the impossible %s', (value) => {
    expect(failure(`signup_date = ${value}`).message).toMatch(/is not a real (date|timestamp) \(column 15\)/);
  });
});

describe('parseFilter: strings', () => {
  it.each([
    [String.raw`"say \"hi\""`, 'say "hi"'],
    [String.raw`'it\'s'`, "it's"],
    [`'say "hi"'`, 'say "hi"'],
    [String.raw`"back\\slash"`, 'back\\slash'],
    [String.raw`"a\nb\tc\rd"`, 'a\nb\tc\rd'],
    [String.raw`"caf\u00e9 \u00C9"`, 'café É'],
    ['"raw\u0007bell"', 'raw\u0007bell'],
    ['""', ''],
  ])('%s', (literal, value) => {
    const node = parse(`notes = ${literal}`);
    expect(node.kind === 'compare' && node.value).toMatchObject({ kind: 'string', value });
  });
});

describe('parseFilter: precedence (not, then and, then or)', () => {
  it.each([
    ['a = 1 or b = 2 and c = 3', 'a = 1 or b = 2 and c = 3'],
    ['(a = 1 or b = 2) and c = 3', '(a = 1 or b = 2) and c = 3'],
    ['not a = 1 and b = 2', 'not a = 1 and b = 2'],
    ['not (a = 1 and b = 2)', 'not (a = 1 and b = 2)'],
    ['not not a is empty', 'not not a is empty'],
    ['((a = 1))', 'a = 1'],
    ['a between 1 and 2 and b = 3', 'a between 1 and 2 and b = 3'],
    ['not in segment "x" or ordered()', 'not in segment "x" or ordered()'],
  ])('%s', (text, printed) => {
    expect(printFilter(parse(text))).toBe(printed);
  });

  it('groups and tighter than or, and flattens chains', () => {
    const node = parse('a = 1 or b = 2 and not c = 3 and d = 4 or e = 5');
    expect(node.kind).toBe('or');
    if (node.kind !== 'or') return;
    expect(node.operands.map((o) => o.kind)).toEqual(['compare', 'and', 'compare']);
    const and = node.operands[1]!;
    expect(and.kind === 'and' && and.operands.map((o) => o.kind)).toEqual(['compare', 'not', 'compare']);
  });

  it('keeps each node\'s place in the text', () => {
    const node = parse('a = 1 and  total_spent >= 500');
    expect(node.span).toEqual({ start: 0, end: 29 });
    expect(node.kind === 'and' && node.operands[1]!.span).toEqual({ start: 11, end: 29 });
  });
});

describe('parseFilter: orders', () => {
  it('reads conditions on items, dates, totals and status, and an optional count', () => {
    const node = parse('ordered(product contains "espresso", sku = "B-1", since 90 days ago, before 2026-01-01, total >= 19.5, status != "test") >= 2');
    expect(shape(node)).toEqual({
      kind: 'ordered',
      conditions: [
        { kind: 'item', subject: 'product', match: 'contains', value: { kind: 'string', value: 'espresso' } },
        { kind: 'item', subject: 'sku', match: '=', value: { kind: 'string', value: 'B-1' } },
        { kind: 'since', value: { kind: 'ago', amount: 90, unit: 'day' } },
        { kind: 'before', value: { kind: 'date', value: '2026-01-01' } },
        { kind: 'total', op: '>=', value: { kind: 'number', value: 19.5 } },
        { kind: 'status', op: '!=', value: { kind: 'string', value: 'test' } },
      ],
      count: { op: '>=', value: { kind: 'number', value: 2 } },
    });
    expect(shape(parse('ordered()'))).toEqual({ kind: 'ordered', conditions: [], count: undefined });
  });
});

describe('parseFilter: errors point at the problem', () => {
  it.each([
    ['total_spent >=', 'expected a value after >= (column 13)\n  total_spent >=\n              ^^'],
    ['tags contians "vip"', 'expected an operator after tags, found contians — did you mean contains? (column 6)\n  tags contians "vip"\n       ^^^^^^^^'],
    ['a = 1 adn b = 2', 'expected and, or or the end of the filter, found adn — did you mean and? (column 7)\n  a = 1 adn b = 2\n        ^^^'],
    ['x = 1 and (a = 1 or (b = 2)', 'unclosed parenthesis opened at column 11\n  x = 1 and (a = 1 or (b = 2)\n            ^'],
    ['a = 1)', 'unmatched ) — no parenthesis is open here (column 6)\n  a = 1)\n       ^'],
    ['a == 1', 'unknown operator == — did you mean =? (column 3)\n  a == 1\n    ^^'],
    ['a <> 1', 'unknown operator <> — did you mean !=? (column 3)\n  a <> 1\n    ^^'],
    ['a => 1', 'unknown operator => — did you mean >=? (column 3)\n  a => 1\n    ^^'],
    ['city = "Paris', 'unclosed string: the " at this column has no closing " (column 8)\n  city = "Paris\n         ^'],
    [String.raw`city = "a\qb"`, 'unknown escape \\q in a string (column 10)\n  city = "a\\qb"\n           ^^'],
    ['', 'the filter is empty (column 1)\n  \n  ^'],
    ['a = 1 and', 'expected a condition after and (column 10)\n  a = 1 and\n           ^'],
    ['a in (1, 2', 'expected , or ) in the list opened at column 6 (column 11)\n  a in (1, 2\n            ^'],
    ['a in lats 3 days', 'expected ( or a period after in: in last 30 days, in this month, in last month, in this year, in last year; found lats (column 6)\n  a in lats 3 days\n       ^^^^'],
    ['a < 3 dyas ago', 'expected and, or or the end of the filter, found dyas (column 7)\n  a < 3 dyas ago\n        ^^^^'],
    ['a < 3 days', 'expected ago after 3 days (90 days ago) (column 7)\n  a < 3 days\n        ^^^^'],
    ['ordered(prodcut = "x")', 'expected an order condition (product, sku, since, before, total or status), found prodcut — did you mean product? (column 9)\n  ordered(prodcut = "x")\n          ^^^^^^^'],
    ['a = é', 'unexpected character é (U+00E9) (column 5)\n  a = é\n      ^'],
    ['a = 1 \u0007', 'unexpected character (U+0007) (column 7)\n  a = 1 \ufffd\n        ^'],
    ['a = "x\u0000"', 'a filter cannot hold the NUL character (column 7)\n  a = "x\ufffd"\n        ^'],
    [String.raw`a = "\u0000"`, 'a filter cannot hold the NUL character (column 6)\n  a = "\\u0000"\n       ^^^^^^'],
  ])('%j', (text, message) => {
    const error = failure(text);
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(2);
  });

  it('counts columns in characters and keeps the caret under its character after tabs and emoji', () => {
    const error = failure('notes = "🙂"\tand ?');
    expect(error.column).toBe(17);
    expect(error.message.split('\n').slice(1)).toEqual(['  notes = "🙂" and ?', `  ${' '.repeat(16)}^`]);
  });

  it('shows a window of a long filter around the problem', () => {
    const text = `${'a = 1 and '.repeat(30)}b ~ 2`;
    const lines = failure(text).message.split('\n');
    expect(lines[1]!.length).toBeLessThan(90);
    expect(lines[1]).toMatch(/^ {2}….*b ~ 2$/);
    expect(lines[2]!.indexOf('^')).toBe(lines[1]!.indexOf('~'));
  });

  it('refuses 500 nested parentheses and 500 nots with a FilterError, not a stack overflow', () => {
    expect(failure(`${'('.repeat(500)}a = 1${')'.repeat(500)}`).message).toMatch(/^the filter nests deeper than 100 levels/);
    expect(failure(`${'not '.repeat(500)}a = 1`).message).toMatch(/^the filter nests deeper than 100 levels/);
    expect(() => parseFilter(`${'('.repeat(100)}a = 1${')'.repeat(100)}`)).not.toThrow();
  });

  it('refuses a filter longer than 10,000 characters', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `a = ${i}`).join(' or ');
    expect(failure(text).message).toMatch(/^a filter may be at most 10,000 characters; this one has 10,\d{3}/);
  });
});
