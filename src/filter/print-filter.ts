import type { FieldRef, FilterExpression, FilterValue, OrderCondition, Period } from './filter-ast.js';

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The filter as text that parses back to the same tree (spans aside):
 * strings in double quotes with escapes, parentheses only where precedence
 * needs them.
 *
 * @example
 * printFilter(parseFilter('not(a=1 and b="x")').expression) // 'not (a = 1 and b = "x")'
 */
export function printFilter(expression: FilterExpression): string {
  switch (expression.kind) {
    case 'and':
    case 'or':
      return expression.operands
        .map((operand) => (operand.kind === 'or' || (expression.kind === 'and' && operand.kind === 'and') ? `(${printFilter(operand)})` : printFilter(operand)))
        .join(` ${expression.kind} `);
    case 'not': {
      const inner = printFilter(expression.operand);
      return expression.operand.kind === 'and' || expression.operand.kind === 'or' ? `not (${inner})` : `not ${inner}`;
    }
    case 'compare':
      return `${printField(expression.field)} ${expression.op} ${printValue(expression.value)}`;
    case 'between':
      return `${printField(expression.field)} between ${printValue(expression.low)} and ${printValue(expression.high)}`;
    case 'in-list':
      return `${printField(expression.field)} ${expression.negated ? 'not in' : 'in'} (${expression.values.map(printValue).join(', ')})`;
    case 'in-period':
      return `${printField(expression.field)} in ${printPeriod(expression.period)}`;
    case 'text-match':
      return `${printField(expression.field)} ${expression.match} ${printValue(expression.value)}`;
    case 'empty':
      return `${printField(expression.field)} is ${expression.negated ? 'not ' : ''}empty`;
    case 'segment':
      return `in segment ${printString(expression.name)}`;
    case 'ordered': {
      const count = expression.count === undefined ? '' : ` ${expression.count.op} ${printValue(expression.count.value)}`;
      return `ordered(${expression.conditions.map(printOrderCondition).join(', ')})${count}`;
    }
  }
}

/** A string literal the tokenizer reads back as `text`. */
function printString(text: string): string {
  let out = '"';
  for (const char of text) {
    if (char === '"' || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\t') out += '\\t';
    else if (char === '\r') out += '\\r';
    else if (/\p{Cc}/u.test(char)) out += `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}

/** A field as written in a filter: `total_spent`, `attr.roast`, `attr."gift wrap"`. */
export function printField(field: FieldRef): string {
  if (field.kind === 'field') return field.name;
  return `attr.${BARE_NAME.test(field.name) ? field.name : printString(field.name)}`;
}

function printValue(value: FilterValue): string {
  switch (value.kind) {
    case 'number':
      return String(value.value);
    case 'string':
      return printString(value.value);
    case 'word':
    case 'date':
    case 'timestamp':
      return value.value;
    case 'ago':
      return `${value.amount} ${value.unit}s ago`;
    case 'day':
      return value.which;
  }
}

function printPeriod(period: Period): string {
  return period.kind === 'last' ? `last ${period.amount} ${period.unit}s` : period.which;
}

function printOrderCondition(condition: OrderCondition): string {
  switch (condition.kind) {
    case 'item':
      return `${condition.subject} ${condition.match} ${printValue(condition.value)}`;
    case 'since':
    case 'before':
      return `${condition.kind} ${printValue(condition.value)}`;
    case 'total':
    case 'status':
      return `${condition.kind} ${condition.op} ${printValue(condition.value)}`;
  }
}
