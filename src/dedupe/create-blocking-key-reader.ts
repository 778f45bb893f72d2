import { normaliseAddress, normaliseCode, normaliseName, normaliseText } from './build-record-table.js';
import type { DedupeRecord } from './dedupe-record.js';
import { nysiis } from './nysiis.js';

/** A record's blocking keys, with the values term frequencies are counted on, normalised ('' when missing). */
export interface ReadRecord {
  keys: string[];
  firstName: string;
  lastName: string;
  postalCode: string;
  city: string;
}

/** Reads the blocking keys of one record at a time (see createBlockingKeyReader). */
export interface BlockingKeyReader {
  /** Every blocking key value the record has, one string per key; with a gate, only those in it. */
  keysOf(record: DedupeRecord, gate?: KeyGate): string[];
  /** keysOf and the record's normalised names, postal code and city, each worked out once. */
  read(record: DedupeRecord, gate?: KeyGate): ReadRecord;
  /** A name as the engine compares it (normaliseName), remembered. */
  nameOf(raw: string | undefined): string;
}

interface NameParts {
  name: string;
  /** NYSIIS code; '' when the name has none. */
  code: string;
  /** a–z, or '' when the name is missing or starts otherwise. */
  initial: string;
}

const NO_NAME: NameParts = { name: '', code: '', initial: '' };
/** Distinct raw names remembered before the memo starts afresh (keeps memory bounded on any database). */
const NAME_MEMO_LIMIT = 200_000;
const SEP = '\u0000';

const EMAIL = 'email';
const PHONE = 'phone';
const SURNAME_SOUND = 'surname sound + first initial';
const FIRST_SOUND_POSTAL = 'first name sound + postal code';
const BOTH_SOUNDS = 'both name sounds in either order';
const POSTAL_BIRTH_DATE = 'postal code + birth date';
const BIRTH_DATE_FIRST = 'birth date + first initial';
const BIRTH_DATE_SURNAME = 'birth date + surname initial';
const BIRTH_DATE_CITY = 'birth date + city';
const EMAIL_LOCAL = 'email local part';
const ADDRESS_POSTAL = 'address + postal code';

/** The names of the keys this reader reads: the same, in the same order, as DEFAULT_BLOCKING_KEYS. */
export const READ_KEY_NAMES: readonly string[] = [
  EMAIL,
  PHONE,
  SURNAME_SOUND,
  FIRST_SOUND_POSTAL,
  BOTH_SOUNDS,
  POSTAL_BIRTH_DATE,
  BIRTH_DATE_FIRST,
  BIRTH_DATE_SURNAME,
  BIRTH_DATE_CITY,
  EMAIL_LOCAL,
  ADDRESS_POSTAL,
];

function key(name: string, a: string, b?: string): string {
  // Single-part keys end with an empty second part, so that every key splits into name, a and b.
  return name + SEP + a + SEP + (b ?? '');
}

/**
 * A set of wanted key values (as keysOf returns them) held by their parts, so
 * that a reader can test a record's key values without building their strings,
 * and skip normalising a street address when its postal code is not wanted.
 */
export class KeyGate {
  private readonly parts = new Map<string, Map<string, Set<string>>>();

  constructor(keys: Iterable<string> = []) {
    for (const k of keys) this.add(k);
  }

  add(key: string): void {
    const [name = '', a = '', b = ''] = key.split(SEP);
    let firsts = this.parts.get(name);
    if (firsts === undefined) this.parts.set(name, (firsts = new Map()));
    let seconds = firsts.get(a);
    if (seconds === undefined) firsts.set(a, (seconds = new Set()));
    seconds.add(b);
  }

  delete(key: string): void {
    const [name = '', a = '', b = ''] = key.split(SEP);
    const firsts = this.parts.get(name);
    const seconds = firsts?.get(a);
    if (seconds === undefined) return;
    seconds.delete(b);
    if (seconds.size === 0) firsts?.delete(a);
  }

