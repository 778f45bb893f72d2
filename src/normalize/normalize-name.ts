import { rememberResults } from './remember-results.js';

/** Which name a cell holds: `first` never gets surname rules (Mac…, particles). */
export type NameKind = 'first' | 'last' | 'full';

export interface SplitName {
  /** All given names, middle ones included (`Mary Ann`, `Jane Q.`); '' when none. */
  first: string;
  /** Surname with its particles (`van Beethoven`); '' for a single word. */
  last: string;
}

const WHITESPACE_RUN = /\s+/gu;
const HAS_WHITESPACE_RUN = /\s\s|[^\S ]/u;
const NAME_PIECE_BREAK = /([-'\u2019])/u;

/**
 * Surname particles: written lower-case between other words when re-casing,
 * and kept with the last name when splitting. As the last word they are a
 * surname of their own (Anna Le, Tom Van, David Du) and get a capital.
 */
const PARTICLES: ReadonlySet<string> = new Set([
  'van', 'von', 'der', 'den', 'de', 'del', 'della', 'dei', 'degli', 'da', 'das', 'do', 'dos',
  'di', 'du', 'des', 'le', 'la', 'les', 'ter', 'ten', 'zu', 'bin', 'binti', 'bint', 'ibn', 'al',
]);
/** Words that keep the next one company in a last name when splitting (`St. John`). */
const SPLIT_ONLY_PARTICLES: ReadonlySet<string> = new Set(['st', 'st.', 'saint']);
/** Spanish `y` joins two surnames (García y López): lower-case, but no split rule. */
const RECASE_ONLY_PARTICLES: ReadonlySet<string> = new Set(['y']);
const DOTS_AND_COMMAS = /[.,]/g;

const ROMAN_NUMERALS: ReadonlySet<string> = new Set(['ii', 'iii', 'iv']);

// "Mac" is also the start of ordinary names (Mack, Machado, Macy, Mackenzie as
// a first name), so only these surnames get a capital after "Mac".
const MAC_SURNAMES: ReadonlySet<string> = new Set([
  'macarthur', 'macaulay', 'macbeth', 'maccallum', 'macdonald', 'macdougall', 'macduff',
  'macfarlane', 'macgregor', 'macinnes', 'macintyre', 'mackay', 'mackenzie', 'mackinnon',
  'maclachlan', 'maclean', 'maclennan', 'macleod', 'macmillan', 'macnamara', 'macneil',
  'macneill', 'macpherson', 'macquarrie', 'macqueen', 'macrae', 'mactavish', 'macdonnell',
  'macgillivray', 'maclaren', 'macdermott', 'macewan', 'macfadyen', 'mackintosh',
]);

const TITLES: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'rev', 'revd',
  'reverend', 'fr', 'father', 'hon', 'lady', 'lord', 'capt', 'captain', 'col', 'sgt', 'lt',
  'maj', 'gen', 'herr', 'frau', 'mme', 'mlle', 'sra', 'srta',
]);

const SUFFIXES: ReadonlySet<string> = new Set([
  'jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq', 'dds', 'dmd', 'cpa', 'mba', 'dvm',
  'rn', 'jd', 'obe', 'mbe', 'cbe', 'qc', 'kc', 'facs', 'ret',
]);

/**
 * Cleans a name cell: trims, collapses whitespace, and re-cases it only when
 * it is ALL CAPS or all lower-case (`JOHN MCDONALD` → `John McDonald`,
 * `maria de la cruz` → `Maria de la Cruz`). Mixed case is kept as typed.
 * Never throws; returns '' for a blank cell.
 */
export function normalizeName(raw: string, kind: NameKind = 'full'): string {
  return recase[kind](raw);
}

function recaseName(raw: string, kind: NameKind): string {
  let s = raw.trim();
  if (HAS_WHITESPACE_RUN.test(s)) s = s.replace(WHITESPACE_RUN, ' ');
  const lower = s.toLowerCase();
  const upper = s.toUpperCase();
  if (lower === upper) return s; // no letters with case
  if (s !== lower && s !== upper) return s;
  const words = lower.split(' ');
  const lastIndex = words.length - 1;
  for (let i = 0; i <= lastIndex; i++) {
    words[i] = caseWord(words[i] ?? '', i, lastIndex, kind);
  }
  return words.join(' ');
}

const recase: Record<NameKind, (raw: string) => string> = {
  first: rememberResults((raw) => recaseName(raw, 'first')),
  last: rememberResults((raw) => recaseName(raw, 'last')),
  full: rememberResults((raw) => recaseName(raw, 'full')),
};

