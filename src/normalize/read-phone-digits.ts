import { Metadata } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/min/metadata';

/** libphonenumber-js's verdict on a phone text, in the terms parsePhone uses. */
export type PhoneReading =
  /** The library finds no number at all. */
  | { kind: 'none' }
  | { kind: 'number'; e164: string; country: string | undefined; valid: boolean };

/** The parts of libphonenumber-js's numbering plan read here; its typings declare only a few. */
interface NumberingPlanSource {
  callingCode(): string;
  IDDPrefix(): string | undefined;
  nationalNumberPattern(): string;
  possibleLengths(): number[] | undefined;
  nationalPrefixForParsing(): string | undefined;
  nationalPrefixTransformRule(): string | undefined;
  leadingDigits(): string | undefined;
  hasTypes(): boolean;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
}

interface MetadataSource {
  numberingPlan?: NumberingPlanSource;
  selectNumberingPlan(country: string): void;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  isNonGeographicCallingCode(callingCode: string): boolean;
}

interface NumberType {
  pattern: RegExp;
  lengths: number[] | undefined;
}

/** One country's numbering plan with its patterns compiled. */
interface Plan {
  country: string;
  callingCode: string;
  national: RegExp;
  lengths: number[] | undefined;
  prefixForParsing: RegExp | undefined;
  hasTransformRule: boolean;
  idd: RegExp | undefined;
  leadingDigits: RegExp | undefined;
  /** undefined when the metadata has no number types for the country: then the national pattern decides. */
  types: NumberType[] | undefined;
}

