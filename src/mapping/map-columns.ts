import { scalarQueryField } from '../model/query-fields.js';
import { CUSTOMER_FIELDS, type CustomerField } from '../model/customer-fields.js';
import type { Transform } from './apply-transform.js';
import { CUSTOMER_SYNONYMS, lookupSynonym } from './customer-synonyms.js';
import {
  formatTarget,
  parseTarget,
  type ColumnMapping,
  type ColumnTarget,
  type Confidence,
  type Mapping,
  type MappingConstant,
  type MultiValue,
  type SavedMapping,
} from './mapping-schema.js';
import { attributeName, comparableHeader, foldAccents, headerKey } from './normalize-header.js';
import { matchPresetColumn, type Preset } from './presets.js';

export interface MapColumnsOptions {
  /** From `--map "CSV column=target"`: column name → field, `attr.NAME` or `ignore`. */
  overrides?: Readonly<Record<string, string>>;
  /** A saved mapping (`--mapping`), matched to this header by column name. */
  saved?: SavedMapping;
  /** A recognised or named platform preset (`recognizePreset`, `getPreset`). */
  preset?: Preset | null;
  /** Drop columns nothing maps, instead of keeping them as attributes. */
  ignoreUnmapped?: boolean;
  /** The first data rows, if at hand: used to check ambiguous and guessed columns. */
  samples?: readonly (readonly string[])[];
}

/** A column that was not placed with confidence; the CLI lists these and suggests `--map`. */
export interface UnplacedColumn {
  index: number;
  header: string;
  target: ColumnTarget;
  /** `guessed`: from a partial name or sample values; `unrecognised`: kept by name as an attribute (or ignored); `duplicate`: lost its field to another column. */
  reason: 'guessed' | 'unrecognised' | 'duplicate';
}

export type MappingError =
  | { code: 'unknown-column'; column: string; message: string; hint: string; columnsFound: string[] }
  | { code: 'unknown-target'; column: string; target: string; message: string; hint: string; validTargets: string[] }
  | { code: 'duplicate-target'; column: string; target: string; message: string; hint: string; columnsFound: string[] };

export type MappingResult =
  | { ok: true; mapping: Mapping; warnings: string[]; unplaced: UnplacedColumn[] }
  | { ok: false; errors: MappingError[] };

interface Claim {
  index: number;
  header: string;
  target: ColumnTarget;
  confidence: Confidence;
  /** Lower wins a contested field: override, saved, preset, exact, strong, weak, guess, fallback. */
  priority: number;
  transform?: Transform;
  multi?: MultiValue;
}

const PRIORITY = { override: 0, saved: 1, preset: 2, exact: 3, strong: 4, weak: 5, guess: 6, fallback: 7 } as const;

/**
 * Maps each column of `header` to a customer field, an attribute or nothing.
 * Precedence: `--map` overrides, then the saved mapping, then the preset, then
 * header synonyms, then guesses. Two columns claiming one field: the stronger
 * claim wins (ties: the first column), the other becomes an attribute with a
 * warning. Returns errors (unknown column or target in `overrides`) as a value,
 * never throws.
 * @example mapColumns(['E-mail', 'Favourite Roast'], {}) // email (synonym), attr.favourite_roast
 */
