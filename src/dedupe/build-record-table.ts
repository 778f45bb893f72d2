import type { DedupeRecord } from './dedupe-record.js';
import { nysiis } from './nysiis.js';
import { nicknameGroupsOf } from './nickname-groups.js';

/**
 * A pool of distinct strings: each distinct value is stored once and records
 * refer to it by number, so equality is an integer comparison.
 */
export interface StringPool {
  readonly values: string[];
  readonly index: Map<string, number>;
}

/**
 * Records in column form, built once by `buildRecordTable`: for every field an
 * Int32Array of value numbers (-1 = missing) into a pool of distinct values,
 * plus what the comparisons need per distinct value (phonetic codes, date
 * parts, email parts…). Compact enough for a million customers.
 */
export interface RecordTable {
  readonly size: number;
  readonly ids: Float64Array;
  /** First and last names share one pool so "swapped" is an integer test. */
  readonly names: StringPool;
  readonly firstName: Int32Array;
  readonly lastName: Int32Array;
  /** Per name value: number of its NYSIIS code in `phonetics`. */
  readonly namePhonetic: Int32Array;
  readonly phonetics: StringPool;
  /** Per name value: nickname group ids (shared empty array when none). */
  readonly nameNicknames: (readonly number[])[];
  /** Per name value: its rank in alphabetical order (sorting inside large blocks). */
  readonly nameRank: Int32Array;
  /** How many records carry each name value as first / last name. */
  readonly firstNameCount: Int32Array;
  readonly lastNameCount: Int32Array;
  readonly birthDates: StringPool;
  readonly birthDate: Int32Array;
  /** Per date value: year, month, day (month/day 0 when only the year is known). */
  readonly dateYear: Int32Array;
  readonly dateMonth: Int32Array;
  readonly dateDay: Int32Array;
  readonly emails: StringPool;
  readonly email: Int32Array;
  /** Per email value: local part and domain with known typos corrected. */
  readonly emailLocal: string[];
  readonly emailDomain: string[];
  readonly emailCanonicalDomain: string[];
  /** Per email value: number of its local part (same number = same local part), -1 when too short to mean much. */
  readonly emailLocalId: Int32Array;
  readonly phones: StringPool;
  readonly phone: Int32Array;
  /** Per phone value: its last 7 digits. */
  readonly phoneEnding: string[];
  readonly addresses: StringPool;
  readonly address: Int32Array;
  /** Per address value: house number ('' when none) and normalised street tokens. */
  readonly addressNumber: string[];
  readonly addressStreet: string[];
  readonly line2s: StringPool;
  readonly addressLine2: Int32Array;
  readonly postalCodes: StringPool;
  readonly postalCode: Int32Array;
  readonly postalCodeCount: Int32Array;
  readonly cities: StringPool;
  readonly city: Int32Array;
  readonly cityCount: Int32Array;
  readonly regions: StringPool;
  readonly region: Int32Array;
  /** Number of records with a value, per term-frequency column. */
  readonly nonMissing: { firstName: number; lastName: number; postalCode: number; city: number };
}

function newPool(): StringPool {
  return { values: [], index: new Map() };
}

/**
 * A copy of `s` stored as one flat run of characters. Strings built by
 * concatenation or slicing are kept by the JS engine as trees or views, and
 * reading their characters one by one (as Jaro-Winkler does millions of times)
 * is then several times slower. Done once per distinct value.
 */
