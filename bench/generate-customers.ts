/**
 * Deterministic synthetic customers with known duplicates, for timing the
 * dedupe engine at 100k and 1M records. Names follow a Zipf-like spread (a few
 * very common surnames, a long tail), and about `duplicateShare` of the
 * records are corrupted copies of another customer (typos, nicknames, swapped
 * names, day/month swaps, changed email domain, missing fields, abbreviations).
 */
import type { DedupeRecord } from '../src/dedupe/dedupe-record.js';
import { createRandom } from '../src/dedupe/create-random.js';

const FIRST_NAMES = (
  'james mary john patricia robert jennifer michael linda william elizabeth david barbara richard susan joseph jessica ' +
  'thomas sarah charles karen christopher nancy daniel lisa matthew betty anthony margaret mark sandra donald ashley ' +
  'steven kimberly paul emily andrew donna joshua michelle kenneth dorothy kevin carol brian amanda george melissa ' +
  'edward deborah ronald stephanie timothy rebecca jason sharon jeffrey laura ryan cynthia jacob kathleen gary amy ' +
  'nicholas shirley eric angela jonathan helen stephen anna larry brenda justin pamela scott nicole brandon emma ' +
  'benjamin samantha samuel katherine gregory christine frank debra alexander rachel raymond catherine patrick carolyn ' +
  'jack janet dennis ruth jerry maria tyler heather aaron diane jose virginia adam julie henry joyce nathan victoria ' +
  'douglas olivia zachary kelly peter christina kyle lauren walter joan ethan evelyn jeremy judith harold megan keith ' +
  'cheryl christian andrea roger hannah noah martha gerald jacqueline carl frances terry gloria sean ann austin teresa ' +
  'arthur kathryn lawrence sara jesse janice dylan jean bryan alice joe madison jordan doris billy abigail bruce julia ' +
  'albert judy willie grace gabriel denise logan amber alan marilyn juan beverly wayne danielle roy theresa ralph sophia ' +
  'randy marie eugene diana vincent brittany russell natalie elijah isabella louis charlotte bobby rose philip alexis ' +
  'johnny kayla isla oliver amelia harry ava leo mia oscar poppy archie freya alfie lily theo evie'
).split(' ');

const SYLLABLES = (
  'an ber bro car cha dal den der don el fer gar gold ham har hart hol ken kin lan lee ley man mar mil mor nel ' +
  'new ol par per ram ren rich rob ros sam son stan ton tow val war wat wel wil win worth wood york zab lock ski'
).split(' ');

const STREETS = (
  'high church mill station park victoria green manor king queen oak elm maple cedar pine river lake hill bridge ' +
  'school north south west east london york albert george chester forest meadow orchard spring mount rose'
).split(' ');
const STREET_TYPES = ['street', 'road', 'avenue', 'lane', 'drive', 'close', 'crescent', 'way', 'place', 'court'];
const ABBREVIATIONS: Record<string, string> = { street: 'st', road: 'rd', avenue: 'ave', lane: 'ln', drive: 'dr', crescent: 'cres', place: 'pl', court: 'ct' };
const DOMAINS = ['gmail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com', 'aol.com', 'example.org', 'mail.com'];
const DOMAIN_TYPOS: Record<string, string> = { 'gmail.com': 'gmial.com', 'hotmail.com': 'hotmial.com', 'yahoo.com': 'yaho.com', 'outlook.com': 'outlok.com' };
const NICKNAMES: Record<string, string> = {
  robert: 'bob', william: 'bill', elizabeth: 'liz', margaret: 'peggy', james: 'jim', richard: 'dick', michael: 'mike',
  thomas: 'tom', joseph: 'joe', charles: 'charlie', christopher: 'chris', daniel: 'dan', anthony: 'tony', jennifer: 'jen',
  katherine: 'kate', patricia: 'pat', rebecca: 'becky', samuel: 'sam', benjamin: 'ben', edward: 'ed', alexander: 'alex',
};

export interface SyntheticCustomers {
  records: DedupeRecord[];
  /** Entity number per record (records of one entity are the same person). */
  entities: Int32Array;
}

