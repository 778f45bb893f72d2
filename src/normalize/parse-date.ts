/**
 * How a file writes numeric dates: day-month-year, month-day-year, or
 * year-first (ISO) only, which needs no decision.
 */
export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export interface DateOrderGuess {
  /** The order every unambiguous sample agrees on; null when none or conflicting. */
  order: DateOrder | null;
  /** One sentence a user can check: which sample decided, or why nothing did. */
  evidence: string;
}

export interface ParsedDate {
  /** `YYYY-MM-DD` as written (a time or offset does not move the day), or null. */
  date: string | null;
  warnings: string[];
}

export interface ParsedTimestamp {
  /** UTC instant `YYYY-MM-DDTHH:MM:SS.sssZ`, or null. */
  timestamp: string | null;
  /** False when the cell had only a date (the timestamp is then midnight UTC). */
  hasTime: boolean;
  warnings: string[];
}

interface DateParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC; 0 when the cell had no offset. */
  offsetMinutes: number;
  hasTime: boolean;
}

type Reading = { ok: true; parts: DateParts } | { ok: false; warning: string };

const MONTH = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const WEEKDAY = '(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\\.?,?\\s+)?';
// Groups: hour, minute, second, fraction, am/pm marker.
const TIME = '(?:(?:T|,?\\s+)(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?(?:\\s*([ap])\\.?m\\.?)?)?';
// Group: the zone as written (Z, UTC, +05:30, -0500, GMT+1).
const ZONE = '(?:\\s*(z|(?:utc|gmt)?[+-]\\d{1,2}(?::?\\d{2})?|utc|gmt))?';

const YEAR_FIRST = new RegExp(`^(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})${TIME}${ZONE}$`, 'i');
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const NUMERIC = new RegExp(`^(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4}|\\d{2})${TIME}${ZONE}$`, 'i');
const DAY_MONTH_NAME = new RegExp(
  `^${WEEKDAY}(\\d{1,2})(?:st|nd|rd|th)?(?:\\s+|[-/.]\\s*)(${MONTH})\\.?,?(?:\\s+|[-/.]\\s*)(\\d{4}|\\d{2})${TIME}${ZONE}$`,
  'i',
);
const MONTH_NAME_DAY = new RegExp(
  `^${WEEKDAY}(${MONTH})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${TIME}${ZONE}$`,
  'i',
);
const NUMERIC_PARTS = /^(\d{1,2})[-/.](\d{1,2})[-/.](?:\d{4}|\d{2})(?:$|[T\s,])/;
const YEAR_FIRST_START = /^\d{4}[-/.]?\d{1,2}/;
const ZONE_PARTS = /([+-])(\d{1,2})(?::?(\d{2}))?$/;

const MONTH_NUMBER: Readonly<Record<string, number>> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};
const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
];
const ORDER_WORDS: Readonly<Record<DateOrder, string>> = {
  dmy: 'day-month-year',
  mdy: 'month-day-year',
  ymd: 'year-month-day',
};

/**
 * What `detectDateOrder` counts in the values it is given: how many read only
 * day-first, only month-first, either way, or year-first, and the first value
 * of each of the first three kinds.
 */
export interface DateOrderEvidence {
  dmy: number;
  mdy: number;
  ambiguous: number;
  yearFirst: number;
  firstDmy: string | null;
  firstMdy: string | null;
  firstAmbiguous: string | null;
}

/** How one value reads: only day-first, only month-first, either way, year-first, or not as a numeric date at all. */
export type DateReading = 'dmy' | 'mdy' | 'ambiguous' | 'year-first' | null;

export function emptyDateOrderEvidence(): DateOrderEvidence {
  return { dmy: 0, mdy: 0, ambiguous: 0, yearFirst: 0, firstDmy: null, firstMdy: null, firstAmbiguous: null };
}

/** Which way one value can be read (see `detectDateOrder`). */
export function readDateOrderOf(raw: string): DateReading {
  const s = raw.trim();
  const m = NUMERIC_PARTS.exec(s);
  if (m === null) return YEAR_FIRST_START.test(s) ? 'year-first' : null;
  const a = Number(m[1]);
  const b = Number(m[2]);
  if (a === 0 || b === 0 || a > 31 || b > 31 || (a > 12 && b > 12)) return null;
  if (a > 12) return 'dmy';
  if (b > 12) return 'mdy';
  return a !== b ? 'ambiguous' : null;
}

