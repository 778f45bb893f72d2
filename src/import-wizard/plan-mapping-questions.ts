import type { UnplacedColumn } from '../mapping/map-columns.js';
import { formatTarget, type Mapping } from '../mapping/mapping-schema.js';
import { attributeName } from '../mapping/normalize-header.js';
import { CUSTOMER_FIELDS, IDENTIFYING_FIELDS, type CustomerField } from '../model/customer-fields.js';

/** How sure the automatic mapping is of one column. */
export type ColumnStatus =
  /** A preset, an exact name or a known synonym, and the sample values agree. */
  | 'sure'
  /** From part of the header ("Customer Email") or from the values alone. */
  | 'guessed'
  /** Nothing matched: kept by name as a custom field (or ignored with --ignore-unmapped). */
  | 'unrecognised'
  /** Looked like a field another column took. */
  | 'duplicate'
  /** A known synonym whose sample values say otherwise (a "Contact" column of email addresses). */
  | 'doubtful';

export interface WizardColumn {
  index: number;
  header: string;
  /** Up to three distinct, non-empty sample values. */
  samples: string[];
  /** Where the automatic mapping puts it: `email`, `attr.NAME`, `ignore`. */
  target: string;
  status: ColumnStatus;
  /** What the sample values look like, when they plainly look like one field. */
  looksLike: CustomerField | null;
}

export interface TargetChoice {
  /** A target as `--map` takes it (`email`, `attr.NAME`, `ignore`), or CUSTOM_ATTRIBUTE. */
  value: string;
  label: string;
  note?: string;
}

export interface MappingQuestion {
  column: WizardColumn;
  /** The answer offered first: the values' look when plain, else the automatic mapping's. */
  suggestion: string;
  /** True when the sample values point at a field (they look like emails, phones, names or dates). */
  valuesPointAtField: boolean;
  choices: TargetChoice[];
}

export interface MappingQuestionPlan {
  columns: WizardColumn[];
  /** Columns to confirm one by one: guesses, doubtful and duplicate columns, and unrecognised ones a value pattern explains (or all unrecognised ones when nothing identifies a customer for sure). */
  questions: MappingQuestion[];
  /** Unrecognised columns offered as custom fields in one go (asked one by one if the user declines). */
  keepAsAttributes: MappingQuestion[];
  /** True when a column the mapping is sure of holds email, phone, a name or an external id. */
  identifierConfident: boolean;
}

/** The choice that asks for a custom field name instead of naming a target. */
export const CUSTOM_ATTRIBUTE = 'attr.*';

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_LIKE = /^\+?[\d\s().\-/]{7,}$/;
const DATE_LIKE = /^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4})(?:[ T].*)?$/;
const NAME_LIKE = /^\p{Lu}[\p{L}'’.-]*(?:\s+\p{Lu}[\p{L}'’.-]*)+$/u;
const SAMPLES_SHOWN = 3;

/**
 * From a header, its first rows and the automatic mapping (`mapColumns`),
 * decides what the mapping wizard shows and asks: every column with sample
 * values and its target, the columns to confirm one by one (each with its
 * choices, most likely first), the unrecognised ones to keep as custom fields
 * in one go, and whether a column surely identifies a customer. Pure.
 * @example planMappingQuestions(['Mob.'], [['07700 900123']], mapped).questions[0].suggestion // 'phone'
 */
export function planMappingQuestions(
  header: readonly string[],
  samples: readonly (readonly string[])[],
  mapped: { mapping: Mapping; unplaced: readonly UnplacedColumn[] },
): MappingQuestionPlan {
  const unplaced = new Map(mapped.unplaced.map((u) => [u.index, u.reason]));
  const columns: WizardColumn[] = mapped.mapping.columns.map((column) => {
    const values = sampleValues(samples, column.index);
    const target = formatTarget(column.target);
    const looksLike = valuesLookLike(values);
    let status: ColumnStatus = unplaced.get(column.index) ?? 'sure';
    if (status === 'sure' && column.target.kind === 'field' && contradicts(column.target.field, looksLike)) status = 'doubtful';
    return { index: column.index, header: header[column.index] ?? column.header, samples: distinct(values).slice(0, SAMPLES_SHOWN), target, status, looksLike };
  });

  const taken = new Map<string, string>();
  for (const column of columns) if (column.status === 'sure' && !column.target.startsWith('attr.') && column.target !== 'ignore') taken.set(column.target, column.header);
  const identifierConfident = [...taken.keys()].some(isIdentifying);

  const questions: MappingQuestion[] = [];
  const keepAsAttributes: MappingQuestion[] = [];
  for (const column of columns) {
    if (column.status === 'sure') continue;
    const question = buildQuestion(column, taken);
    if (column.status === 'unrecognised' && identifierConfident && !question.valuesPointAtField) keepAsAttributes.push(question);
    else questions.push(question);
  }
  return { columns, questions, keepAsAttributes, identifierConfident };
}

