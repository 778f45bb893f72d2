/**
 * Deterministic messy customer CSVs for timing import and export: the same
 * seed and row count always give the same bytes. Pure: returns lines, writes
 * nothing. About 150 bytes a row over 15 columns, with the mess real exports
 * carry — mixed phone formats, ALL-CAPS and lower-case names, one day/month
 * order per file with some ISO dates, ~5% repeat customers under a slightly
 * different spelling, ~1% rows with nothing that identifies a customer.
 */

import { createRandom } from '../src/dedupe/create-random.js';

export interface CustomerCsvOptions {
  rows: number;
  seed?: number;
  /** Order of the numeric (non-ISO) birthdays; one per file, as custdb decides it once per file. */
  dateOrder?: 'dmy' | 'mdy';
  /** Share of rows that repeat an earlier customer (same email or phone, spelling varied). */
  duplicateShare?: number;
  /** Share of rows with no name, email, phone or id (custdb rejects them). */
  invalidShare?: number;
}

/** Header of every generated file; each maps to a custdb field through its synonyms. */
export const CUSTOMER_CSV_HEADER = [
  'Customer ID',
  'First Name',
  'Last Name',
  'Email',
  'Phone',
  'Company',
  'Address',
  'City',
  'Region',
  'Zip',
  'Country',
  'Birthday',
  'Accepts Marketing',
  'Tags',
  'Note',
] as const;

/** Bump when the output for a given seed changes, so cached files are regenerated. */
export const GENERATOR_VERSION = 1;

type Random = () => number;

