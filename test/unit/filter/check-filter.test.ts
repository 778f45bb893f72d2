import { describe, expect, it } from 'vitest';
import { checkFilter, type CheckedFilter, type FilterContext } from '../../../src/filter/check-filter.js';
import { FilterError } from '../../../src/filter/filter-error.js';
import { parseFilter } from '../../../src/filter/parse-filter.js';

const SEGMENTS: Record<string, string> = {
  vip: 'tags contains "vip"',
  regulars: 'ordered() >= 3',
  loop_a: 'in segment "loop_b"',
  loop_b: 'total_spent > 1 and in segment "loop_a"',
  self: 'in segment "self"',
  broken: 'total_spnt > 1',
  uses_broken: 'in segment "broken"',
};

function contextAt(asOf: string): FilterContext {
  return { asOf, segmentFilter: (name) => SEGMENTS[name], segmentNames: Object.keys(SEGMENTS) };
}

function check(text: string, asOf = '2026-03-31'): CheckedFilter {
  return checkFilter(parseFilter(text), contextAt(asOf));
}

function failure(text: string): FilterError {
  try {
    check(text);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`${text} was accepted`);
}

/** The bounds a date filter came to, as `op value` strings. */
function bounds(filter: CheckedFilter): string[] {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return filter.operands.flatMap(bounds);
    case 'scalar':
      return filter.tests.flatMap((test) => (test.kind === 'compare' ? [`${test.op} ${test.value}`] : []));
    default:
      return [];
  }
}

describe('checkFilter: relative dates resolve against the as-of day', () => {
  it.each([
    ['signup_date < 90 days ago', '2026-03-31', ['< 2025-12-31']],
    ['signup_date < 1 month ago', '2026-03-31', ['< 2026-02-28']],
    ['signup_date < 1 month ago', '2024-03-31', ['< 2024-02-29']],
    ['signup_date < 1 year ago', '2024-02-29', ['< 2023-02-28']],
    ['signup_date < 2 weeks ago', '2026-01-03', ['< 2025-12-20']],
    ['signup_date = today', '2026-03-31', ['= 2026-03-31']],
    ['signup_date = yesterday', '2026-01-01', ['= 2025-12-31']],
    ['signup_date in last 30 days', '2026-03-31', ['>= 2026-03-01', '<= 2026-03-31']],
    ['signup_date in last 2 weeks', '2026-03-31', ['>= 2026-03-17', '<= 2026-03-31']],
    ['signup_date in this month', '2024-02-10', ['>= 2024-02-01', '<= 2024-02-29']],
    ['signup_date in last month', '2026-01-15', ['>= 2025-12-01', '<= 2025-12-31']],
    ['signup_date in this year', '2026-06-01', ['>= 2026-01-01', '<= 2026-12-31']],
    ['signup_date in last year', '2026-06-01', ['>= 2025-01-01', '<= 2025-12-31']],
    // Timestamps: a day means all of it, in UTC.
    ['last_order_at = 2026-03-01', '2026-03-31', ['>= 2026-03-01T00:00:00.000Z', '< 2026-03-02T00:00:00.000Z']],
    ['last_order_at <= 2026-03-01', '2026-03-31', ['< 2026-03-02T00:00:00.000Z']],
    ['last_order_at > 2026-03-01', '2026-03-31', ['>= 2026-03-02T00:00:00.000Z']],
    ['last_order_at < 90 days ago', '2026-03-31', ['< 2025-12-31T00:00:00.000Z']],
    ['last_order_at in last 30 days', '2026-03-31', ['>= 2026-03-01T00:00:00.000Z', '< 2026-04-01T00:00:00.000Z']],
    ['last_order_at >= "2026-03-01T10:00:00Z"', '2026-03-31', ['>= 2026-03-01T10:00:00.000Z']],
  ])('%s as of %s', (text, asOf, expected) => {
    expect(bounds(check(text, asOf))).toEqual(expected);
  });

  it('refuses an as-of day that is not one (a programming error, not the user\'s)', () => {
    expect(() => check('signup_date = today', '2026-02-30')).toThrow(/asOf 2026-02-30/);
  });

  it('refuses a relative date before year 1', () => {
    expect(failure('signup_date > 999999 years ago').message).toMatch(/^this date falls outside the calendar/);
  });
});

