import type { CalendarUnit, Comparison, FieldRef, FilterExpression, FilterValue, OrderCondition, ParsedFilter, Period } from './filter-ast.js';
import { COMPARISONS } from './filter-ast.js';
import { filterErrorAt, type Span } from './filter-error.js';
import { printField } from './print-filter.js';
import { didYouMean } from './suggest-closest.js';
import { tokenizeFilter, type Token } from './tokenize-filter.js';

/** Longest filter text accepted: far beyond any hand-written one, short enough that checking it stays instant. */
const MAX_FILTER_LENGTH = 10_000;
/** Deepest nesting of parentheses and `not` accepted (recursion stays far from the stack's end). */
const MAX_FILTER_DEPTH = 100;

const UNITS: Readonly<Record<string, CalendarUnit>> = {
  day: 'day',
  days: 'day',
  week: 'week',
  weeks: 'week',
  month: 'month',
  months: 'month',
  year: 'year',
  years: 'year',
};
const OPERATOR_WORDS = ['contains', 'starts', 'between', 'in', 'not', 'is'];
const ORDER_WORDS = ['product', 'sku', 'since', 'before', 'total', 'status'];
const OPERATORS_SAID = '=, !=, <, <=, >, >=, between, in, not in, contains, starts with, is empty or is not empty';

/**
 * The syntax tree of a filter such as `total_spent >= 500 and tags contains
 * "vip"`. Precedence: not, then and, then or; parentheses group. Throws
 * FilterError (with the column and a caret) for anything that does not
 * parse; field names are checked later, by checkFilter.
 *
 * @example
 * parseFilter('country in ("US", "CA") and not (email is empty)')
 */
export function parseFilter(source: string): ParsedFilter {
  if (source.length > MAX_FILTER_LENGTH) {
    throw filterErrorAt(
      source,
      { start: MAX_FILTER_LENGTH, end: source.length },
      `a filter may be at most ${MAX_FILTER_LENGTH.toLocaleString('en-US')} characters; this one has ${source.length.toLocaleString('en-US')}`,
      'Save parts of it as segments and combine them with in segment "name".',
    );
  }
  const parser = new FilterParser(source, tokenizeFilter(source));
  return { source, expression: parser.parseWhole() };
}

