import type { RecordTable } from './build-record-table.js';
import { buildRecordTable } from './build-record-table.js';
import type { ComparisonVector, ComparisonField } from './comparison-levels.js';
import { COMPARISON_FIELDS, LEVEL_BITS, describeVector } from './comparison-levels.js';
import type { DedupeRecord } from './dedupe-record.js';
import { isOneEditApart } from './is-one-edit-apart.js';
import { jaroWinkler } from './jaro-winkler.js';

/** Jaro-Winkler at or above which two names count as "nearly the same spelling". */
export const NAME_CLOSE = 0.92;
/** Jaro-Winkler at or above which two names count as "similar" (as does the same NYSIIS code, for long enough first names). */
export const NAME_SIMILAR = 0.85;
/** A shared NYSIIS code makes first names "similar" only from this length and spelling likeness on. */
const PHONETIC_MIN_LENGTH = 5;
const PHONETIC_MIN_JW = 0.7;
const TEXT_CLOSE = 0.88;

const F_FIRST = COMPARISON_FIELDS.indexOf('firstName') * LEVEL_BITS;
const F_LAST = COMPARISON_FIELDS.indexOf('lastName') * LEVEL_BITS;
const F_DOB = COMPARISON_FIELDS.indexOf('birthDate') * LEVEL_BITS;
const F_EMAIL = COMPARISON_FIELDS.indexOf('email') * LEVEL_BITS;
const F_PHONE = COMPARISON_FIELDS.indexOf('phone') * LEVEL_BITS;
const F_ADDRESS = COMPARISON_FIELDS.indexOf('address') * LEVEL_BITS;
const F_LINE2 = COMPARISON_FIELDS.indexOf('addressLine2') * LEVEL_BITS;
const F_POSTAL = COMPARISON_FIELDS.indexOf('postalCode') * LEVEL_BITS;
const F_CITY = COMPARISON_FIELDS.indexOf('city') * LEVEL_BITS;
const F_REGION = COMPARISON_FIELDS.indexOf('region') * LEVEL_BITS;

function isInitialOf(initial: string, name: string): boolean {
  return initial.length === 1 && name.length > 1 && name.charCodeAt(0) === initial.charCodeAt(0);
}

function sharesNickname(t: RecordTable, x: number, y: number): boolean {
  const gx = t.nameNicknames[x];
  const gy = t.nameNicknames[y];
  if (gx === undefined || gy === undefined || gx.length === 0 || gy.length === 0) return false;
  for (const g of gx) if (gy.includes(g)) return true;
  return false;
}

function compareFirstName(t: RecordTable, i: number, j: number): number {
  const x = t.firstName[i] ?? -1;
  const y = t.firstName[j] ?? -1;
  if (x < 0 || y < 0) {
    // A first name missing on one side can still sit in the other's surname slot.
    return x >= 0 && x === t.lastName[j] ? 2 : y >= 0 && y === t.lastName[i] ? 2 : 0;
  }
  if (x === y) return 1;
  if (x === t.lastName[j] || y === t.lastName[i]) return 2;
  if (sharesNickname(t, x, y)) return 3;
  const a = t.names.values[x] ?? '';
  const b = t.names.values[y] ?? '';
  if (a.length === 1 || b.length === 1) {
    return isInitialOf(a, b) || isInitialOf(b, a) ? 6 : 7;
  }
  const jw = jaroWinkler(a, b, NAME_SIMILAR);
  if (jw >= NAME_CLOSE) return 4;
  if (jw >= NAME_SIMILAR) return 5;
  // Short given names collide in sound codes (Tom and Tina are both TAN): a household, not a typo.
  // A shared sound code counts only for longer names that are also spelt alike.
  if (t.namePhonetic[x] === t.namePhonetic[y] && Math.min(a.length, b.length) >= PHONETIC_MIN_LENGTH && jw >= PHONETIC_MIN_JW) return 5;
  return 7;
}