/** Draws indexes 0..size-1 with weight 1/(rank+1)^exponent. */
function zipfSampler(size: number, exponent: number, random: () => number): () => number {
  const cumulative = new Float64Array(size);
  let total = 0;
  for (let k = 0; k < size; k++) {
    total += 1 / (k + 1) ** exponent;
    cumulative[k] = total;
  }
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function typo(s: string, random: () => number): string {
  if (s.length < 2) return s;
  const k = Math.floor(random() * s.length);
  const letter = String.fromCharCode(97 + Math.floor(random() * 26));
  const kind = random();
  if (kind < 0.35) return s.slice(0, k) + letter + s.slice(k + 1);
  if (kind < 0.6) return s.slice(0, k) + s.slice(k + 1);
  if (kind < 0.8) return s.slice(0, k) + letter + s.slice(k);
  const m = Math.min(k, s.length - 2);
  return s.slice(0, m) + (s[m + 1] ?? '') + (s[m] ?? '') + s.slice(m + 2);
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `n` synthetic customers (deterministic for a seed), about `duplicateShare` of them duplicates. */
export function generateCustomers(n: number, seed = 42, duplicateShare = 0.2): SyntheticCustomers {
  const random = createRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const surnameCount = Math.max(1000, Math.min(60000, Math.floor(n / 15)));
  const surnames: string[] = [];
  const seen = new Set<string>();
  while (surnames.length < surnameCount) {
    const parts = 2 + (random() < 0.3 ? 1 : 0);
    let s = '';
    for (let k = 0; k < parts; k++) s += pick(SYLLABLES);
    if (!seen.has(s)) {
      seen.add(s);
      surnames.push(s);
    }
  }
  const surnameOf = zipfSampler(surnames.length, 0.75, random);
  const firstOf = zipfSampler(FIRST_NAMES.length, 0.8, random);
  const postcodes = Math.max(500, Math.floor(n / 200));
  const cityCount = Math.max(100, Math.floor(n / 2000));
  const cityNames = Array.from({ length: cityCount }, (_, k) => `${pick(SYLLABLES)}${pick(SYLLABLES)}${k % 7 === 0 ? ' town' : ''}`);

  const records: DedupeRecord[] = [];
  const entities = new Int32Array(n);
  const originals: DedupeRecord[] = [];
  let entity = 0;
  for (let i = 0; i < n; i++) {
    const isDuplicate = originals.length > 0 && random() < duplicateShare;
    if (!isDuplicate) {
      const first = FIRST_NAMES[firstOf()] ?? 'alex';
      const last = surnames[surnameOf()] ?? 'smith';
      const year = 1940 + Math.floor(random() * 66);
      const record: DedupeRecord = {
        id: i + 1,
        firstName: random() < 0.5 ? first[0]?.toUpperCase() + first.slice(1) : first,
        lastName: random() < 0.5 ? last[0]?.toUpperCase() + last.slice(1) : last,
        email: random() < 0.85 ? `${first}.${last}${Math.floor(random() * 100)}@${pick(DOMAINS)}` : undefined,
        phone: random() < 0.7 ? `+447${String(100000000 + Math.floor(random() * 899999999))}` : undefined,
        birthDate: random() < 0.8 ? `${year}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}` : undefined,
        addressLine1: random() < 0.8 ? `${1 + Math.floor(random() * 200)} ${pick(STREETS)} ${pick(STREET_TYPES)}` : undefined,
        postalCode: String(10000 + Math.floor(random() * postcodes)),
        city: pick(cityNames),
        country: 'GB',
      };
      records.push(record);
      originals.push(record);
      entities[i] = entity++;
      continue;
    }
    const k = Math.floor(random() * originals.length);
    const o = originals[k] as DedupeRecord;
    const d: DedupeRecord = { ...o, id: i + 1 };
    let first = (o.firstName ?? '').toLowerCase();
    let last = (o.lastName ?? '').toLowerCase();
    const r = (): number => random();
    if (r() < 0.2) first = NICKNAMES[first] ?? typo(first, random);
    if (r() < 0.15) last = typo(last, random);
    if (r() < 0.05) [first, last] = [last, first];
    d.firstName = r() < 0.05 ? undefined : first;
    d.lastName = last;
    if (o.birthDate !== undefined && r() < 0.15) {
      const [y, m, dd] = o.birthDate.split('-');
      const v = r();
      if (v < 0.4 && Number(dd) <= 12) d.birthDate = `${y}-${dd}-${m}`;
      else if (v < 0.8) d.birthDate = `${y}-${m}-${typo(dd ?? '01', () => 0.1 + 0.8 * random()).replace(/\D/g, '1').padStart(2, '0').slice(0, 2)}`;
      else d.birthDate = undefined;
    }
    if (o.email !== undefined && r() < 0.3) {
      const [local, domain] = o.email.split('@');
      const v = r();
      d.email = v < 0.3 ? `${local}@${DOMAIN_TYPOS[domain ?? ''] ?? pick(DOMAINS)}` : v < 0.6 ? `${local}@${pick(DOMAINS)}` : v < 0.8 ? undefined : `${typo(local ?? '', random)}@${domain}`;
    }
    if (r() < 0.3) d.phone = r() < 0.5 ? undefined : o.phone;
    if (o.addressLine1 !== undefined && r() < 0.3) {
      const words = o.addressLine1.split(' ');
      const type = words[words.length - 1] ?? '';
      d.addressLine1 = r() < 0.6 ? [...words.slice(0, -1), ABBREVIATIONS[type] ?? type].join(' ') : r() < 0.5 ? undefined : `${1 + Math.floor(random() * 200)} ${pick(STREETS)} ${pick(STREET_TYPES)}`;
      if (d.addressLine1 !== o.addressLine1 && d.addressLine1 !== undefined && !d.addressLine1.includes(words[1] ?? '?')) {
        d.postalCode = String(10000 + Math.floor(random() * postcodes));
        d.city = pick(cityNames);
      }
    }
    records.push(d);
    entities[i] = entities[k === 0 ? 0 : (o.id - 1)] ?? 0;
  }
  return { records, entities };
}