/** The choices for one column, most likely first; usable for any column (the wizard's "change another column"). */
export function buildQuestion(column: WizardColumn, taken: ReadonlyMap<string, string>, only?: readonly string[]): MappingQuestion {
  const lookAlike = column.looksLike !== null && (!taken.has(column.looksLike) || taken.get(column.looksLike) === column.header) ? column.looksLike : null;
  const attribute = column.target.startsWith('attr.') ? column.target : `attr.${attributeName(column.header, column.index)}`;
  const ownTargetFree = !taken.has(column.target) || taken.get(column.target) === column.header;
  const suggestion = lookAlike ?? (ownTargetFree ? column.target : attribute);
  const likely = likelyFields(column);
  const ordered = [suggestion, column.target, ...likely, ...IDENTIFYING_FIELDS, ...CUSTOMER_FIELDS, attribute, CUSTOM_ATTRIBUTE, 'ignore'];
  const choices: TargetChoice[] = [];
  for (const value of ordered) {
    if (choices.some((choice) => choice.value === value)) continue;
    if (only !== undefined && !only.includes(value)) continue;
    choices.push(describeChoice(value, column, suggestion, taken));
  }
  return {
    column,
    suggestion: only === undefined || only.includes(suggestion) ? suggestion : (choices[0]?.value ?? suggestion),
    valuesPointAtField: lookAlike !== null || likely.length > 0,
    choices,
  };
}

/** True for targets that identify a customer on their own (email, phone, a name, an external id or custdb's `external_ids`). */
export function isIdentifying(target: string): boolean {
  return target === 'external_ids' || (IDENTIFYING_FIELDS as readonly string[]).includes(target);
}

function describeChoice(value: string, column: WizardColumn, suggestion: string, taken: ReadonlyMap<string, string>): TargetChoice {
  const notes: string[] = [];
  if (value === suggestion) {
    if (value === column.looksLike && value !== column.target) notes.push(`the values look like ${describeField(value)}`);
    else if (value === column.target) notes.push("custdb's guess");
    else notes.push(`suggested: ${column.target} comes from another column`);
  }
  else if (value === column.target) notes.push('as mapped now');
  const owner = taken.get(value);
  if (owner !== undefined && owner !== column.header) notes.push(`now from "${owner}", which would become a custom field`);
  const label = value === CUSTOM_ATTRIBUTE ? 'a custom field with a name you choose…' : value === 'ignore' ? 'ignore (do not import this column)' : value.startsWith('attr.') ? `${value} (custom field)` : value;
  return notes.length > 0 ? { value, label, note: notes.join('; ') } : { value, label };
}

function describeField(field: string): string {
  if (field === 'email') return 'email addresses';
  if (field === 'phone') return 'phone numbers';
  if (field === 'full_name') return 'full names';
  return field.replace(/_/g, ' ');
}

/** Fields the values or the header's words make likely, beyond the one the values plainly match. */
function likelyFields(column: WizardColumn): string[] {
  if (column.samples.length > 0 && column.samples.every((value) => DATE_LIKE.test(value))) {
    return /birth|dob|born|geburt|naissance|nacimiento/i.test(column.header) ? ['birth_date', 'signup_date'] : ['signup_date', 'birth_date'];
  }
  return [];
}

/** The field a column's values plainly are (80% of the non-empty samples, at least two). */
function valuesLookLike(values: readonly string[]): CustomerField | null {
  if (values.length < 2) return null;
  const share = (test: RegExp) => values.filter((value) => test.test(value)).length / values.length;
  if (share(EMAIL_LIKE) >= 0.8) return 'email';
  if (share(DATE_LIKE) >= 0.8) return null;
  if (share(PHONE_LIKE) >= 0.8 && values.every((value) => value.replace(/\D/g, '').length >= 7)) return 'phone';
  if (share(NAME_LIKE) >= 0.8) return 'full_name';
  return null;
}

/** A sure mapping the values plainly contradict: email addresses in a name column, phone numbers in an email column. */
function contradicts(field: CustomerField, looksLike: CustomerField | null): boolean {
  if (looksLike === null || looksLike === field) return false;
  return looksLike === 'email' || looksLike === 'phone' || field === 'email' || field === 'phone';
}

function sampleValues(samples: readonly (readonly string[])[], index: number): string[] {
  return samples.map((row) => (row[index] ?? '').trim().replace(/^'/, '')).filter((value) => value !== '');
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)];
}
