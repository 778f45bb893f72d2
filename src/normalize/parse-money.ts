export interface ParsedMoney {
  /** The amount in units, rounded to cents (`1234.56`); null when not an amount. */
  amount: number | null;
  /** The same amount as an integer count of hundredths (`123456`): sum these, not floats. */
  minor: number | null;
  /** ISO 4217 code when the cell names or implies one (`$` → USD, `€` → EUR), else null. */
  currency: string | null;
  /** Why `amount` is null, or that it was rounded; empty when all is well. */
  warnings: string[];
}

const CURRENCY = '[a-z]{1,3}\\$|[$£][a-z]{2}|[$€£¥₹₩₽₺₪₫฿₱₦₴]|zł|kr\\.?|fr\\.|[a-z]{3}';
const NUMBER = '[.,]?\\d(?:[\\d.,\'’ \\u00a0\\u202f]*\\d)?';
// Groups: sign, currency, sign, number, currency, trailing sign.
const ENVELOPE = new RegExp(`^([-+])?\\s*(${CURRENCY})?\\s*([-+])?\\s*(${NUMBER})\\s*(${CURRENCY})?\\s*(-)?$`, 'iu');
const ANY_SEPARATOR = /[.,]/;
const GROUPING = /['’ \u00a0\u202f]/g;
const SCIENTIFIC = /^[-+]?\d+(?:[.,]\d+)?e[-+]?\d+$/i;

const SYMBOLS: Readonly<Record<string, string | null>> = {
  '$': 'USD', 'US$': 'USD', 'C$': 'CAD', 'CA$': 'CAD', 'A$': 'AUD', 'AU$': 'AUD', 'NZ$': 'NZD',
  '£GB': 'GBP', '$US': 'USD', '$CA': 'CAD', '$AU': 'AUD', '$NZ': 'NZD', '$HK': 'HKD', '$SG': 'SGD',
  'HK$': 'HKD', 'S$': 'SGD', 'SG$': 'SGD', 'R$': 'BRL', 'MX$': 'MXN', 'NT$': 'TWD',
  '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR', '₩': 'KRW', '₽': 'RUB', '₺': 'TRY', '₪': 'ILS',
  '₫': 'VND', '฿': 'THB', '₱': 'PHP', '₦': 'NGN', '₴': 'UAH', 'ZŁ': 'PLN', 'FR.': 'CHF',
  // Swedish, Norwegian, Danish and Icelandic crowns all write "kr".
  'KR': null, 'KR.': null,
};

const ISO_4217 = new Set(
  ('AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN ' +
    'BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS ' +
    'GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW ' +
    'KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD ' +
    'NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD ' +
    'SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VES ' +
    'VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL').split(' '),
);

/**
 * Reads a money cell: `$1,234.50`, `1.234,56`, `1 234,56 €`, `(12.50)`, `USD 10`.
 * Separators: when both `.` and `,` appear the last one is the decimal mark; a
 * single one followed by exactly three digits groups thousands (`1,234` and
 * `1.234` are 1234, `0,125` and `1,5` are decimals); spaces and apostrophes
 * always group. Never throws; `amount` is null with a warning when unreadable.
 */
export function parseMoney(raw: string): ParsedMoney {
  let s = raw.trim();
  if (s === '') return { amount: null, minor: null, currency: null, warnings: [] };
  let negative = false;
  if (s.startsWith('(') && s.endsWith(')')) {
    negative = true;
    s = s.slice(1, -1).trim();
  }
  s = s.replace('\u2212', '-'); // Unicode minus sign
  if (SCIENTIFIC.test(s)) return failure(raw, 'it is in scientific notation (Excel mangled it)');
  const m = ENVELOPE.exec(s);
  if (m === null) return failure(raw, 'not an amount');
  const signs = [m[1], m[3], m[6]].filter((sign) => sign !== undefined);
  if (signs.length > 1 || (negative && signs.length > 0)) return failure(raw, 'more than one sign');
  if (signs[0] === '-') negative = true;

  const before = m[2] === undefined ? undefined : currencyCode(m[2]);
  const after = m[5] === undefined ? undefined : currencyCode(m[5]);
  if (before === false || after === false) return failure(raw, `unknown currency ${(before === false ? m[2] : m[5]) ?? ''}`);
  if (before !== undefined && after !== undefined && before !== after) {
    return failure(raw, `two different currencies ${m[2] ?? ''} and ${m[5] ?? ''}`);
  }
  const currency = before ?? after ?? null;

  const digits = splitNumber((m[4] ?? '').replace(GROUPING, ''));
  if (digits === null) return failure(raw, 'its thousands separators are not in groups of three');
  return toAmount(raw, digits.whole, digits.fraction, negative, currency);
}

/** ISO code, null for a symbol shared by several currencies, false for an unknown word. */
function currencyCode(written: string): string | null | false {
  const upper = written.toUpperCase();
  const symbol = SYMBOLS[upper];
  if (symbol !== undefined) return symbol;
  return ISO_4217.has(upper) ? upper : false;
}

interface NumberDigits {
  whole: string;
  fraction: string;
}

function splitNumber(n: string): NumberDigits | null {
  const lastDot = n.lastIndexOf('.');
  const lastComma = n.lastIndexOf(',');
  if (lastDot < 0 && lastComma < 0) return { whole: n, fraction: '' };
  let decimal: '.' | ',' | null;
  if (lastDot >= 0 && lastComma >= 0) {
    decimal = lastDot > lastComma ? '.' : ',';
  } else {
    const sep = lastDot >= 0 ? '.' : ',';
    const at = Math.max(lastDot, lastComma);
    const single = n.indexOf(sep) === at;
    const looksGrouped = n.length - at - 1 === 3 && at >= 1 && at <= 3 && n.charAt(0) !== '0';
    decimal = single && !looksGrouped ? sep : null;
  }
  const decimalAt = decimal === null ? -1 : n.lastIndexOf(decimal);
  const wholeText = decimalAt < 0 ? n : n.slice(0, decimalAt);
  const fraction = decimalAt < 0 ? '' : n.slice(decimalAt + 1);
  if (fraction.includes('.') || fraction.includes(',')) return null;
  if (decimal !== null && wholeText.includes(decimal)) return null;
  const groups = wholeText.split(decimal === '.' ? ',' : decimal === ',' ? '.' : ANY_SEPARATOR);
  if (groups.length > 1) {
    // The first group has 1–3 digits, the last exactly 3; Indian lakh grouping
    // (1,23,456) puts two-digit groups between them.
    const first = groups[0] ?? '';
    if (first.length < 1 || first.length > 3) return null;
    for (let i = 1; i < groups.length; i++) {
      const size = (groups[i] ?? '').length;
      if (size !== 3 && !(size === 2 && i < groups.length - 1)) return null;
    }
  }
  return { whole: groups.join(''), fraction };
}

function toAmount(raw: string, whole: string, fraction: string, negative: boolean, currency: string | null): ParsedMoney {
  const warnings: string[] = [];
  let cents = Number((fraction + '00').slice(0, 2));
  if (fraction.length > 2) {
    if (fraction.charCodeAt(2) >= 53) cents += 1; // half away from zero, on the third decimal
    warnings.push(`amount ${raw.trim()} rounded to cents`);
  }
  const minorAbs = Number(whole === '' ? '0' : whole) * 100 + cents;
  if (!Number.isSafeInteger(minorAbs)) return failure(raw, 'it is too large');
  const minor = negative && minorAbs !== 0 ? -minorAbs : minorAbs;
  return { amount: minor / 100, minor, currency, warnings };
}

function failure(raw: string, why: string): ParsedMoney {
  return { amount: null, minor: null, currency: null, warnings: [`cannot read ${JSON.stringify(raw.trim())} as an amount: ${why}`] };
}
