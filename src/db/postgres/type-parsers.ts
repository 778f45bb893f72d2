import pg from 'pg';

/** PostgreSQL type oids whose text custdb parses differently from pg's defaults. */
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

const toNumber = (text: string): number => Number(text);
const asText = (text: string): string => text;

/**
 * The type parsers of every custdb pool (passed as the pool's `types`, so
 * other pg users in the process keep pg's global defaults).
 *
 * The same code must get the same JavaScript values from both dialects, and
 * through SQLite every integer and every aggregate is a number. pg returns
 * int8 (what count(*) and sum(integer) give, and the bigint money columns) and
 * numeric (what sum(bigint) and avg() give) as strings, because they can hold
 * more than a JS number holds exactly; custdb's values never come near 2^53,
 * and better-sqlite3 converts SQLite's 64-bit integers the same way. Left as
 * strings, `total + 1` would concatenate, and an export would quote a count.
 *
 * Dates and timestamps stay the text the server sent: custdb keeps them as
 * text (no column has a date type), and SQLite's date functions return text,
 * so a value computed by the server must not turn into a Date object (which
 * pg builds in the process's local time zone) on one dialect only.
 * int8[] and numeric[] keep pg's parsing: SQLite has no arrays, so no shared
 * query reads one.
 */
export const custdbTypeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (format === undefined || format === 'text') {
      if (oid === INT8 || oid === NUMERIC) return toNumber;
      if (oid === DATE || oid === TIMESTAMP || oid === TIMESTAMPTZ) return asText;
    }
    return pg.types.getTypeParser(oid, format);
  }) as pg.CustomTypesConfig['getTypeParser'],
};