/**
 * Decides once per file whether numeric dates are day- or month-first, from
 * the values only one reading allows (13/03/2024 is day-first). Conflicting
 * samples give null with both examples; never claims an order a sample contradicts.
 */
export function detectDateOrder(samples: Iterable<string>): DateOrderGuess {
  const evidence = emptyDateOrderEvidence();
  for (const raw of samples) {
    const reading = readDateOrderOf(raw);
    if (reading === null) continue;
    const s = raw.trim();
    if (reading === 'dmy') {
      evidence.dmy++;
      evidence.firstDmy ??= s;
    } else if (reading === 'mdy') {
      evidence.mdy++;
      evidence.firstMdy ??= s;
    } else if (reading === 'ambiguous') {
      evidence.ambiguous++;
      evidence.firstAmbiguous ??= s;
    } else {
      evidence.yearFirst++;
    }
  }
  return judgeDateOrder(evidence);
}

/** The order `evidence` supports, and why, in one sentence (as `detectDateOrder` says it). */
export function judgeDateOrder(evidence: DateOrderEvidence): DateOrderGuess {
  const { firstDmy: dmy, firstMdy: mdy, firstAmbiguous: ambiguous } = evidence;
  if (dmy !== null && mdy !== null) {
    return {
      order: null,
      evidence: `conflicting dates: "${dmy}" can only be day-month-year but "${mdy}" can only be month-day-year`,
    };
  }
  if (dmy !== null) return { order: 'dmy', evidence: `"${dmy}" can only be day-month-year (${withSeparators(evidence.dmy)} such, none month-first)` };
  if (mdy !== null) return { order: 'mdy', evidence: `"${mdy}" can only be month-day-year (${withSeparators(evidence.mdy)} such, none day-first)` };
  if (ambiguous !== null) {
    return {
      order: null,
      evidence: `all ${withSeparators(evidence.ambiguous)} numeric dates read, such as "${ambiguous}", read either way; use --date-format dmy|mdy`,
    };
  }
  // Counts are of the values read to decide (the caller may stop early), so the words say "read", not "in the file".
  if (evidence.yearFirst > 0) return { order: 'ymd', evidence: `all ${withSeparators(evidence.yearFirst)} dates read are year-first` };
  return { order: null, evidence: 'no dates to judge by' };
}

/** True for numeric dates whose day/month order needs the file's decision (3/7/2024, 07.03.24), not ISO or named months. */
export function isDayMonthDate(raw: string): boolean {
  return NUMERIC_PARTS.test(raw.trim());
}

/**
 * Parses a date cell to `YYYY-MM-DD`: ISO, YYYYMMDD, 3/7/2024 style (read
 * with `order`), `7 Mar 2024`, `March 7, 2024`. Two-digit years 00–69 are
 * 20xx, 70–99 are 19xx. Never throws; null with a warning when unreadable,
 * ambiguous without an order, or not a real calendar date.
 */
export function parseDate(raw: string, order: DateOrder | null = null): ParsedDate {
  const reading = readDate(raw, order);
  if (!reading.ok) return { date: null, warnings: reading.warning === '' ? [] : [reading.warning] };
  const { year, month, day } = reading.parts;
  return { date: formatDay(year, month, day), warnings: [] };
}

/**
 * Parses a date-time cell to a UTC ISO instant. Offsets (`Z`, `+05:30`,
 * `-0500`) are honoured; a time without an offset is taken as UTC, and a date
 * alone as midnight UTC (`hasTime` false). Never throws; null with a warning.
 */
export function parseTimestamp(raw: string, order: DateOrder | null = null): ParsedTimestamp {
  const reading = readDate(raw, order);
  if (!reading.ok) return { timestamp: null, hasTime: false, warnings: reading.warning === '' ? [] : [reading.warning] };
  const p = reading.parts;
  const instant = new Date(0);
  instant.setUTCFullYear(p.year, p.month - 1, p.day);
  instant.setUTCHours(p.hour, p.minute, p.second, p.millisecond);
  const utc = new Date(instant.getTime() - p.offsetMinutes * 60_000);
  return { timestamp: utc.toISOString(), hasTime: p.hasTime, warnings: [] };
}