/** Mixes two integers into a well-spread 32-bit seed (so person k is reproducible on its own). */
function mixSeed(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function digits(random: Random, count: number): string {
  let s = '';
  for (let i = 0; i < count; i++) s += Math.floor(random() * 10);
  return s;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const FIRST_NAMES = (
  'James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica ' +
  'Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Mark Sandra Donald Ashley ' +
  'Steven Kimberly Paul Emily Andrew Donna Joshua Michelle Kenneth Dorothy Kevin Carol Brian Amanda George Melissa ' +
  'Oliver Amelia Harry Isla Jack Ava Noah Mia Leo Freya Oscar Poppy Lukas Mia Finn Hannah Leon Lena Jonas Anna ' +
  'Louis Camille Gabriel Chloé Raphaël Léa Hugo Manon Jules Inès Zoë José Siobhán Nuala Seán Małgorzata Björn Åsa'
).split(' ');

const LAST_NAMES = (
  "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Wilson Anderson Thomas " +
  "Taylor Moore Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King Wright Scott " +
  "Green Baker Adams Nelson Hill Campbell Mitchell Roberts Carter Phillips Evans Turner Parker Collins Edwards Stewart " +
  "McDonald MacLeod O'Brien O'Neill D'Arcy Fitzgerald Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker " +
  "Schulz Hoffmann Bernard Dubois Durand Lefebvre Moreau Laurent Simon Michel Lefèvre García Núñez Søren Hughes " +
  "Patel Khan Singh Nguyen Kowalski Jensen Hansen Okafor Mensah Ferreira Rossi Russo Bianchi"
).split(' ');
const PARTICLE_SURNAMES = ['van der Berg', 'von Habsburg', 'de la Cruz', 'van Dijk', 'de Vries', 'Le Blanc', 'St. John'];

const NICKNAMES: Record<string, string> = {
  James: 'Jim', Robert: 'Bob', William: 'Bill', Elizabeth: 'Liz', Michael: 'Mike', Richard: 'Rick', Joseph: 'Joe',
  Thomas: 'Tom', Charles: 'Charlie', Christopher: 'Chris', Daniel: 'Dan', Matthew: 'Matt', Margaret: 'Maggie',
  Anthony: 'Tony', Jennifer: 'Jen', Patricia: 'Pat', Kimberly: 'Kim', Andrew: 'Andy', Kenneth: 'Ken', Susan: 'Sue',
};

const EMAIL_DOMAINS = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'aol.com', 'gmx.de', 'web.de', 'orange.fr', 'btinternet.com', 'example.com'];
const COMPANY_WORDS = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay', 'Stark', 'Wayne', 'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka'];
const COMPANY_SUFFIXES = ['Inc', 'Inc.', 'LLC', 'Ltd', 'GmbH', 'SARL', '& Co', 'Group', 'Holdings', 'Trading'];
const STREETS = ['High', 'Church', 'Main', 'Station', 'Park', 'Oak', 'Maple', 'Elm', 'Mill', 'King', 'Queen', 'Bahnhof', 'Haupt', 'Garden'];
const STREET_TYPES = ['Street', 'St', 'Road', 'Rd', 'Avenue', 'Ave', 'Lane', 'Drive', 'Way', 'Close'];
const TAGS = ['vip', 'wholesale', 'newsletter', 'retail', 'b2b', 'trade show', 'returning', 'Black Friday', 'referral'];
const NOTES = [
  'Prefers email',
  'Call after 5pm',
  'Allergic to nuts, see order 1042',
  'Asked for "gift wrap" every time',
  'Moved house\nnew address pending',
  'Pays by invoice; net 30',
  'Met at trade show',
  '=SUM(A1:A3)',
];
const CONSENT = ['yes', 'no', 'Yes', 'No', 'TRUE', 'FALSE', 'true', 'false', '1', '0', 'subscribed', 'unsubscribed', 'Y', 'N'];

type CountryCode = 'US' | 'GB' | 'DE' | 'FR' | 'CA' | 'NL' | 'ES';

interface CountryInfo {
  weight: number;
  /** Ways the country column spells it; '' leaves the cell empty (the default country then applies to US rows). */
  spellings: readonly string[];
  cities: readonly (readonly [string, string])[];
  zip: (random: Random) => string;
  /** National significant number of a valid mobile or landline. */
  nationalNumber: (random: Random) => string;
  callingCode: string;
  /** Formats of the national significant number as a person in that country writes it. */
  nationalFormats: readonly ((nsn: string) => string)[];
}

const COUNTRIES: Record<CountryCode, CountryInfo> = {
  US: {
    weight: 0.5,
    spellings: ['US', 'USA', 'United States', 'us', 'U.S.', 'United States of America', ''],
    cities: [['New York', 'NY'], ['San Francisco', 'CA'], ['Chicago', 'IL'], ['Boston', 'MA'], ['Austin', 'Texas'], ['Seattle', 'WA'], ['Denver', 'Colorado']],
    zip: (random) => (random() < 0.1 ? `0${digits(random, 4)}` : `${1 + Math.floor(random() * 9)}${digits(random, 4)}`),
    nationalNumber: (random) => `${pick(random, ['212', '415', '312', '617', '512', '206', '303', '646', '718'])}${2 + Math.floor(random() * 8)}${digits(random, 2)}${digits(random, 4)}`,
    callingCode: '1',
    nationalFormats: [
      (n) => `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`,
      (n) => `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
      (n) => `${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`,
      (n) => `1-${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`,
      (n) => n,
    ],
  },
  GB: {
    weight: 0.2,
    spellings: ['GB', 'UK', 'United Kingdom', 'England', 'gb', 'Great Britain'],
    cities: [['London', ''], ['Manchester', 'Greater Manchester'], ['Leeds', 'West Yorkshire'], ['Bristol', ''], ['Edinburgh', 'Scotland']],
    zip: (random) => `${pick(random, ['SW1A', 'M1', 'LS2', 'BS1', 'EH1', 'N1', 'E14'])} ${Math.floor(random() * 10)}${pick(random, ['AA', 'BD', 'XY', 'QT', 'HN'])}`,
    nationalNumber: (random) => `7${pick(random, ['4', '5', '8', '9'])}${digits(random, 8)}`,
    callingCode: '44',
    nationalFormats: [(n) => `0${n.slice(0, 4)} ${n.slice(4)}`, (n) => `0${n}`, (n) => `0${n.slice(0, 4)} ${n.slice(4, 7)} ${n.slice(7)}`],
  },
  DE: {
    weight: 0.13,
    spellings: ['DE', 'Germany', 'Deutschland', 'de', 'GERMANY'],
    cities: [['Berlin', 'Berlin'], ['München', 'Bayern'], ['Hamburg', 'Hamburg'], ['Köln', 'NRW'], ['Frankfurt am Main', 'Hessen']],
    zip: (random) => `${Math.floor(random() * 9) + 1}${digits(random, 4)}`,
    nationalNumber: (random) => `17${Math.floor(random() * 10)}${digits(random, 7)}`,
    callingCode: '49',
    nationalFormats: [(n) => `0${n.slice(0, 3)} ${n.slice(3)}`, (n) => `0${n.slice(0, 3)}/${n.slice(3)}`, (n) => `0${n}`],
  },
  FR: {
    weight: 0.12,
    spellings: ['FR', 'France', 'france', 'FRANCE', 'République française'],
    cities: [['Paris', 'Île-de-France'], ['Lyon', 'Auvergne-Rhône-Alpes'], ['Marseille', "Provence-Alpes-Côte d'Azur"], ['Lille', 'Hauts-de-France']],
    zip: (random) => `${pick(random, ['75', '69', '13', '59', '33', '01'])}${digits(random, 3)}`,
    nationalNumber: (random) => `${pick(random, ['6', '7'])}${digits(random, 8)}`,
    callingCode: '33',
    nationalFormats: [
      (n) => `0${n.slice(0, 1)} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7)}`,
      (n) => `0${n.slice(0, 1)}.${n.slice(1, 3)}.${n.slice(3, 5)}.${n.slice(5, 7)}.${n.slice(7)}`,
      (n) => `0${n}`,
    ],
  },
  CA: {
    weight: 0.02,
    spellings: ['CA', 'Canada'],
    cities: [['Toronto', 'ON'], ['Vancouver', 'BC'], ['Montréal', 'QC']],
    zip: (random) => `${pick(random, ['M5V', 'V6B', 'H2X'])} ${Math.floor(random() * 10)}${pick(random, ['A', 'K', 'T'])}${Math.floor(random() * 10)}`,
    nationalNumber: (random) => `${pick(random, ['416', '604', '514'])}${2 + Math.floor(random() * 8)}${digits(random, 6)}`,
    callingCode: '1',
    nationalFormats: [(n) => `(${n.slice(0, 3)}) ${n.slice(3, 6)}-${n.slice(6)}`, (n) => `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}`],
  },
  NL: {
    weight: 0.02,
    spellings: ['NL', 'Netherlands', 'Nederland', 'The Netherlands'],
    cities: [['Amsterdam', 'Noord-Holland'], ['Utrecht', 'Utrecht']],
    zip: (random) => `${1 + Math.floor(random() * 9)}${digits(random, 3)} ${pick(random, ['AB', 'KL', 'XT'])}`,
    nationalNumber: (random) => `6${digits(random, 8)}`,
    callingCode: '31',
    nationalFormats: [(n) => `0${n.slice(0, 1)}-${n.slice(1)}`, (n) => `0${n}`],
  },
  ES: {
    weight: 0.01,
    spellings: ['ES', 'Spain', 'España'],
    cities: [['Madrid', 'Madrid'], ['Barcelona', 'Cataluña']],
    zip: (random) => `${pick(random, ['28', '08', '41'])}${digits(random, 3)}`,
    nationalNumber: (random) => `6${digits(random, 8)}`,
    callingCode: '34',
    nationalFormats: [(n) => `${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, (n) => n],
  },
};
const COUNTRY_CODES = Object.keys(COUNTRIES) as CountryCode[];

function pickCountry(random: Random): CountryCode {
  let r = random();
  for (const code of COUNTRY_CODES) {
    r -= COUNTRIES[code].weight;
    if (r < 0) return code;
  }
  return 'US';
}

/** The stable facts about one person; a repeat row of them is written from these with fresh mess. */
interface Person {
  index: number;
  first: string;
  last: string;
  emailLocal: string;
  emailDomain: string;
  hasEmail: boolean;
  country: CountryCode;
  nationalNumber: string;
  hasPhone: boolean;
  company: string;
  street: string;
  city: readonly [string, string];
  zip: string;
  birthday: readonly [number, number, number] | null;
}

function makePerson(seed: number, index: number): Person {
  const random = createRandom(mixSeed(seed, index));
  const first = pick(random, FIRST_NAMES);
  const last = random() < 0.04 ? pick(random, PARTICLE_SURNAMES) : pick(random, LAST_NAMES);
  const country = pickCountry(random);
  const info = COUNTRIES[country];
  const asciiLast = last.replace(/[^A-Za-z]/g, '').toLowerCase();
  const asciiFirst = first.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
  const localStyle = random();
  const emailLocal =
    localStyle < 0.4 ? `${asciiFirst}.${asciiLast}${index}` : localStyle < 0.7 ? `${asciiFirst[0] ?? 'x'}${asciiLast}${index}` : `${asciiFirst}${index}`;
  return {
    index,
    first,
    last,
    emailLocal,
    emailDomain: pick(random, EMAIL_DOMAINS),
    hasEmail: random() < 0.9,
    country,
    nationalNumber: info.nationalNumber(random),
    hasPhone: random() < 0.75,
    company: random() < 0.35 ? `${pick(random, COMPANY_WORDS)} ${pick(random, COMPANY_SUFFIXES)}` : '',
    street: random() < 0.8 ? `${1 + Math.floor(random() * 999)} ${pick(random, STREETS)} ${pick(random, STREET_TYPES)}` : '',
    city: pick(random, info.cities),
    zip: random() < 0.85 ? info.zip(random) : '',
    birthday: random() < 0.6 ? [1940 + Math.floor(random() * 66), 1 + Math.floor(random() * 12), 1 + Math.floor(random() * 28)] : null,
  };
}

function messCase(random: Random, name: string): string {
  const r = random();
  if (r < 0.12) return name.toUpperCase();
  if (r < 0.2) return name.toLowerCase();
  if (r < 0.23) return ` ${name}  `;
  return name;
}

/** One spelling slip: a dropped, doubled or swapped letter. */
function misspell(random: Random, name: string): string {
  if (name.length < 4) return name;
  const at = 1 + Math.floor(random() * (name.length - 2));
  const kind = random();
  if (kind < 0.4) return name.slice(0, at) + name.slice(at + 1);
  if (kind < 0.7) return name.slice(0, at) + name.charAt(at) + name.slice(at);
  return name.slice(0, at) + name.charAt(at + 1) + name.charAt(at) + name.slice(at + 2);
}

function formatPhone(random: Random, person: Person, countryWritten: boolean): string {
  const info = COUNTRIES[person.country];
  const nsn = person.nationalNumber;
  const r = random();
  // A national number needs the row's country (or the default, US) to be read.
  const nationalOk = countryWritten || person.country === 'US';
  if (r < 0.3 || !nationalOk) {
    if (r < 0.15) return `+${info.callingCode}${nsn}`;
    if (r < 0.22) return `00${info.callingCode} ${nsn}`;
    return `+${info.callingCode} ${nsn.slice(0, 3)} ${nsn.slice(3)}`;
  }
  return pick(random, info.nationalFormats)(nsn);
}

const INVALID_PHONES = ['12345', 'n/a', '555-CALL-NOW', '7.98535E+12', '000', 'ask front desk', '+1 (000) 000-0000x'];

function formatDate(random: Random, birthday: readonly [number, number, number], order: 'dmy' | 'mdy'): string {
  const [year, month, day] = birthday;
  const r = random();
  if (r < 0.2) return `${year}-${pad2(month)}-${pad2(day)}`;
  const separator = r < 0.8 ? '/' : r < 0.9 ? '.' : '-';
  const [a, b] = order === 'dmy' ? [day, month] : [month, day];
  return random() < 0.5 ? `${pad2(a)}${separator}${pad2(b)}${separator}${year}` : `${a}${separator}${b}${separator}${year}`;
}

function formatTags(random: Random): string {
  const r = random();
  if (r < 0.55) return '';
  if (r < 0.85) return pick(random, TAGS);
  return `${pick(random, TAGS)}, ${pick(random, TAGS)}`;
}

function csvCell(value: string): string {
  if (value === '') return '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 44 || c === 34 || c === 10 || c === 13) return `"${value.replace(/"/g, '""')}"`;
  }
  return value;
}