export function mapColumns(header: readonly string[], options: MapColumnsOptions = {}): MappingResult {
  const overrides = resolveOverrides(header, options.overrides ?? {});
  if (!overrides.ok) return { ok: false, errors: overrides.errors };

  const warnings: string[] = [];
  const savedColumns = queueSavedColumns(options.saved);
  const claims: Claim[] = header.map((name, index) => {
    const override = overrides.targets.get(index);
    if (override !== undefined) return { index, header: name, target: override, confidence: 'override', priority: PRIORITY.override };
    const saved = savedColumns.get(comparableHeader(name))?.shift();
    if (saved !== undefined) {
      const target = parseTarget(saved.target) ?? { kind: 'ignore' };
      return withExtras({ index, header: name, target, confidence: 'saved', priority: PRIORITY.saved }, saved.transform, saved.multi);
    }
    const explicit = claimExplicitTarget(name, index);
    if (explicit !== null) return explicit;
    if (options.preset) {
      // A preset knows its platform: columns it does not list (Shopify metafields, HubSpot
      // custom properties, Square custom attributes) are kept by name, not guessed at.
      return claimByPreset(options.preset, name, index) ?? fallbackClaim(name, index, options.ignoreUnmapped === true);
    }
    return claimBySynonym(name, index, samplesOf(options.samples, index)) ?? fallbackClaim(name, index, options.ignoreUnmapped === true);
  });

  for (const [name, rest] of savedColumns) {
    if (rest.length > 0) warnings.push(`The saved mapping names column "${rest[0]?.header ?? name}", which this file does not have.`);
  }

  const unplaced: UnplacedColumn[] = [];
  const duplicate = resolveContestedFields(claims, header, warnings, unplaced);
  if (duplicate !== null) return { ok: false, errors: [duplicate] };
  makeAttributeNamesUnique(claims);

  for (const claim of claims) {
    if (claim.priority === PRIORITY.guess) unplaced.push({ index: claim.index, header: claim.header, target: claim.target, reason: 'guessed' });
    if (claim.priority === PRIORITY.fallback) unplaced.push({ index: claim.index, header: claim.header, target: claim.target, reason: 'unrecognised' });
  }
  unplaced.sort((a, b) => a.index - b.index);

  const columns: ColumnMapping[] = claims.map((claim) => ({
    index: claim.index,
    header: claim.header,
    target: claim.target,
    confidence: claim.confidence,
    ...(claim.transform === undefined ? {} : { transform: claim.transform }),
    ...(claim.multi === undefined ? {} : { multi: claim.multi }),
  }));
  const constantSource = options.saved?.constants ?? (options.preset ? options.preset.constants : undefined) ?? {};
  const constants: MappingConstant[] = [];
  for (const [text, value] of Object.entries(constantSource)) {
    const target = parseTarget(text);
    if (target !== null && target.kind !== 'ignore') constants.push({ target, value });
  }
  const presetName = options.saved?.preset ?? options.preset?.name ?? null;
  return { ok: true, mapping: { preset: presetName, columns, constants }, warnings, unplaced };
}

/**
 * Maps `header` with a saved mapping (matched by column name, never position);
 * columns the saved mapping does not name are mapped by synonyms and reported in
 * `unplaced`. Same result contract as `mapColumns`.
 */
export function applySavedMapping(header: readonly string[], saved: SavedMapping, options: Omit<MapColumnsOptions, 'saved'> = {}): MappingResult {
  return mapColumns(header, { ...options, saved });
}

function withExtras(claim: Claim, transform: Transform | undefined, multi: MultiValue | undefined): Claim {
  if (transform !== undefined) claim.transform = transform;
  if (multi !== undefined) claim.multi = multi;
  return claim;
}

function resolveOverrides(
  header: readonly string[],
  overrides: Readonly<Record<string, string>>,
): { ok: true; targets: Map<number, ColumnTarget> } | { ok: false; errors: MappingError[] } {
  const targets = new Map<number, ColumnTarget>();
  const errors: MappingError[] = [];
  const columnsFound = header.map((name) => name.replace(/^\uFEFF/, '').trim());
  for (const [column, text] of Object.entries(overrides)) {
    const index = findColumn(header, column);
    if (index === -1) {
      errors.push({
        code: 'unknown-column',
        column,
        message: `--map names column "${column}", which this file does not have.`,
        hint: `Columns found: ${columnsFound.join(', ')}.`,
        columnsFound,
      });
      continue;
    }
    const target = parseTarget(text);
    if (target === null) {
      const validTargets = [...CUSTOMER_FIELDS, 'attr.NAME', 'ignore'];
      errors.push({
        code: 'unknown-target',
        column,
        target: text,
        message: `--map "${column}=${text}": "${text}" is not a customer field.`,
        hint: `Use one of: ${validTargets.join(', ')}.`,
        validTargets,
      });
      continue;
    }
    targets.set(index, target);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, targets };
}

/** Index of a column named on the command line: exact, then trimmed case-insensitive, then by headerKey. */
export function findColumn(header: readonly string[], column: string): number {
  const exact = header.indexOf(column);
  if (exact !== -1) return exact;
  const comparable = header.findIndex((name) => comparableHeader(name) === comparableHeader(column));
  if (comparable !== -1) return comparable;
  const key = headerKey(column);
  return key === '' ? -1 : header.findIndex((name) => headerKey(name) === key);
}

function queueSavedColumns(saved: SavedMapping | undefined): Map<string, SavedMapping['columns']> {
  const queues = new Map<string, SavedMapping['columns']>();
  for (const column of saved?.columns ?? []) {
    const key = comparableHeader(column.header);
    const queue = queues.get(key) ?? [];
    queue.push(column);
    queues.set(key, queue);
  }
  return queues;
}

function claimByPreset(preset: Preset, name: string, index: number): Claim | null {
  const match = matchPresetColumn(preset, name);
  if (match === null) return null;
  const n = match.n === null ? '' : String(match.n);
  const target = parseTarget(match.column.target.replace('{n}', n)) ?? { kind: 'ignore' };
  const multi = match.column.multi === undefined
    ? undefined
    : { rank: match.column.multi.rank < 0 ? (match.n ?? 0) : match.column.multi.rank, extras: match.column.multi.extras };
  return withExtras({ index, header: name, target, confidence: 'preset', priority: PRIORITY.preset }, match.column.transform, multi);
}