function readDate(raw: string, order: DateOrder | null): Reading {
  const s = raw.trim();
  if (s === '') return { ok: false, warning: '' };
  let m = YEAR_FIRST.exec(s);
  if (m !== null) return build(s, Number(m[1]), Number(m[3]), Number(m[4]), m, 5);
  m = COMPACT.exec(s);
  if (m !== null) return build(s, Number(m[1]), Number(m[2]), Number(m[3]), m, -1);
  m = NUMERIC.exec(s);
  if (m !== null) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    const dayFirst = decideDayFirst(s, a, b, order);
    if (typeof dayFirst === 'string') return { ok: false, warning: dayFirst };
    const year = expandYear(m[4] ?? '');
    return dayFirst ? build(s, year, b, a, m, 5) : build(s, year, a, b, m, 5);
  }
  m = DAY_MONTH_NAME.exec(s);
  if (m !== null) return build(s, expandYear(m[3] ?? ''), monthNumber(m[2] ?? ''), Number(m[1]), m, 4);
  m = MONTH_NAME_DAY.exec(s);
  if (m !== null) return build(s, Number(m[3]), monthNumber(m[1] ?? ''), Number(m[2]), m, 4);
  return { ok: false, warning: `not a date: ${JSON.stringify(s)}` };
}

/** True for day-first, false for month-first, or the warning when neither can be chosen. */
function decideDayFirst(s: string, a: number, b: number, order: DateOrder | null): boolean | string {
  if (a > 12 && b > 12) return `not a date: ${JSON.stringify(s)}`;
  if (a > 12) {
    return order === 'mdy' ? `date ${s} cannot be month-day-year like the rest of the file` : true;
  }
  if (b > 12) {
    return order === 'dmy' ? `date ${s} cannot be day-month-year like the rest of the file` : false;
  }
  if (a === b || order === 'dmy') return true;
  if (order === 'mdy') return false;
  return (
    `ambiguous date ${s}: ${a} ${MONTH_NAMES[b - 1] ?? '?'} or ${MONTH_NAMES[a - 1] ?? '?'} ${b}; ` +
    'use --date-format dmy|mdy'
  );
}

/** Two-digit years: 00–69 → 2000–2069, 70–99 → 1970–1999. */
function expandYear(text: string): number {
  const n = Number(text);
  if (text.length !== 2) return n;
  return n < 70 ? 2000 + n : 1900 + n;
}

function monthNumber(name: string): number {
  return MONTH_NUMBER[name.slice(0, 3).toLowerCase()] ?? 0;
}

/** Checks the calendar and the clock; `timeAt` is the index of the hour group, -1 for none. */
function build(s: string, year: number, month: number, day: number, m: RegExpExecArray, timeAt: number): Reading {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, warning: `not a real calendar date: ${s}` };
  }
  const parts: DateParts = {
    year, month, day, hour: 0, minute: 0, second: 0, millisecond: 0, offsetMinutes: 0, hasTime: false,
  };
  if (timeAt < 0 || m[timeAt] === undefined) {
    return readZone(s, parts, timeAt < 0 ? undefined : m[timeAt + 5]);
  }
  let hour = Number(m[timeAt]);
  const minute = Number(m[timeAt + 1]);
  const second = m[timeAt + 2] === undefined ? 0 : Number(m[timeAt + 2]);
  const fraction = m[timeAt + 3];
  const meridiem = m[timeAt + 4]?.toLowerCase();
  if (meridiem !== undefined) {
    if (hour < 1 || hour > 12) return { ok: false, warning: `not a real time of day: ${s}` };
    if (hour === 12) hour = 0;
    if (meridiem === 'p') hour += 12;
  }
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, warning: `not a real time of day: ${s}` };
  parts.hour = hour;
  parts.minute = minute;
  parts.second = second;
  parts.millisecond = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  parts.hasTime = true;
  return readZone(s, parts, m[timeAt + 5]);
}

function readZone(s: string, parts: DateParts, zone: string | undefined): Reading {
  if (zone === undefined) return { ok: true, parts };
  const z = ZONE_PARTS.exec(zone);
  if (z === null) return { ok: true, parts }; // Z, UTC, GMT
  const hours = Number(z[2]);
  const minutes = z[3] === undefined ? 0 : Number(z[3]);
  if (hours > 18 || minutes > 59) return { ok: false, warning: `not a real UTC offset: ${s}` };
  parts.offsetMinutes = (z[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
  return { ok: true, parts };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function formatDay(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** The order in words for messages: `dmy` → `day-month-year`. */
export function describeDateOrder(order: DateOrder): string {
  return ORDER_WORDS[order];
}

function withSeparators(n: number): string {
  return n.toLocaleString('en-US');
}