function csvLine(cells: readonly string[]): string {
  let line = csvCell(cells[0] ?? '');
  for (let i = 1; i < cells.length; i++) line += `,${csvCell(cells[i] ?? '')}`;
  return line;
}

/** A row of one person as the 15 header columns, with fresh mess drawn from `random`. */
function personCells(random: Random, person: Person, customerId: string, repeat: boolean, order: 'dmy' | 'mdy'): string[] {
  const info = COUNTRIES[person.country];
  let first = person.first;
  let last = person.last;
  if (repeat) {
    const r = random();
    const nickname = NICKNAMES[first];
    if (r < 0.35 && nickname !== undefined) first = nickname;
    else if (r < 0.7) last = misspell(random, last);
    else if (r < 0.85) first = misspell(random, first);
  }
  const country = pick(random, info.spellings);
  const countryWritten = country !== '';
  let email = '';
  if (person.hasEmail) {
    email = `${person.emailLocal}@${person.emailDomain}`;
    const r = random();
    if (r < 0.08) email = email.toUpperCase();
    else if (r < 0.15) email = `${person.emailLocal[0]!.toUpperCase()}${person.emailLocal.slice(1)}@${person.emailDomain}`;
    else if (r < 0.18) email = ` ${email} `;
  }
  let phone = '';
  if (person.hasPhone || !person.hasEmail) phone = random() < 0.02 ? pick(random, INVALID_PHONES) : formatPhone(random, person, countryWritten);
  const [city, region] = person.city;
  return [
    customerId,
    messCase(random, first),
    messCase(random, last),
    email,
    phone,
    person.company,
    person.street,
    random() < 0.1 ? city.toUpperCase() : city,
    region,
    person.zip,
    country,
    person.birthday ? formatDate(random, person.birthday, order) : '',
    random() < 0.7 ? pick(random, CONSENT) : '',
    formatTags(random),
    random() < 0.15 ? pick(random, NOTES) : '',
  ];
}