function hasSharedPart(a: string, b: string): boolean {
  if (a.indexOf(' ') < 0 && a.indexOf('-') < 0 && b.indexOf(' ') < 0 && b.indexOf('-') < 0) return false;
  const pa = a.split(/[ -]/);
  const pb = b.split(/[ -]/);
  return pa.some((p) => p.length > 1 && pb.includes(p));
}

function compareLastName(t: RecordTable, i: number, j: number): number {
  const x = t.lastName[i] ?? -1;
  const y = t.lastName[j] ?? -1;
  if (x < 0 || y < 0) {
    return x >= 0 && x === t.firstName[j] ? 2 : y >= 0 && y === t.firstName[i] ? 2 : 0;
  }
  if (x === y) return 1;
  if (x === t.firstName[j] || y === t.firstName[i]) return 2;
  const a = t.names.values[x] ?? '';
  const b = t.names.values[y] ?? '';
  const jw = jaroWinkler(a, b, NAME_SIMILAR);
  if (jw >= NAME_CLOSE) return 3;
  if (jw >= NAME_SIMILAR || t.namePhonetic[x] === t.namePhonetic[y]) return 4;
  if (hasSharedPart(a, b)) return 5;
  return 6;
}

/** Whether two 8-digit YYYYMMDD numbers differ in one digit or by two swapped neighbouring digits. */
function isOneDigitOff(a: number, b: number): boolean {
  let diffs = 0;
  let swapped = false;
  let prevA = -1;
  let prevB = -1;
  let prevDiffered = false;
  for (let k = 0; k < 8; k++) {
    const x = a % 10;
    const y = b % 10;
    const differs = x !== y;
    if (differs) {
      diffs++;
      if (prevDiffered && x === prevB && y === prevA) swapped = true;
    }
    prevDiffered = differs;
    prevA = x;
    prevB = y;
    a = (a - x) / 10;
    b = (b - y) / 10;
  }
  return diffs === 1 || (diffs === 2 && swapped);
}

function compareBirthDate(t: RecordTable, i: number, j: number): number {
  const x = t.birthDate[i] ?? -1;
  const y = t.birthDate[j] ?? -1;
  if (x < 0 || y < 0) return 0;
  if (x === y) return 1;
  const yx = t.dateYear[x] ?? 0;
  const yy = t.dateYear[y] ?? 0;
  const mx = t.dateMonth[x] ?? 0;
  const my = t.dateMonth[y] ?? 0;
  const dx = t.dateDay[x] ?? 0;
  const dy = t.dateDay[y] ?? 0;
  if (yx === yy && mx > 0 && my > 0 && dx > 0 && dy > 0 && mx === dy && dx === my) return 2;
  if (mx > 0 && my > 0 && dx > 0 && dy > 0 && isOneDigitOff(yx * 10000 + mx * 100 + dx, yy * 10000 + my * 100 + dy)) {
    return 3;
  }
  if (yx === yy && yx !== 0) return 4;
  return 5;
}

function compareEmail(t: RecordTable, i: number, j: number): number {
  const x = t.email[i] ?? -1;
  const y = t.email[j] ?? -1;
  if (x < 0 || y < 0) return 0;
  if (x === y) return 1;
  const la = t.emailLocal[x] ?? '';
  const lb = t.emailLocal[y] ?? '';
  const da = t.emailDomain[x] ?? '';
  const db = t.emailDomain[y] ?? '';
  if (la === lb) {
    return t.emailCanonicalDomain[x] === t.emailCanonicalDomain[y] || isOneEditApart(da, db) ? 2 : 3;
  }
  // "Nearly the same": a typo in the local part, with the same or a nearly
  // identical domain. The Jaro-Winkler test only runs on same-domain pairs,
  // which keeps it off the common case of namesakes at different providers.
  if (da === db) return jaroWinkler(la, lb, TEXT_CLOSE) >= TEXT_CLOSE ? 4 : 5;
  if (isOneEditApart(la, lb) && (isOneEditApart(da, db) || jaroWinkler(da, db, TEXT_CLOSE) >= TEXT_CLOSE)) return 4;
  return 5;
}