  /** Whether the key value name/a/b is wanted; without b, whether any value of key `name` with first part a is. */
  has(name: string, a: string, b?: string): boolean {
    const seconds = this.parts.get(name)?.get(a);
    return seconds !== undefined && (b === undefined || seconds.has(b));
  }
}

/**
 * A reader of the values a record has for each of DEFAULT_BLOCKING_KEYS, as
 * strings ("email\0ann@x.com\0", "surname sound + first initial\0LA\0a"): two
 * records share a blocking key exactly when they share one of these strings,
 * so a database can be searched for the records that block with a few new ones
 * one row at a time, without building a table of all of them. Normalises as
 * buildRecordTable does, and remembers name codes, as names repeat. Pure.
 * @example createBlockingKeyReader().keysOf({ id: 1, email: 'ann@x.com' }) // ['email\0ann@x.com\0']
 */
export function createBlockingKeyReader(): BlockingKeyReader {
  const names = new Map<string, NameParts>();
  const nameParts = (raw: string | undefined): NameParts => {
    if (raw === undefined || raw === '') return NO_NAME;
    let parts = names.get(raw);
    if (parts === undefined) {
      const name = normaliseName(raw);
      const c = name.charCodeAt(0);
      parts = name === '' ? NO_NAME : { name, code: nysiis(name), initial: c >= 97 && c <= 122 ? (name[0] ?? '') : '' };
      if (names.size >= NAME_MEMO_LIMIT) names.clear();
      names.set(raw, parts);
    }
    return parts;
  };

  const read = (record: DedupeRecord, gate?: KeyGate): ReadRecord => {
    const keys: string[] = [];
    const add = (name: string, a: string, b?: string): void => {
      if (gate === undefined || gate.has(name, a, b ?? '')) keys.push(key(name, a, b));
    };
    const email = normaliseText(record.email);
    const phone = (record.phone ?? '').replace(/[^0-9+]/g, '');
    const first = nameParts(record.firstName);
    const last = nameParts(record.lastName);
    const postal = normaliseCode(record.postalCode);
    const birthDate = normaliseText(record.birthDate);
    const city = normaliseText(record.city);

    if (email !== '') add(EMAIL, email);
    if (phone !== '') add(PHONE, phone);
    if (last.code !== '') add(SURNAME_SOUND, last.code, first.initial);
    if (first.code !== '' && postal !== '') add(FIRST_SOUND_POSTAL, first.code, postal);
    if (first.code !== '' && last.code !== '') {
      if (first.code < last.code) add(BOTH_SOUNDS, first.code, last.code);
      else add(BOTH_SOUNDS, last.code, first.code);
    }
    if (birthDate !== '') {
      if (postal !== '') add(POSTAL_BIRTH_DATE, postal, birthDate);
      if (first.initial !== '') add(BIRTH_DATE_FIRST, birthDate, first.initial);
      if (last.initial !== '') add(BIRTH_DATE_SURNAME, birthDate, last.initial);
      if (city !== '') add(BIRTH_DATE_CITY, birthDate, city);
    }
    if (email !== '') {
      const at = email.lastIndexOf('@');
      const local = at < 0 ? email : email.slice(0, at);
      if (local.length >= 4) add(EMAIL_LOCAL, local);
    }
    // Postal code first, so that the street (the costliest part to normalise) is read only when it could be wanted.
    if (record.addressLine1 !== undefined && (gate === undefined || gate.has(ADDRESS_POSTAL, postal))) {
      const address = normaliseAddress(record.addressLine1);
      if (address !== '') add(ADDRESS_POSTAL, postal, address);
    }
    return { keys, firstName: first.name, lastName: last.name, postalCode: postal, city };
  };

  return { keysOf: (record, gate) => read(record, gate).keys, read, nameOf: (raw) => nameParts(raw).name };
}