/** A row with nothing that identifies a customer: no id, name, email or phone (or only a broken email). */
function invalidCells(random: Random): string[] {
  const code = pickCountry(random);
  const [city, region] = pick(random, COUNTRIES[code].cities);
  const brokenEmail = random() < 0.3 ? pick(random, ['not-an-email', 'n/a', '@', 'none']) : '';
  return ['', '', '', brokenEmail, '', random() < 0.5 ? `${pick(random, COMPANY_WORDS)} Ltd` : '', '', city, region, '', pick(random, COUNTRIES[code].spellings), '', pick(random, CONSENT), '', random() < 0.5 ? 'walk-in, no details' : ''];
}

/**
 * Yields the CSV lines of a file (header first, then `rows` data rows; no
 * line endings). The same options always yield the same lines, and memory
 * stays flat however many rows are asked for.
 *
 * @example [...customerCsvLines({ rows: 2, seed: 1 })].length // 3
 */
export function* customerCsvLines(options: CustomerCsvOptions): Generator<string> {
  const seed = options.seed ?? 1;
  const order = options.dateOrder ?? 'dmy';
  const duplicateShare = options.duplicateShare ?? 0.05;
  const invalidShare = options.invalidShare ?? 0.01;
  const random = createRandom(mixSeed(seed, -1));
  yield csvLine(CUSTOMER_CSV_HEADER);
  let people = 0;
  for (let row = 0; row < options.rows; row++) {
    const r = random();
    let cells: string[];
    if (r < invalidShare) {
      cells = invalidCells(random);
    } else if (r < invalidShare + duplicateShare && people > 0) {
      // A repeat of an earlier customer, usually a recent one, under a new id.
      const back = 1 + Math.floor(random() * Math.min(people, 5000));
      const person = makePerson(seed, people - back);
      cells = personCells(random, person, random() < 0.85 ? `C${String(1_000_000 + row)}` : '', true, order);
      // A repeat must share an identifier with the original: keep the email, or else the phone.
      if (cells[3] === '' && cells[4] === '') cells[4] = formatPhone(random, person, cells[10] !== '');
    } else {
      const person = makePerson(seed, people);
      people += 1;
      cells = personCells(random, person, random() < 0.9 ? `C${String(1_000_000 + row)}` : '', false, order);
    }
    yield csvLine(cells);
  }
}