const HONORIFICS = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'sir', 'madam', 'dame', 'lord', 'lady', 'rev', 'herr', 'frau', 'fr', 'hr', 'fru', 'mme', 'mlle', 'm', 'sr', 'sra', 'srta', 'don', 'dona', 'dott', 'sig']);
const STATUS_WORDS = new Set(['active', 'inactive', 'open', 'closed', 'pending', 'new', 'done', 'subscribed', 'unsubscribed', 'cleaned', 'archived', 'enabled', 'disabled', 'draft', 'paid', 'won', 'lost', 'true', 'false', 'yes', 'no', 'blocked']);
const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_LIKE = /^[+('\d][\d\s().\-/]{5,}$/;

/** A column's sample values as the importer will see them: trimmed, Excel's protective apostrophe dropped, blanks skipped. */
function samplesOf(samples: MapColumnsOptions['samples'], index: number): string[] {
  return (samples ?? []).map((row) => (row[index] ?? '').trim().replace(/^'/, '')).filter((value) => value !== '');
}

function share(values: readonly string[], test: (value: string) => boolean): number {
  return values.length === 0 ? 0 : values.filter(test).length / values.length;
}

/**
 * Headers that name their target outright, as custdb's own exports write them: `attr.NAME`, `external_ids`,
 * and the computed fields (`orders_count`, `total_spent`, …), which orders decide: an export imported again
 * must not turn them into custom fields that go stale.
 */
function claimExplicitTarget(name: string, index: number): Claim | null {
  const field = scalarQueryField(name.trim().toLowerCase());
  // `currency` alone is an ordinary column in other tools' customer files (Stripe's); custdb's computed names have an underscore.
  if (field?.computed === true && field.name.includes('_')) return { index, header: name, target: { kind: 'ignore' }, confidence: 'exact', priority: PRIORITY.exact };
  if (!/^attr\.|^external_ids$/i.test(name.trim())) return null;
  const target = parseTarget(name);
  return target === null ? null : { index, header: name, target, confidence: 'exact', priority: PRIORITY.exact };
}

function claimBySynonym(name: string, index: number, samples: readonly string[]): Claim | null {
  const hit = lookupSynonym(name);
  // A header that is the field's own name ("phone") is taken at its word; synonyms must fit the samples.
  if (hit !== null && hit.strength !== 'exact' && samplesContradict(hit.field, samples)) return null;
  if (hit !== null && hit.strength === 'weak' && !weakSynonymHolds(hit.field, samples)) return null;
  if (hit !== null) {
    const confidence: Confidence = hit.strength === 'exact' ? 'exact' : 'synonym';
    const priority = hit.strength === 'exact' ? PRIORITY.exact : hit.strength === 'strong' ? PRIORITY.strong : PRIORITY.weak;
    return withExtras({ index, header: name, target: { kind: 'field', field: hit.field }, confidence, priority }, defaultTransform(hit.field), undefined);
  }
  const guessed = guessByWords(name) ?? guessBySamples(samples);
  if (guessed === null || samplesContradict(guessed, samples)) return null;
  return withExtras({ index, header: name, target: { kind: 'field', field: guessed }, confidence: 'guess', priority: PRIORITY.guess }, defaultTransform(guessed), undefined);
}

/** Sample values that plainly are not what the field holds (a "Mail" column of yes/no, a "Phone" column of words). */
function samplesContradict(field: CustomerField, samples: readonly string[]): boolean {
  if (samples.length === 0) return false;
  if (field === 'email') return share(samples, (value) => value.includes('@')) < 0.5;
  if (field === 'phone') return share(samples, (value) => PHONE_LIKE.test(value)) < 0.5;
  return false;
}

/** Rules for ambiguous bare headers; see CUSTOMER_SYNONYMS. */
function weakSynonymHolds(field: CustomerField, samples: readonly string[]): boolean {
  if (field === 'job_title') return share(samples, (value) => HONORIFICS.has(foldAccents(value).replace(/\.$/, ''))) < 0.5;
  if (field === 'region') return share(samples, (value) => STATUS_WORDS.has(value.toLowerCase())) < 0.5;
  return true;
}

function defaultTransform(field: CustomerField): Transform | undefined {
  if (field === 'phone' || field === 'postal_code' || field === 'external_id') return { kind: 'strip-apostrophe' };
  if (field === 'tags') return { kind: 'split-list', separators: [',', ';'] };
  return undefined;
}

function words(text: string): string[] {
  const spaced = /[\s_.-]/.test(text) ? text : text.replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1 $2');
  return foldAccents(spaced).split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
}

// Words that turn "… Email" into something other than an email address ("Has Opted Out Of Email").
const NEGATING_WORDS = new Set(['opted', 'opt', 'out', 'consent', 'accepts', 'marketing', 'subscribed', 'unsubscribed', 'bounced', 'verified', 'status', 'type', 'label', 'count', 'id', 'do', 'not', 'no', 'is', 'has']);

const GUESS_SUFFIXES: readonly { words: string[]; field: CustomerField }[] = (() => {
  const list: { words: string[]; field: CustomerField }[] = [];
  for (const field of CUSTOMER_FIELDS) {
    for (const synonym of [field.replace(/_/g, ' '), ...CUSTOMER_SYNONYMS[field].strong]) {
      const synonymWords = words(synonym);
      // Short words end too many unrelated headers ("Support" ends in "ort", "Island" in "land").
      if (synonymWords.join('').length >= 4 || synonym === 'zip') list.push({ words: synonymWords, field });
    }
  }
  return list.sort((a, b) => b.words.join('').length - a.words.join('').length);
})();

/** "Customer Email", "Card Address City", "Default Address Zip": a header that ends with a known synonym. */
function guessByWords(name: string): CustomerField | null {
  const headerWords = words(name);
  if (headerWords.some((word) => NEGATING_WORDS.has(word))) return null;
  for (const suffix of GUESS_SUFFIXES) {
    if (headerWords.length <= suffix.words.length) continue;
    const tail = headerWords.slice(headerWords.length - suffix.words.length);
    if (tail.every((word, position) => word === suffix.words[position])) return suffix.field;
  }
  return null;
}

function guessBySamples(samples: readonly string[]): CustomerField | null {
  if (samples.length >= 2 && share(samples, (value) => EMAIL_LIKE.test(value)) >= 0.8) return 'email';
  return null;
}

function fallbackClaim(name: string, index: number, ignoreUnmapped: boolean): Claim {
  const target: ColumnTarget = ignoreUnmapped ? { kind: 'ignore' } : { kind: 'attribute', name: attributeName(name, index) };
  return { index, header: name, target, confidence: 'guess', priority: PRIORITY.fallback };
}

/**
 * One column per field, except multi-value groups: the strongest claim wins
 * (ties: the first column); losers become attributes. Two `--map` overrides
 * naming the same field is an error.
 */
function resolveContestedFields(claims: Claim[], header: readonly string[], warnings: string[], unplaced: UnplacedColumn[]): MappingError | null {
  const byField = new Map<CustomerField, Claim[]>();
  for (const claim of claims) {
    if (claim.target.kind !== 'field') continue;
    const list = byField.get(claim.target.field) ?? [];
    list.push(claim);
    byField.set(claim.target.field, list);
  }
  for (const [field, contenders] of byField) {
    if (contenders.length < 2) continue;
    const ranked = [...contenders].sort((a, b) => a.priority - b.priority || a.index - b.index);
    const winner = ranked[0];
    if (winner === undefined) continue;
    const keepsGroup = winner.multi !== undefined;
    for (const loser of ranked.slice(1)) {
      if (keepsGroup && loser.multi !== undefined && loser.priority === winner.priority) continue;
      if (loser.priority === PRIORITY.override && winner.priority === PRIORITY.override) {
        const columnsFound = header.map((name) => name.trim());
        return {
          code: 'duplicate-target',
          column: loser.header,
          target: field,
          message: `--map sends both "${winner.header}" and "${loser.header}" to ${field}.`,
          hint: `Map one of them to attr.NAME or ignore instead.`,
          columnsFound,
        };
      }
      loser.target = { kind: 'attribute', name: attributeName(loser.header, loser.index) };
      delete loser.multi;
      if (loser.transform !== undefined && loser.transform.kind !== 'strip-apostrophe') delete loser.transform;
      if (loser.priority >= PRIORITY.guess) {
        loser.priority = PRIORITY.fallback;
        continue;
      }
      warnings.push(`Columns "${winner.header}" and "${loser.header}" both look like ${field}; using "${winner.header}", keeping "${loser.header}" as ${formatTarget(loser.target)}.`);
      unplaced.push({ index: loser.index, header: loser.header, target: loser.target, reason: 'duplicate' });
    }
  }
  return null;
}

function makeAttributeNamesUnique(claims: Claim[]): void {
  const taken = new Set<string>();
  for (const claim of claims) {
    if (claim.target.kind !== 'attribute') continue;
    let name = claim.target.name;
    for (let suffix = 2; taken.has(name); suffix += 1) name = `${claim.target.name}_${suffix}`;
    taken.add(name);
    claim.target = { kind: 'attribute', name };
  }
}