/** Every type getNumberType tries; which one matches does not matter here, only whether any does. */
const TYPE_NAMES = ['FIXED_LINE', 'MOBILE', 'PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'VOIP', 'PERSONAL_NUMBER', 'PAGER', 'UAN', 'VOICEMAIL'];
const MIN_NATIONAL_LENGTH = 2;
const MAX_NATIONAL_LENGTH = 17;
const MAX_CALLING_CODE_LENGTH = 3;
const MAX_INPUT_LENGTH = 250;
/** An optional `(`, an optional `+`, then digits and the separators people type between them. */
const PLAIN_SHAPE = /^\(?\+?[0-9][0-9 ().\-/]*$/;
/** The library needs three digits to see a number at all. */
const MIN_DIGITS = 3;
const SEPARATORS = /[^0-9]/g;

const metadata = new Metadata(metadataJson) as unknown as MetadataSource;
/** Every country's plan, compiled on the first call; null when this libphonenumber-js lacks a method used here (then the library answers everything). */
let plans: Map<string, Plan> | null | undefined;

/**
 * What libphonenumber-js (min metadata) makes of a phone number written as
 * plain digits, worked out from the same metadata with every regular
 * expression compiled once. libphonenumber-js builds a new RegExp from each
 * pattern text on every test; a number with a shared calling code (+1, +44)
 * runs through a dozen of them, which made phones two thirds of a customer
 * import's standardising time.
 *
 * Only the common shapes are read here: an optional `(` and `+`, then digits
 * with spaces, dots, dashes, slashes or brackets between them. Anything else
 * (letters, extensions, a dialling-out prefix such as 011, a prefix rewrite
 * rule, a non-geographic calling code) returns undefined and the caller asks
 * libphonenumber-js itself. Each step below mirrors the library's own
 * (parse → extractCountryCallingCode → extractNationalNumber →
 * getCountryByCallingCode → isValid); tests compare both on every
 * country's example number in many spellings and on random digits. Pure.
 */
export function readPhoneDigits(text: string, defaultCountry: string | undefined): PhoneReading | undefined {
  plans ??= compilePlans();
  if (plans === null || text.length > MAX_INPUT_LENGTH || !PLAIN_SHAPE.test(text)) return undefined;
  // The library reads from the first `+` or digit and drops what trails the last digit: here, separators only.
  const international = text.includes('+');
  const digits = text.replace(SEPARATORS, '');
  if (digits.length < MIN_DIGITS) return undefined;
  const defaultPlan = defaultCountry === undefined ? undefined : planFor(defaultCountry);
  if (defaultCountry !== undefined && defaultPlan === undefined) return undefined;

  let callingCode: string;
  let rest: string;
  let country: string | undefined;
  let plan: Plan;
  if (international) {
    if (digits.charCodeAt(0) === 48) return undefined; // "+0…": the library gives up; let it say so
    const found = splitCallingCode(digits);
    if (found === undefined) return undefined;
    [callingCode, rest] = found;
    plan = mainPlan(callingCode)!;
  } else {
    if (defaultPlan === undefined) return { kind: 'none' };
    if (defaultPlan.idd !== undefined && digits.search(defaultPlan.idd) === 0) return undefined; // dialled out: 011 44 …
    const shorter = withoutOwnCallingCode(digits, defaultPlan);
    if (shorter === undefined) return undefined;
    callingCode = defaultPlan.callingCode;
    if (shorter === KEEP) {
      rest = digits;
      plan = defaultPlan;
      country = defaultPlan.country;
    } else {
      rest = shorter;
      plan = mainPlan(callingCode)!;
    }
  }
  if (rest === '') return { kind: 'none' };
  const national = nationalNumber(rest, plan);
  if (national === undefined) return undefined;
  country = countryByCallingCode(callingCode, national) ?? country;
  if (national.length < MIN_NATIONAL_LENGTH || national.length > MAX_NATIONAL_LENGTH) return { kind: 'none' };
  const validPlan = country === undefined ? mainPlan(callingCode)! : planFor(country)!;
  return { kind: 'number', e164: `+${callingCode}${national}`, country, valid: isValidFor(national, validPlan) };
}

/** The calling code at the start of `digits` (they are prefix-free) and what follows it; undefined when none starts it or it is non-geographic. */
function splitCallingCode(digits: string): [string, string] | undefined {
  for (let length = 1; length <= MAX_CALLING_CODE_LENGTH && length <= digits.length; length++) {
    const code = digits.slice(0, length);
    if (metadata.getCountryCodesForCallingCode(code) !== undefined) return [code, digits.slice(length)];
    if (metadata.isNonGeographicCallingCode(code)) return undefined;
  }
  return undefined;
}

/** withoutOwnCallingCode's answer when the digits are the number as they stand. */
const KEEP = Symbol('keep');

/**
 * A national number that starts with its own country's calling code but no
 * `+` (447911123456 read in GB): the digits after the code, when the library
 * would take them as the number; KEEP when it would not; undefined when a
 * rewrite rule decides. Mirrors extractCountryCallingCodeFromInternationalNumberWithoutPlusSign.
 */
function withoutOwnCallingCode(digits: string, plan: Plan): string | typeof KEEP | undefined {
  if (!digits.startsWith(plan.callingCode)) return KEEP;
  const shorter = digits.slice(plan.callingCode.length);
  const shorterNational = nationalNumber(shorter, plan);
  const wholeNational = nationalNumber(digits, plan);
  if (shorterNational === undefined || wholeNational === undefined) return undefined;
  if ((!plan.national.test(wholeNational) && plan.national.test(shorterNational)) || lengthVerdict(wholeNational, plan) === 'too long') {
    return shorter;
  }
  return KEEP;
}

/**
 * The national significant number: `digits` without the national prefix
 * (the 0 of 020, the 1 of 1-415-…) when taking it off leaves a possible
 * number. Mirrors extractNationalNumber; undefined where a rewrite rule applies.
 */
function nationalNumber(digits: string, plan: Plan): string | undefined {
  if (digits === '' || plan.prefixForParsing === undefined) return digits;
  const match = plan.prefixForParsing.exec(digits);
  if (match === null) return digits;
  const lastGroup = match.length - 1;
  const hasGroups = lastGroup > 0 && Boolean(match[lastGroup]);
  if (plan.hasTransformRule && hasGroups) return undefined;
  const stripped = digits.slice(match[0].length);
  if (stripped === digits) return digits;
  if (plan.national.test(digits) && !plan.national.test(stripped)) return digits;
  if (plan.lengths !== undefined) {
    const country = countryByCallingCode(plan.callingCode, stripped);
    const verdict = lengthVerdict(stripped, country === undefined ? plan : planFor(country)!);
    if (verdict === 'too short' || verdict === 'invalid length') return digits;
  }
  return stripped;
}

/** Which country sharing `callingCode` the number belongs to. Mirrors getCountryByCallingCode. */
function countryByCallingCode(callingCode: string, national: string): string | undefined {
  const countries = metadata.getCountryCodesForCallingCode(callingCode);
  if (countries === undefined) return undefined;
  if (countries.length === 1) return countries[0];
  for (const country of countries) {
    const plan = planFor(country)!;
    if (plan.leadingDigits !== undefined) {
      if (national !== '' && national.search(plan.leadingDigits) === 0) return country;
    } else if (hasNumberType(national, plan)) {
      return country;
    }
  }
  return undefined;
}

function isValidFor(national: string, plan: Plan): boolean {
  return plan.types === undefined ? plan.national.test(national) : hasNumberType(national, plan);
}

/** Whether getNumberType finds any type (fixed line, mobile, toll free…) for the number. */
function hasNumberType(national: string, plan: Plan): boolean {
  if (!plan.national.test(national)) return false;
  if (plan.types === undefined) return false;
  for (const type of plan.types) {
    if (type.lengths !== undefined && !type.lengths.includes(national.length)) continue;
    if (type.pattern.test(national)) return true;
  }
  return false;
}

type LengthVerdict = 'possible' | 'too short' | 'too long' | 'invalid length';

/** Mirrors checkNumberLength for no particular number type. */
function lengthVerdict(national: string, plan: Plan): LengthVerdict {
  const lengths = plan.lengths;
  if (lengths === undefined) return 'possible';
  const length = national.length;
  if (lengths[0] === length) return 'possible';
  if (lengths[0]! > length) return 'too short';
  if (lengths[lengths.length - 1]! < length) return 'too long';
  return lengths.indexOf(length, 1) >= 0 ? 'possible' : 'invalid length';
}

function mainPlan(callingCode: string): Plan | undefined {
  const countries = metadata.getCountryCodesForCallingCode(callingCode);
  return countries === undefined ? undefined : planFor(countries[0]!);
}

function planFor(country: string): Plan | undefined {
  return plans!.get(country);
}

function compilePlans(): Map<string, Plan> | null {
  try {
    const compiled = new Map<string, Plan>();
    for (const country of Object.keys(metadataJson.countries)) compiled.set(country, compilePlan(country));
    return compiled;
  } catch {
    return null;
  }
}

function compilePlan(country: string): Plan {
  metadata.selectNumberingPlan(country);
  const source = metadata.numberingPlan!;
  const whole = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`);
  const optional = (pattern: string | undefined): RegExp | undefined => (pattern ? new RegExp(pattern) : undefined);
  const prefix = source.nationalPrefixForParsing();
  let types: NumberType[] | undefined;
  if (source.hasTypes()) {
    types = [];
    for (const name of TYPE_NAMES) {
      const type = source.type(name);
      if (type === undefined || !type.pattern()) continue;
      types.push({ pattern: whole(type.pattern()), lengths: type.possibleLengths() });
    }
  }
  return {
    country,
    callingCode: source.callingCode(),
    national: whole(source.nationalNumberPattern()),
    lengths: source.possibleLengths(),
    prefixForParsing: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
    hasTransformRule: Boolean(source.nationalPrefixTransformRule()),
    idd: optional(source.IDDPrefix()),
    leadingDigits: optional(source.leadingDigits()),
    types,
  };
}