function caseWord(word: string, index: number, lastIndex: number, kind: NameKind): string {
  // A surname on its own keeps a leading particle lower-case ("van der Berg"), as in the full name;
  // in a full name the first word is a given name ("Van Morrison").
  const particleMayLead = kind === 'last';
  if (index > 0 || particleMayLead) {
    if (index < lastIndex && (PARTICLES.has(word) || RECASE_ONLY_PARTICLES.has(word))) return word;
  }
  if (index > 0 && ROMAN_NUMERALS.has(word)) return word.toUpperCase();
  const rules: SurnameRules = {
    // No given name starts with "Mc"; "Mac" is kept for words that are surely surnames.
    mc: kind !== 'first',
    mac: kind === 'last' || (kind === 'full' && (index > 0 || lastIndex === 0)),
  };
  const pieces = word.split(NAME_PIECE_BREAK);
  let out = '';
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] ?? '';
    if (i % 2 === 1) {
      out += piece; // the separator itself
      continue;
    }
    // After an apostrophe only a one-letter prefix (O', D', N') gets a capital
    // next: O'Brien, D'Angelo, but Ma'ake.
    const afterApostrophe = i > 0 && pieces[i - 1] !== '-';
    if (afterApostrophe && (pieces[i - 2] ?? '').length !== 1) out += piece;
    else out += capitalizePiece(piece, rules);
  }
  return out;
}

interface SurnameRules {
  mc: boolean;
  mac: boolean;
}

function capitalizePiece(piece: string, rules: SurnameRules): string {
  if (rules.mc && piece.length > 2 && piece.startsWith('mc')) return `Mc${capitalize(piece.slice(2))}`;
  if (rules.mac && MAC_SURNAMES.has(piece)) return `Mac${capitalize(piece.slice(3))}`;
  return capitalize(piece);
}

function capitalize(piece: string): string {
  const first = piece.charAt(0);
  const upper = first.toUpperCase();
  // Letters like ß upper-case to two letters; leave them rather than grow the name.
  if (upper.length !== first.length) return piece;
  return upper + piece.slice(1);
}

/**
 * Splits a full name into given names and surname: `Last, First` is understood,
 * titles and suffixes (Dr., Jr., III) are dropped, surname particles stay with
 * the last name (`Ludwig van Beethoven` → last `van Beethoven`). A single word
 * is a first name. Never throws; letter case is kept as given.
 */
export function splitFullName(full: string): SplitName {
  const s = full.trim().replace(WHITESPACE_RUN, ' ');
  const comma = s.indexOf(',');
  if (comma >= 0) {
    const before = s.slice(0, comma).trim();
    const after = s.slice(comma + 1).trim();
    const afterWords = words(after);
    // "John Smith, Jr." — the comma only separates a suffix.
    if (afterWords.every((w) => SUFFIXES.has(bare(w)))) return splitGivenFirst(words(before));
    const last = stripAffixes(words(before));
    const given = stripAffixes(afterWords);
    if (last.length === 0) return splitGivenFirst(given);
    return { first: given.join(' '), last: last.join(' ') };
  }
  return splitGivenFirst(words(s));
}

function splitGivenFirst(all: string[]): SplitName {
  const tokens = stripAffixes(all);
  if (tokens.length <= 1) return { first: tokens[0] ?? '', last: '' };
  let lastStart = tokens.length - 1;
  while (lastStart > 1 && isSplitParticle(tokens[lastStart - 1] ?? '')) lastStart--;
  return { first: tokens.slice(0, lastStart).join(' '), last: tokens.slice(lastStart).join(' ') };
}

function isSplitParticle(word: string): boolean {
  const lower = word.toLowerCase();
  return PARTICLES.has(lower) || SPLIT_ONLY_PARTICLES.has(lower);
}

function words(s: string): string[] {
  return s === '' ? [] : s.split(' ').filter((w) => w !== '' && w !== ',');
}

/** Lower-case word without dots and trailing commas: `Ph.D.,` → `phd`. */
function bare(word: string): string {
  return word.toLowerCase().replace(DOTS_AND_COMMAS, '');
}

function stripAffixes(tokens: string[]): string[] {
  let start = 0;
  let end = tokens.length;
  // Keep at least one word: "Dr." alone or a person called "Don" stays.
  while (end - start > 1 && TITLES.has(bare(tokens[start] ?? ''))) start++;
  while (end - start > 1 && SUFFIXES.has(bare(tokens[end - 1] ?? ''))) end--;
  return tokens.slice(start, end).map((w) => (w.endsWith(',') ? w.slice(0, -1) : w));
}
