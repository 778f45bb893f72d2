export interface NormalizedEmail {
  /** The cleaned, lower-cased address ('' when the input was blank). */
  value: string;
  /** Whether `value` passes the syntax check. */
  valid: boolean;
  /** Why it is invalid, or a possible domain typo; empty when all is well. */
  warnings: string[];
}

const MAILTO = /^mailto:/i;
const WHITESPACE = /\s/u;
// Characters that cannot appear unquoted in the local part of an address.
const LOCAL_FORBIDDEN = /[\s"(),:;<>[\\\]@]/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?$/u;
const TOP_LEVEL_DOMAIN = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/u;
// The plain ASCII addresses nearly every list is made of, in one test: anything it accepts passes every check below.
const PLAIN_VALID = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/;

/**
 * Cleans an email cell: trims, unwraps `<…>`, `Name <…>` and `mailto:`, and
 * lower-cases the whole address, then checks its syntax. Never throws; a
 * suspected domain typo is only warned about, never corrected.
 *
 * @example normalizeEmail(' <Jane@GMIAL.com> ')
 * // { value: 'jane@gmial.com', valid: true,
 * //   warnings: ['possible typo in domain gmial.com (did you mean gmail.com?)'] }
 */
export function normalizeEmail(raw: string): NormalizedEmail {
  const value = unwrapEmail(raw).toLowerCase();
  if (value === '') return { value, valid: false, warnings: [] };
  const problem = findEmailSyntaxProblem(value);
  if (problem !== null) return { value, valid: false, warnings: [`invalid email ${value}: ${problem}`] };
  const domain = value.slice(value.indexOf('@') + 1);
  const suggestion = suggestEmailDomain(domain);
  const warnings = suggestion === null ? [] : [`possible typo in domain ${domain} (did you mean ${suggestion}?)`];
  return { value, valid: true, warnings };
}

function unwrapEmail(raw: string): string {
  let s = raw.trim();
  for (;;) {
    const before = s;
    if (MAILTO.test(s)) s = s.slice(7).trim();
    if (s.endsWith('>')) {
      const open = s.lastIndexOf('<');
      // `<a@b.c>` and `Jane Doe <a@b.c>` both keep only what is inside.
      if (open >= 0) s = s.slice(open + 1, -1).trim();
    }
    if (s === before) return s;
  }
}

function findEmailSyntaxProblem(email: string): string | null {
  if (PLAIN_VALID.test(email)) return null;
  if (WHITESPACE.test(email)) return 'contains a space';
  const at = email.indexOf('@');
  if (at < 0) return 'has no @';
  if (email.indexOf('@', at + 1) >= 0) return 'has more than one @';
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local === '') return 'nothing before the @';
  if (LOCAL_FORBIDDEN.test(local)) return 'the part before the @ has a character addresses cannot contain';
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return 'misplaced dot before the @';
  if (domain === '') return 'nothing after the @';
  const labels = domain.split('.');
  if (labels.length < 2) return `domain ${domain} has no dot`;
  for (const label of labels) {
    if (!DOMAIN_LABEL.test(label)) return `domain ${domain} is not a valid domain name`;
  }
  const tld = labels[labels.length - 1] ?? '';
  if (!TOP_LEVEL_DOMAIN.test(tld)) return `domain ${domain} does not end in a valid top-level domain`;
  return null;
}

// Well-known mailbox providers: typos of these are worth a warning.
const POPULAR_DOMAINS = [
  'gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'icloud.com',
  'live.com', 'aol.com', 'msn.com', 'comcast.net', 'protonmail.com', 'proton.me',
  'yahoo.co.uk', 'hotmail.co.uk', 'btinternet.com', 'verizon.net', 'sbcglobal.net',
  'att.net', 'me.com', 'mac.com', 'gmx.de', 'web.de', 'hotmail.fr', 'orange.fr',
];

// Real domains that a one-letter slip of a popular one produces: never flagged.
const OTHER_REAL_DOMAINS = ['mail.com', 'email.com', 'ymail.com', 'gmx.com', 'cloud.com', 'hotmail.de', 'outlook.de'];