class FilterParser {
  private at = 0;
  private depth = 0;
  private lastEnd = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  parseWhole(): FilterExpression {
    if (this.peek().kind === 'end') throw this.error(this.peek(), 'the filter is empty', 'Write a condition such as total_spent >= 500.');
    const expression = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') {
      if (next.text === ')') throw this.error(next, 'unmatched ) — no parenthesis is open here');
      const guess = next.kind === 'word' ? didYouMean(next.text, ['and', 'or']) : '';
      throw this.error(next, `expected and, or or the end of the filter, found ${describe(next)}${guess}`);
    }
    return expression;
  }

  private parseOr(): FilterExpression {
    return this.parseChain('or', () => this.parseAnd());
  }

  private parseAnd(): FilterExpression {
    return this.parseChain('and', () => this.parseUnary());
  }

  private parseChain(keyword: 'and' | 'or', operand: () => FilterExpression): FilterExpression {
    const operands = [operand()];
    while (this.isWord(keyword)) {
      this.next();
      operands.push(operand());
    }
    if (operands.length === 1) return operands[0]!;
    return { kind: keyword, operands, span: { start: operands[0]!.span.start, end: this.lastEnd } };
  }

  private parseUnary(): FilterExpression {
    if (!this.isWord('not')) return this.parsePrimary();
    const not = this.next();
    const operand = this.nested(not, () => this.parseUnary());
    return { kind: 'not', operand, span: { start: not.start, end: this.lastEnd } };
  }

  private parsePrimary(): FilterExpression {
    const token = this.peek();
    if (token.text === '(') {
      const open = this.next();
      const inner = this.nested(open, () => this.parseOr());
      const close = this.peek();
      if (close.text !== ')') {
        const column = Array.from(this.source.slice(0, open.start)).length + 1;
        if (close.kind === 'end') throw this.error(open, `unclosed parenthesis opened at column ${column}`, 'Add the missing ).');
        throw this.error(close, `expected ) to close the parenthesis opened at column ${column}, found ${describe(close)}`);
      }
      this.next();
      return inner;
    }
    if (this.isWord('in')) return this.parseSegment();
    if (this.isWord('ordered') && this.peek(1).text === '(') return this.parseOrdered();
    if (token.kind === 'word' && !isKeyword(token.text)) return this.parseCondition(this.parseField());
    const before = this.at === 0 ? undefined : this.tokens[this.at - 1];
    const where = before === undefined ? 'at the start of the filter' : `after ${before.text}`;
    const found = token.kind === 'end' ? '' : `, found ${describe(token)}`;
    throw this.error(token, `expected a condition ${where}${found}`, 'A condition is a field, an operator and a value (total_spent >= 500), ordered(…), in segment "name", or one in parentheses.');
  }

  private nested<T>(opener: Token, parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_FILTER_DEPTH) {
      throw this.error(opener, `the filter nests deeper than ${MAX_FILTER_DEPTH} levels of parentheses and not`, 'Save inner parts as segments, or write the conditions without extra parentheses.');
    }
    const result = parse();
    this.depth -= 1;
    return result;
  }

  private parseSegment(): FilterExpression {
    const start = this.next();
    this.expectWord('segment', 'expected segment after in (in segment "name"); a field goes before in: country in ("US", "CA")');
    const name = this.peek();
    if (name.kind !== 'string' && name.kind !== 'word') throw this.error(name, 'expected the segment\'s name after in segment, as in in segment "vip"');
    this.next();
    return { kind: 'segment', name: name.value, span: { start: start.start, end: this.lastEnd } };
  }

  private parseField(): FieldRef {
    const word = this.next();
    if (word.text.toLowerCase() !== 'attr' || this.peek().text !== '.') return { kind: 'field', name: word.text, span: word };
    this.next();
    const name = this.peek();
    if ((name.kind !== 'word' && name.kind !== 'string') || name.value === '') {
      throw this.error(name, 'expected an attribute name after attr.', 'Write attr.favourite_roast, or attr."name with spaces".');
    }
    this.next();
    return { kind: 'attribute', name: name.value, span: { start: word.start, end: name.end } };
  }

  private parseCondition(field: FieldRef): FilterExpression {
    const start = field.span.start;
    const span = (): Span => ({ start, end: this.lastEnd });
    const token = this.peek();
    const op = comparisonOf(token);
    if (op !== undefined) {
      this.next();
      const value = this.parseValue(token);
      return { kind: 'compare', field, op, value, span: span() };
    }
    if (this.isWord('between')) {
      const between = this.next();
      const low = this.parseValue(between);
      const and = this.expectWord('and', 'expected and between the two values of between (total_spent between 100 and 500)');
      const high = this.parseValue(and);
      return { kind: 'between', field, low, high, span: span() };
    }
    if (this.isWord('in')) {
      const word = this.next();
      if (this.peek().text === '(') return { kind: 'in-list', field, values: this.parseList(), negated: false, span: span() };
      return { kind: 'in-period', field, period: this.parsePeriod(word), span: span() };
    }
    if (this.isWord('not')) {
      this.next();
      this.expectWord('in', `expected in after not: a field takes not in (…); to negate a condition, put not before it: not (${printField(field)} …)`);
      return { kind: 'in-list', field, values: this.parseList(), negated: true, span: span() };
    }
    if (this.isWord('contains')) {
      const contains = this.next();
      return { kind: 'text-match', field, match: 'contains', value: this.parseValue(contains), span: span() };
    }
    if (this.isWord('starts')) {
      this.next();
      const withWord = this.expectWord('with', 'expected with after starts (name starts with "Mc")');
      return { kind: 'text-match', field, match: 'starts with', value: this.parseValue(withWord), span: span() };
    }
    if (this.isWord('is')) {
      this.next();
      const negated = this.isWord('not');
      if (negated) this.next();
      this.expectWord('empty', `expected empty after is${negated ? ' not' : ''} (email is empty, email is not empty)`);
      return { kind: 'empty', field, negated, span: span() };
    }
    const guess = token.kind === 'word' ? didYouMean(token.text, OPERATOR_WORDS) : '';
    const found = token.kind === 'end' ? '' : `, found ${describe(token)}`;
    throw this.error(token, `expected an operator after ${printField(field)}${found}${guess}`, `Operators: ${OPERATORS_SAID}.`);
  }

  private parseList(): FilterValue[] {
    const open = this.next();
    const values: FilterValue[] = [];
    let after = open;
    for (;;) {
      values.push(this.parseValue(after));
      const token = this.peek();
      if (token.text === ')') break;
      if (token.text !== ',') {
        const column = Array.from(this.source.slice(0, open.start)).length + 1;
        throw this.error(token, `expected , or ) in the list opened at column ${column}${token.kind === 'end' ? '' : `, found ${describe(token)}`}`);
      }
      after = this.next();
    }
    this.next();
    return values;
  }

  private parsePeriod(inWord: Token): Period {
    const start = this.peek().start;
    const expected = 'expected ( or a period after in: in last 30 days, in this month, in last month, in this year, in last year';
    if (this.isWord('last') && this.peek(1).kind === 'number') {
      this.next();
      const amount = this.parseAmount();
      const unit = this.parseUnit();
      return { kind: 'last', amount, unit, span: { start, end: this.lastEnd } };
    }
    if (this.isWord('last') || this.isWord('this')) {
      const which = this.next().text.toLowerCase() as 'last' | 'this';
      const unit = this.peek();
      const lower = unit.text.toLowerCase();
      if (lower !== 'month' && lower !== 'year') throw this.error(unit, `expected month or year after ${which}, or a number: in last 30 days`);
      this.next();
      return { kind: 'calendar', which: `${which} ${lower}`, span: { start, end: this.lastEnd } };
    }
    const token = this.peek();
    if (token.kind === 'end') throw this.error(inWord, expected);
    throw this.error(token, `${expected}; found ${describe(token)}`);
  }

  private parseAmount(): number {
    const token = this.next();
    const amount = Number(token.text);
    if (!/^\d{1,6}$/.test(token.text)) throw this.error(token, `${token.text} is not a whole number of days, weeks, months or years (0 to 999999)`);
    return amount;
  }

  private parseUnit(): CalendarUnit {
    const token = this.peek();
    const unit = token.kind === 'word' ? UNITS[token.text.toLowerCase()] : undefined;
    if (unit === undefined) {
      const guess = token.kind === 'word' ? didYouMean(token.text, Object.keys(UNITS)) : '';
      throw this.error(token, `expected days, weeks, months or years${token.kind === 'end' ? '' : `, found ${describe(token)}`}${guess}`);
    }
    this.next();
    return unit;
  }

  private parseValue(after: Token): FilterValue {
    const token = this.peek();
    const span = { start: token.start, end: token.end };
    switch (token.kind) {
      case 'number': {
        const unitWord = this.peek(1);
        if (unitWord.kind === 'word' && UNITS[unitWord.text.toLowerCase()] !== undefined) {
          const amount = this.parseAmount();
          const unit = this.parseUnit();
          this.expectWord('ago', `expected ago after ${amount} ${unitWord.text} (90 days ago)`);
          return { kind: 'ago', amount, unit, span: { start: token.start, end: this.lastEnd } };
        }
        this.next();
        const value = Number(token.text);
        if (!Number.isFinite(value)) throw this.error(token, `${token.text} is too large a number`);
        return { kind: 'number', value, span };
      }
      case 'string':
        this.next();
        return { kind: 'string', value: token.value, span };
      case 'date':
      case 'timestamp':
        this.next();
        return { kind: token.kind, value: token.value, span };
      case 'word': {
        const lower = token.text.toLowerCase();
        if (lower === 'today' || lower === 'yesterday') {
          this.next();
          return { kind: 'day', which: lower, span };
        }
        if (isKeyword(token.text)) break;
        this.next();
        return { kind: 'word', value: token.text, span };
      }
      default:
        break;
    }
    throw this.error(token.kind === 'end' ? after : token, `expected a value after ${after.text}${token.kind === 'end' ? '' : `, found ${describe(token)}`}`, 'Values are numbers (500, -2.5), text in quotes ("vip"), dates (2026-01-31) or relative dates (90 days ago, today).');
  }

  private parseOrdered(): FilterExpression {
    const start = this.next();
    const open = this.next();
    const conditions: OrderCondition[] = [];
    if (this.peek().text !== ')') {
      for (;;) {
        conditions.push(this.parseOrderCondition());
        const token = this.peek();
        if (token.text === ')') break;
        if (token.text !== ',') {
          const column = Array.from(this.source.slice(0, open.start)).length + 1;
          throw this.error(token, `expected , or ) in ordered( opened at column ${column}${token.kind === 'end' ? '' : `, found ${describe(token)}`}`);
        }
        this.next();
      }
    }
    this.next();
    const opToken = this.peek();
    const op = comparisonOf(opToken);
    let count: { op: Comparison; value: FilterValue } | undefined;
    if (op !== undefined) {
      this.next();
      count = { op, value: this.parseValue(opToken) };
    }
    return { kind: 'ordered', conditions, count, span: { start: start.start, end: this.lastEnd } };
  }

  private parseOrderCondition(): OrderCondition {
    const word = this.peek();
    const lower = word.kind === 'word' ? word.text.toLowerCase() : '';
    const span = (): Span => ({ start: word.start, end: this.lastEnd });
    if (lower === 'product' || lower === 'sku') {
      this.next();
      const token = this.peek();
      let match: '=' | 'contains' | 'starts with';
      if (token.text === '=') match = '=';
      else if (this.isWord('contains')) match = 'contains';
      else if (this.isWord('starts')) match = 'starts with';
      else throw this.error(token, `expected =, contains or starts with after ${lower}`);
      this.next();
      const last = match === 'starts with' ? this.expectWord('with', `expected with after starts (${lower} starts with "…")`) : token;
      return { kind: 'item', subject: lower, match, value: this.parseValue(last), span: span() };
    }
    if (lower === 'since' || lower === 'before') {
      this.next();
      return { kind: lower, value: this.parseValue(word), span: span() };
    }
    if (lower === 'total' || lower === 'status') {
      this.next();
      const token = this.peek();
      const op = comparisonOf(token);
      if (op === undefined || (lower === 'status' && op !== '=' && op !== '!=')) {
        throw this.error(token, lower === 'total' ? 'expected =, !=, <, <=, > or >= after total' : 'expected = or != after status');
      }
      this.next();
      const value = this.parseValue(token);
      return lower === 'total' ? { kind: 'total', op, value, span: span() } : { kind: 'status', op: op === '=' ? '=' : '!=', value, span: span() };
    }
    const guess = word.kind === 'word' ? didYouMean(word.text, ORDER_WORDS) : '';
    throw this.error(
      word,
      `expected an order condition (product, sku, since, before, total or status)${word.kind === 'end' ? '' : `, found ${describe(word)}`}${guess}`,
      'Example: ordered(product contains "espresso", since 90 days ago) >= 2',
    );
  }

  private expectWord(word: string, problem: string): Token {
    if (!this.isWord(word)) {
      const token = this.peek();
      throw this.error(token.kind === 'end' ? this.tokens[this.at - 1] ?? token : token, problem);
    }
    return this.next();
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.at + ahead, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at += 1;
    this.lastEnd = token.end;
    return token;
  }

  private error(token: Span, problem: string, hint?: string) {
    return filterErrorAt(this.source, { start: token.start, end: Math.max(token.end, token.start + 1) }, problem, hint);
  }
}

/** Words that join or negate conditions, so can be neither a field nor a bare value. */
function isKeyword(word: string): boolean {
  const lower = word.toLowerCase();
  return lower === 'and' || lower === 'or' || lower === 'not';
}

function comparisonOf(token: Token): Comparison | undefined {
  return token.kind === 'symbol' ? COMPARISONS.find((op) => op === token.text) : undefined;
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter';
  const shown = token.text.replace(/\p{Cc}/gu, '\ufffd');
  const text = shown.length > 30 ? `${shown.slice(0, 30)}…` : shown;
  return token.kind === 'string' ? `the text ${text}` : text;
}