describe('checkFilter: fields and the kinds of their values', () => {
  it.each([
    ['totl_spent >= 500', 'unknown field totl_spent — did you mean total_spent? (column 1)\n  totl_spent >= 500\n  ^^^^^^^^^^'],
    ['emial is empty', 'unknown field emial — did you mean email? (column 1)\n  emial is empty\n  ^^^^^'],
    ['zzz = 1', 'unknown field zzz (column 1)\n  zzz = 1\n  ^^^'],
    ['country > 5', 'country holds text: put the value in quotes, as in "5" (column 11)\n  country > 5\n            ^'],
    ['country = US', 'country holds text: put the value in quotes, as in "US" (column 11)\n  country = US\n            ^^'],
    ['total_spent contains "x"', 'total_spent is a number: contains works on text and tags (column 1)\n  total_spent contains "x"\n  ^^^^^^^^^^^^^^^^^^^^^^^^'],
    ['total_spent >= "500"', 'total_spent is a number: compare it with a number, as in total_spent >= 500 (column 16)\n  total_spent >= "500"\n                 ^^^^^'],
    ['signup_date > "soon"', 'signup_date is a date: compare it with a date (2026-01-31) or a relative date (90 days ago, today) (column 15)\n  signup_date > "soon"\n                ^^^^^^'],
    ['signup_date > 2026-01-01T10:00', 'signup_date is a date (no time of day): compare it with a date, as in signup_date >= 2026-01-01 (column 15)\n  signup_date > 2026-01-01T10:00\n                ^^^^^^^^^^^^^^^^'],
    ['email_consent = maybe', 'email_consent is granted, denied or empty: compare it with granted or denied (yes and no mean the same) (column 17)\n  email_consent = maybe\n                  ^^^^^'],
    ['email_consent > granted', 'email_consent takes =, !=, in and is empty (values: granted or denied), not > (column 17)\n  email_consent > granted\n                  ^^^^^^^'],
    ['tags > "a"', 'tags takes =, !=, in and is empty (values: a tag, source or id), not > (column 8)\n  tags > "a"\n         ^^^'],
    ['tags between "a" and "b"', 'tags does not take between (column 1)\n  tags between "a" and "b"\n  ^^^^'],
    ['country in last 3 days', 'country is text: in last …, in this month and the like work on dates (column 12)\n  country in last 3 days\n             ^^^^^^^^^^^'],
    ['attr."two\\nlines" = 1', 'attr."two\\nlines" holds text: put the value in quotes, as in "1" (column 21)\n  attr."two\\nlines" = 1\n                      ^'],
    ['ordered() >= 1.5', 'ordered(…) compares with a whole number of orders, as in ordered(…) >= 2 (column 14)\n  ordered() >= 1.5\n               ^^^'],
    ['ordered(total > "5")', 'total is a number: compare it with a number, as in total >= 500 (column 17)\n  ordered(total > "5")\n                  ^^^'],
  ])('%s', (text, message) => {
    expect(failure(text).message).toBe(message);
  });

  it('lists the fields in the hint of an unknown one, and says two fields cannot be compared', () => {
    expect(failure('totl_spent >= 500').hint).toMatch(/^Fields: id, first_name, .*, tags, source, external_id; custom attributes as attr\.<name>\.$/);
    expect(failure('total_spent > avg_order_value').hint).toBeUndefined();
    expect(failure('city = country').hint).toBe('A filter compares a field with a value; comparing two fields is not supported.');
  });

  it('takes every scalar field of the catalogue', () => {
    for (const text of ['id = 1', 'full_name = "A"', 'rfm_segment = "Champions"', 'days_since_signup > 1', 'last_interaction_at < today', 'birth_date is empty', 'sms_consent = no']) {
      expect(() => check(text)).not.toThrow();
    }
  });

  it('accepts consent as granted/denied or yes/no, quoted or not', () => {
    expect(check('email_consent in (yes, "No", GRANTED)')).toEqual({ kind: 'scalar', column: 'email_consent', text: true, tests: [{ kind: 'in', values: ['granted', 'denied', 'granted'], fold: false }] });
  });

  it('escapes % _ and ! for LIKE and makes tags contains an exact tag', () => {
    expect(check('notes contains "50%_!"')).toMatchObject({ tests: [{ kind: 'like', pattern: '%50!%!_!!%' }] });
    expect(check('tags contains "vip"')).toEqual({ kind: 'set', field: 'tags', tests: [{ kind: 'compare', op: '=', value: 'vip', fold: true }] });
  });

  it('turns != and not in into not (…), so an empty field passes them', () => {
    expect(check('city != "Paris"')).toEqual({ kind: 'not', operand: check('city = "Paris"') });
    expect(check('tags not in ("a")')).toEqual({ kind: 'not', operand: check('tags in ("a")') });
  });

  it('converts order totals to cents without float noise', () => {
    expect(check('ordered(total >= 19.99)')).toMatchObject({ conditions: [{ kind: 'total', op: '>=', minor: 1999 }] });
  });
});

describe('checkFilter: saved segments', () => {
  it('inlines a segment\'s filter', () => {
    expect(check('in segment "vip"')).toEqual(check('tags contains "vip"'));
    expect(check('not in segment "regulars"')).toEqual({ kind: 'not', operand: check('ordered() >= 3') });
  });

  it('suggests the closest name for an unknown segment', () => {
    const error = failure('total_spent > 1 and in segment "vpi"');
    expect(error.message).toBe('unknown segment "vpi" — did you mean "vip"? (column 21)\n  total_spent > 1 and in segment "vpi"\n                      ^^^^^^^^^^^^^^^^');
    expect(error.hint).toBe('custdb segment list shows the saved segments.');
  });

  it('names the chain of a cycle', () => {
    expect(failure('in segment "loop_a"').message).toMatch(/^in segment "loop_a": in segment "loop_b": segment cycle: "loop_a" → "loop_b" → "loop_a" \(column 21\)\n {2}total_spent > 1 and in segment "loop_a"\n/);
    expect(failure('in segment "self"').message).toMatch(/^in segment "self": segment cycle: "self" → "self"/);
  });

  it('says which segment a problem is in, quoting that segment\'s text', () => {
    const error = failure('in segment "uses_broken"');
    expect(error.message).toBe('in segment "uses_broken": in segment "broken": unknown field total_spnt — did you mean total_spent? (column 1)\n  total_spnt > 1\n  ^^^^^^^^^^');
    expect(error.source).toBe('total_spnt > 1');
  });

  it('refuses a filter that expands to more than 100 uses of segments', () => {
    const text = Array.from({ length: 101 }, () => 'in segment "vip"').join(' or ');
    expect(failure(text).message).toMatch(/^the filter expands to more than 100 uses of saved segments/);
  });
});