// Typos seen in real customer lists that the generated variants below miss.
const KNOWN_TYPOS: Record<string, string> = {
  'gamil.com': 'gmail.com', 'gmial.com': 'gmail.com', 'gnail.com': 'gmail.com', 'gmaul.com': 'gmail.com',
  'gmali.com': 'gmail.com', 'gmal.com': 'gmail.com', 'gmai.com': 'gmail.com', 'gmil.com': 'gmail.com',
  'gmail.co': 'gmail.com', 'gmail.cm': 'gmail.com', 'gmail.con': 'gmail.com',
  'gmail.cmo': 'gmail.com', 'gmail.om': 'gmail.com', 'gmail.comm': 'gmail.com', 'gmail.c': 'gmail.com',
  'gmail.vom': 'gmail.com', 'gmail.xom': 'gmail.com', 'gmail.ocm': 'gmail.com', 'gmaill.com': 'gmail.com',
  'gmsil.com': 'gmail.com',
  'yaho.com': 'yahoo.com', 'yahooo.com': 'yahoo.com', 'yhoo.com': 'yahoo.com', 'yahho.com': 'yahoo.com',
  'yahoo.co': 'yahoo.com', 'yahoo.cm': 'yahoo.com', 'yahoo.con': 'yahoo.com', 'yhaoo.com': 'yahoo.com',
  'uahoo.com': 'yahoo.com', 'tahoo.com': 'yahoo.com',
  'hotmial.com': 'hotmail.com', 'hotmal.com': 'hotmail.com', 'hotmil.com': 'hotmail.com',
  'hotmai.com': 'hotmail.com', 'hotamil.com': 'hotmail.com', 'hotmali.com': 'hotmail.com',
  'hotnail.com': 'hotmail.com', 'hotmaill.com': 'hotmail.com', 'hotmail.co': 'hotmail.com',
  'hotmail.con': 'hotmail.com', 'hotmail.cm': 'hotmail.com', 'homail.com': 'hotmail.com',
  'outlok.com': 'outlook.com', 'outllok.com': 'outlook.com', 'outlool.com': 'outlook.com',
  'outloo.com': 'outlook.com', 'otlook.com': 'outlook.com', 'outlook.co': 'outlook.com',
  'outlook.con': 'outlook.com', 'outook.com': 'outlook.com',
  'iclod.com': 'icloud.com', 'icoud.com': 'icloud.com', 'iclould.com': 'icloud.com',
  'icloud.co': 'icloud.com', 'icloud.con': 'icloud.com', 'icluod.com': 'icloud.com',
  'aol.co': 'aol.com', 'aol.con': 'aol.com', 'aoll.com': 'aol.com',
  'comcat.net': 'comcast.net', 'comcst.net': 'comcast.net', 'sbcgloble.net': 'sbcglobal.net',
  'live.co': 'live.com', 'live.con': 'live.com',
  'protonmail.co': 'protonmail.com', 'protonmai.com': 'protonmail.com',
};

const TYPO_TO_DOMAIN: ReadonlyMap<string, string> = buildTypoTable();

/** Adjacent swaps, single deletions and doubled letters of the longer provider names. */
function buildTypoTable(): Map<string, string> {
  const table = new Map<string, string>();
  const real = new Set([...POPULAR_DOMAINS, ...OTHER_REAL_DOMAINS]);
  for (const domain of POPULAR_DOMAINS) {
    const dot = domain.indexOf('.');
    const name = domain.slice(0, dot);
    const rest = domain.slice(dot);
    // Short names (aol, msn, me) have too many real look-alike domains.
    if (name.length < 5) continue;
    const variants: string[] = [];
    for (let i = 0; i < name.length; i++) {
      // Dropping the first letter gives real domains too often (mail.com, cloud.com).
      if (i > 0) variants.push(name.slice(0, i) + name.slice(i + 1));
      variants.push(name.slice(0, i + 1) + name.charAt(i) + name.slice(i + 1));
      if (i + 1 < name.length) variants.push(name.slice(0, i) + name.charAt(i + 1) + name.charAt(i) + name.slice(i + 2));
    }
    for (const variant of variants) {
      const typo = variant + rest;
      if (typo !== domain && !real.has(typo) && !table.has(typo)) table.set(typo, domain);
    }
  }
  for (const [typo, domain] of Object.entries(KNOWN_TYPOS)) table.set(typo, domain);
  return table;
}

/**
 * The well-known domain a lower-cased domain is probably a typo of
 * (`gmial.com` → `gmail.com`), or null. Never flags a real provider's domain.
 */
export function suggestEmailDomain(domain: string): string | null {
  return TYPO_TO_DOMAIN.get(domain) ?? null;
}