function comparePhone(t: RecordTable, i: number, j: number): number {
  const x = t.phone[i] ?? -1;
  const y = t.phone[j] ?? -1;
  if (x < 0 || y < 0) return 0;
  if (x === y) return 1;
  const ex = t.phoneEnding[x] ?? '';
  return ex.length === 7 && ex === t.phoneEnding[y] ? 2 : 3;
}

function compareAddress(t: RecordTable, i: number, j: number): number {
  const x = t.address[i] ?? -1;
  const y = t.address[j] ?? -1;
  if (x < 0 || y < 0) return 0;
  if (x === y) return 1;
  const sa = t.addressStreet[x] ?? '';
  const sb = t.addressStreet[y] ?? '';
  const na = t.addressNumber[x] ?? '';
  const nb = t.addressNumber[y] ?? '';
  const street = sa === '' || sb === '' ? 0 : sa === sb ? 1 : jaroWinkler(sa, sb, 0.9);
  if (street >= 0.9 && na !== '' && (na === nb || (street === 1 && isOneEditApart(na, nb)))) return 2;
  if (street >= 0.92) return 3;
  return 4;
}

function compareLine2(t: RecordTable, i: number, j: number): number {
  const x = t.addressLine2[i] ?? -1;
  const y = t.addressLine2[j] ?? -1;
  if (x < 0 || y < 0) return 0;
  if (x === y) return 1;
  return jaroWinkler(t.line2s.values[x] ?? '', t.line2s.values[y] ?? '', 0.9) >= 0.9 ? 2 : 3;
}

function comparePostalCode(t: RecordTable, i: number, j: number): number {
  const x = t.postalCode[i] ?? -1;
  const y = t.postalCode[j] ?? -1;
  if (x < 0 || y < 0) return 0;
  if (x === y) return 1;
  return isOneEditApart(t.postalCodes.values[x] ?? '', t.postalCodes.values[y] ?? '') ? 2 : 3;
}

function compareCity(t: RecordTable, i: number, j: number): number {
  const x = t.city[i] ?? -1;
  const y = t.city[j] ?? -1;
  if (x < 0 || y < 0) return 0;
  if (x === y) return 1;
  return jaroWinkler(t.cities.values[x] ?? '', t.cities.values[y] ?? '', TEXT_CLOSE) >= TEXT_CLOSE ? 2 : 3;
}

function compareRegion(t: RecordTable, i: number, j: number): number {
  const x = t.region[i] ?? -1;
  const y = t.region[j] ?? -1;
  if (x < 0 || y < 0) return 0;
  return x === y ? 1 : 2;
}

/**
 * The comparison vector of rows i and j of a record table: one graded level
 * per field (see FIELD_LEVELS), packed into one number. Symmetric in i and j;
 * never throws; a value missing on either side gives level 0.
 */
export function compareFields(table: RecordTable, i: number, j: number): ComparisonVector {
  return (
    ((compareFirstName(table, i, j) << F_FIRST) |
      (compareLastName(table, i, j) << F_LAST) |
      (compareBirthDate(table, i, j) << F_DOB) |
      (compareEmail(table, i, j) << F_EMAIL) |
      (comparePhone(table, i, j) << F_PHONE) |
      (compareAddress(table, i, j) << F_ADDRESS) |
      (compareLine2(table, i, j) << F_LINE2) |
      (comparePostalCode(table, i, j) << F_POSTAL) |
      (compareCity(table, i, j) << F_CITY) |
      (compareRegion(table, i, j) << F_REGION)) >>>
    0
  );
}

/**
 * Compares two loose records and names each field's level, e.g.
 * `{ firstName: 'nickname', birthDate: 'dayMonthSwapped', email: 'missing', … }`.
 * Convenient for tests and one-off explanations; bulk work uses `compareFields`.
 */
export function compareRecords(a: DedupeRecord, b: DedupeRecord): Record<ComparisonField, string> {
  return describeVector(compareFields(buildRecordTable([a, b]), 0, 1));
}