export function flattenString(s: string): string {
  // Shorter strings are always stored flat by V8, so copying them is wasted work.
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

function intern(pool: StringPool, value: string): number {
  let id = pool.index.get(value);
  if (id === undefined) {
    id = pool.values.length;
    pool.values.push(flattenString(value));
    pool.index.set(value, id);
  }
  return id;
}

/** Lower-case letters, spaces, hyphens and apostrophes; accents removed. */
export function normaliseName(raw: string | undefined): string {
  if (raw === undefined) return '';
  return raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z' -]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Street-type words written in full, so "12 high st" equals "12 high street". */
const STREET_WORDS: Record<string, string> = {
  st: 'street', str: 'street', rd: 'road', ave: 'avenue', av: 'avenue', avn: 'avenue',
  dr: 'drive', drv: 'drive', cres: 'crescent', cr: 'crescent', crs: 'crescent',
  ct: 'court', crt: 'court', pl: 'place', ln: 'lane', hwy: 'highway', pde: 'parade',
  cct: 'circuit', cir: 'circle', tce: 'terrace', ter: 'terrace', blvd: 'boulevard',
  bvd: 'boulevard', sq: 'square', cl: 'close', gr: 'grove', gve: 'grove',
  pkwy: 'parkway', pky: 'parkway', wy: 'way', sth: 'south', nth: 'north',
  mt: 'mount', esp: 'esplanade', rdg: 'ridge', apt: 'apartment', ste: 'suite',
};

/** Normalised address line: lower-case tokens, street words expanded; '' when blank. */
export function normaliseAddress(raw: string | undefined): string {
  if (raw === undefined) return '';
  const tokens = raw
    .toLowerCase()
    .replace(/[^a-z0-9/ ]+/g, ' ')
    .split(/\s+/)
    .filter((t) => t.length > 0)
    .map((t) => STREET_WORDS[t] ?? t);
  return tokens.join(' ');
}

/** Misspellings of big mail domains seen in customer lists, mapped to the real domain. */
const DOMAIN_TYPOS: Record<string, string> = {
  'gmial.com': 'gmail.com', 'gmai.com': 'gmail.com', 'gmal.com': 'gmail.com',
  'gamil.com': 'gmail.com', 'gnail.com': 'gmail.com', 'gmaill.com': 'gmail.com',
  'gmail.co': 'gmail.com', 'gmail.cm': 'gmail.com', 'gmail.con': 'gmail.com',
  'gmailcom': 'gmail.com', 'gmsil.com': 'gmail.com', 'gmil.com': 'gmail.com',
  'googlemail.com': 'gmail.com',
  'hotmial.com': 'hotmail.com', 'hotmai.com': 'hotmail.com', 'hotmal.com': 'hotmail.com',
  'hotmil.com': 'hotmail.com', 'hotmail.co': 'hotmail.com', 'hotmail.con': 'hotmail.com',
  'hotamil.com': 'hotmail.com', 'homail.com': 'hotmail.com', 'htmail.com': 'hotmail.com',
  'yaho.com': 'yahoo.com', 'yahooo.com': 'yahoo.com', 'yahoo.con': 'yahoo.com',
  'yhoo.com': 'yahoo.com', 'yahho.com': 'yahoo.com', 'yaoo.com': 'yahoo.com',
  'outlok.com': 'outlook.com', 'outloo.com': 'outlook.com', 'outlook.co': 'outlook.com',
  'outllok.com': 'outlook.com', 'iclod.com': 'icloud.com', 'icoud.com': 'icloud.com',
  'icloud.co': 'icloud.com', 'aol.co': 'aol.com', 'aol.con': 'aol.com',
};

/** A postal code with spaces removed and letters upper-cased; '' when blank. */
export function normaliseCode(raw: string | undefined): string {
  return raw === undefined ? '' : raw.replace(/\s+/g, '').toUpperCase();
}

/** Lower-cased text with runs of whitespace as one space, trimmed; '' when blank. */
export function normaliseText(raw: string | undefined): string {
  return raw === undefined ? '' : raw.toLowerCase().replace(/\s+/g, ' ').trim();
}

const NO_NICKNAMES: readonly number[] = [];

/**
 * Builds the column table the engine works on. Values are trimmed and
 * normalised (names lower-cased without accents, street words expanded);
 * blanks become missing. Never throws; record order is kept (row i = records[i]).
 */
export function buildRecordTable(records: readonly DedupeRecord[]): RecordTable {
  const n = records.length;
  const names = newPool();
  const birthDates = newPool();
  const emails = newPool();
  const phones = newPool();
  const addresses = newPool();
  const line2s = newPool();
  const postalCodes = newPool();
  const cities = newPool();
  const regions = newPool();
  const ids = new Float64Array(n);
  const firstName = new Int32Array(n);
  const lastName = new Int32Array(n);
  const birthDate = new Int32Array(n);
  const email = new Int32Array(n);
  const phone = new Int32Array(n);
  const address = new Int32Array(n);
  const addressLine2 = new Int32Array(n);
  const postalCode = new Int32Array(n);
  const city = new Int32Array(n);
  const region = new Int32Array(n);
  const put = (pool: StringPool, value: string): number => (value === '' ? -1 : intern(pool, value));
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (r === undefined) continue;
    ids[i] = r.id;
    firstName[i] = put(names, normaliseName(r.firstName));
    lastName[i] = put(names, normaliseName(r.lastName));
    birthDate[i] = put(birthDates, normaliseText(r.birthDate));
    email[i] = put(emails, normaliseText(r.email));
    phone[i] = put(phones, (r.phone ?? '').replace(/[^0-9+]/g, ''));
    address[i] = put(addresses, normaliseAddress(r.addressLine1));
    addressLine2[i] = put(line2s, normaliseAddress(r.addressLine2));
    postalCode[i] = put(postalCodes, normaliseCode(r.postalCode));
    city[i] = put(cities, normaliseText(r.city));
    region[i] = put(regions, normaliseText(r.region));
  }

  const phonetics = newPool();
  const nameCount = names.values.length;
  const namePhonetic = new Int32Array(nameCount);
  const nameNicknames: (readonly number[])[] = new Array<readonly number[]>(nameCount);
  for (let v = 0; v < nameCount; v++) {
    const name = names.values[v] ?? '';
    const code = nysiis(name);
    namePhonetic[v] = code === '' ? -1 : intern(phonetics, code);
    const groups = nicknameGroupsOf(name);
    nameNicknames[v] = groups.length === 0 ? NO_NICKNAMES : groups;
  }
  const nameRank = new Int32Array(nameCount);
  const sortedNames = Array.from({ length: nameCount }, (_, v) => v).sort((x, y) => {
    const a = names.values[x] ?? '';
    const b = names.values[y] ?? '';
    return a < b ? -1 : a > b ? 1 : 0;
  });
  sortedNames.forEach((v, rank) => {
    nameRank[v] = rank;
  });

  const dateCount = birthDates.values.length;
  const dateYear = new Int32Array(dateCount);
  const dateMonth = new Int32Array(dateCount);
  const dateDay = new Int32Array(dateCount);
  for (let v = 0; v < dateCount; v++) {
    const match = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?/.exec(birthDates.values[v] ?? '');
    if (match === null) continue;
    dateYear[v] = Number(match[1]);
    dateMonth[v] = Number(match[2] ?? 0);
    dateDay[v] = Number(match[3] ?? 0);
  }

  const emailLocal: string[] = [];
  const emailDomain: string[] = [];
  const emailCanonicalDomain: string[] = [];
  for (const value of emails.values) {
    const at = value.lastIndexOf('@');
    const local = at < 0 ? value : value.slice(0, at);
    const domain = at < 0 ? '' : value.slice(at + 1);
    emailLocal.push(flattenString(local));
    emailDomain.push(flattenString(domain));
    emailCanonicalDomain.push(DOMAIN_TYPOS[domain] ?? flattenString(domain));
  }

  const locals = newPool();
  const emailLocalId = new Int32Array(emailLocal.length);
  emailLocal.forEach((local, v) => {
    emailLocalId[v] = local.length >= 4 ? intern(locals, local) : -1;
  });

  const phoneEnding = phones.values.map((p) => flattenString(p.replace(/\D/g, '').slice(-7)));

  const addressNumber: string[] = [];
  const addressStreet: string[] = [];
  for (const value of addresses.values) {
    const tokens = value.split(' ');
    const numberAt = tokens.findIndex((t) => /\d/.test(t));
    addressNumber.push(numberAt < 0 ? '' : flattenString(tokens[numberAt] ?? ''));
    addressStreet.push(flattenString(tokens.filter((_, k) => k !== numberAt).join(' ')));
  }

  const countOf = (column: Int32Array, poolSize: number): Int32Array => {
    const counts = new Int32Array(poolSize);
    for (let i = 0; i < n; i++) {
      const v = column[i] ?? -1;
      if (v >= 0) counts[v] = (counts[v] ?? 0) + 1;
    }
    return counts;
  };
  const firstNameCount = countOf(firstName, nameCount);
  const lastNameCount = countOf(lastName, nameCount);
  const postalCodeCount = countOf(postalCode, postalCodes.values.length);
  const cityCount = countOf(city, cities.values.length);
  const sum = (counts: Int32Array): number => counts.reduce((s, c) => s + c, 0);

  return {
    size: n,
    ids,
    names,
    firstName,
    lastName,
    namePhonetic,
    phonetics,
    nameNicknames,
    nameRank,
    firstNameCount,
    lastNameCount,
    birthDates,
    birthDate,
    dateYear,
    dateMonth,
    dateDay,
    emails,
    email,
    emailLocal,
    emailDomain,
    emailCanonicalDomain,
    emailLocalId,
    phones,
    phone,
    phoneEnding,
    addresses,
    address,
    addressNumber,
    addressStreet,
    line2s,
    addressLine2,
    postalCodes,
    postalCode,
    postalCodeCount,
    cities,
    city,
    cityCount,
    regions,
    region,
    nonMissing: {
      firstName: sum(firstNameCount),
      lastName: sum(lastNameCount),
      postalCode: sum(postalCodeCount),
      city: sum(cityCount),
    },
  };
}
