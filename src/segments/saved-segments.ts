import type { Kysely } from 'kysely';
import { recordEvent } from '../audit/record-event.js';
import { redactFilter } from '../audit/redact-filter.js';
import { nowIso } from '../db/clock.js';
import type { Store } from '../db/store.js';
import type { Database } from '../db/tables.js';
import { NotFoundError, UsageError } from '../errors.js';
import { checkFilter } from '../filter/check-filter.js';
import { parseFilter } from '../filter/parse-filter.js';
import { closestNames } from '../filter/suggest-closest.js';

/**
 * A saved segment: a name for a filter, evaluated whenever it is used (its
 * members change as the data does). Names are kept in lower case, so "VIP"
 * and "vip" are one segment.
 */
export interface SavedSegment {
  name: string;
  where: string;
  description: string | null;
  createdAt: string;
  updatedAt: string;
}

const NAME = /^[a-z0-9][a-z0-9 ._-]{0,63}$/;

/** The stored form of a segment name, or a UsageError saying what a name may hold. */
export function segmentName(typed: string): string {
  const name = typed.trim().toLowerCase();
  if (!NAME.test(name) || name.endsWith(' ')) {
    throw new UsageError(`"${typed}" cannot be a segment name.`, {
      hint: 'Use up to 64 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit, e.g. vip or lapsing-90d.',
    });
  }
  return name;
}

/** Every saved segment, by name. */
export async function listSegments(db: Kysely<Database>): Promise<SavedSegment[]> {
  const rows = await db.selectFrom('segments').selectAll().orderBy('name').execute();
  return rows.map((row) => ({ name: row.name, where: row.where_expr, description: row.description, createdAt: row.created_at, updatedAt: row.updated_at }));
}

/** The filter text of each saved segment, for compiling `in segment "…"`. */
export async function segmentDefinitions(db: Kysely<Database>): Promise<Map<string, string>> {
  return new Map((await listSegments(db)).map((segment) => [segment.name, segment.where]));
}

/** One saved segment; NotFoundError naming the closest names when there is none by that name. */
export async function findSegment(db: Kysely<Database>, typed: string): Promise<SavedSegment> {
  const all = await listSegments(db);
  const name = typed.trim().toLowerCase();
  const found = all.find((segment) => segment.name === name);
  if (found) return found;
  throw new NotFoundError(`There is no segment called "${typed}".`, { hint: unknownSegmentHint(name, all.map((segment) => segment.name)) });
}

function unknownSegmentHint(name: string, names: readonly string[]): string {
  if (names.length === 0) return 'No segments are saved yet: custdb segment add NAME --where EXPR.';
  const close = closestNames(name, names);
  return close.length > 0 ? `Did you mean ${close.map((n) => `"${n}"`).join(' or ')}? See custdb segment list.` : 'See custdb segment list.';
}

export interface SegmentChange {
  where?: string;
  description?: string | null;
  rename?: string;
}

/**
 * Saves a new segment after checking its filter: it must compile, and every
 * segment it names must exist without leading back to it. Throws UsageError
 * (name taken, bad name) or the filter's own FilterError; writes nothing then.
 */
export async function addSegment(store: Store, typed: { name: string; where: string; description: string | null }, actor: string): Promise<SavedSegment> {
  const name = segmentName(typed.name);
  return store.transaction(async (trx) => {
    const definitions = await segmentDefinitions(trx);
    if (definitions.has(name)) {
      throw new UsageError(`There is already a segment called "${name}".`, { hint: `Change it with: custdb segment edit "${name}" --where EXPR` });
    }
    checkDefinition(typed.where, (other) => (other.toLowerCase() === name ? typed.where : definitions.get(other.toLowerCase())), [...definitions.keys(), name]);
    const at = nowIso();
    await trx.insertInto('segments').values({ name, where_expr: typed.where, description: typed.description, created_at: at, updated_at: at }).execute();
    await recordEvent(trx, { actor, command: 'segment add', summary: `segment ${name}: ${redactFilter(typed.where)}`, details: { name, where: redactFilter(typed.where) } });
    return { name, where: typed.where, description: typed.description, createdAt: at, updatedAt: at };
  });
}

/**
 * Changes a segment's filter, description or name, checked as `addSegment`
 * checks a new one; the segments that name it are checked again too, so an
 * edit cannot make a cycle or leave another segment naming one that is gone.
 */
export async function editSegment(store: Store, typed: string, change: SegmentChange, actor: string): Promise<SavedSegment> {
  return store.transaction(async (trx) => {
    const current = await findSegment(trx, typed);
    const name = change.rename === undefined ? current.name : segmentName(change.rename);
    const definitions = await segmentDefinitions(trx);
    if (name !== current.name) {
      if (definitions.has(name)) throw new UsageError(`There is already a segment called "${name}".`, { hint: 'Choose another name, or remove that segment first.' });
      const users = [...definitions].filter(([other, where]) => other !== current.name && namesSegment(where, current.name, definitions));
      if (users.length > 0) {
        throw new UsageError(`Segment "${current.name}" is used by ${users.map(([other]) => `"${other}"`).join(', ')}, so it keeps its name.`, {
          hint: `Edit ${users.length > 1 ? 'those segments' : 'that segment'} first, or add a new segment under the new name.`,
        });
      }
    }
    const where = change.where ?? current.where;
    definitions.delete(current.name);
    definitions.set(name, where);
    for (const otherWhere of definitions.values()) checkDefinition(otherWhere, (n) => definitions.get(n.toLowerCase()), [...definitions.keys()]);
    const description = change.description === undefined ? current.description : change.description;
    const at = nowIso();
    await trx
      .updateTable('segments')
      .set({ name, where_expr: where, description, updated_at: at })
      .where('name', '=', current.name)
      .execute();
    await recordEvent(trx, {
      actor,
      command: 'segment edit',
      summary: `segment ${current.name}${name !== current.name ? ` → ${name}` : ''}: ${redactFilter(where)}`,
      details: { name: current.name, renamed: name !== current.name ? name : undefined, before: redactFilter(current.where), where: redactFilter(where) },
    });
    return { name, where, description, createdAt: current.createdAt, updatedAt: at };
  });
}

/** Removes a segment; refuses while another segment names it. */
export async function removeSegment(store: Store, typed: string, actor: string): Promise<SavedSegment> {
  return store.transaction(async (trx) => {
    const current = await findSegment(trx, typed);
    const definitions = await segmentDefinitions(trx);
    const users = [...definitions].filter(([other, where]) => other !== current.name && namesSegment(where, current.name, definitions));
    if (users.length > 0) {
      throw new UsageError(`Segment "${current.name}" is used by ${users.map(([other]) => `"${other}"`).join(', ')}.`, {
        hint: `Edit or remove ${users.length > 1 ? 'those segments' : 'that segment'} first.`,
      });
    }
    await trx.deleteFrom('segments').where('name', '=', current.name).execute();
    await recordEvent(trx, { actor, command: 'segment rm', summary: `segment ${current.name} removed (was: ${redactFilter(current.where)})`, details: { name: current.name, where: redactFilter(current.where) } });
    return current;
  });
}

/** Whether filter `where` reaches segment `name`, directly or through other segments. */
function namesSegment(where: string, name: string, definitions: ReadonlyMap<string, string>): boolean {
  let reached = false;
  const lookUp = (other: string) => {
    if (other.toLowerCase() === name) reached = true;
    return definitions.get(other.toLowerCase());
  };
  checkDefinition(where, lookUp, [...definitions.keys()]);
  return reached;
}

/**
 * Checks a segment's filter as it would be compiled today: fields, values and
 * every segment it reaches through `in segment`, refusing cycles (FilterError).
 */
function checkDefinition(where: string, segmentFilter: (name: string) => string | undefined, segmentNames: readonly string[]): void {
  checkFilter(parseFilter(where), { asOf: new Date().toISOString().slice(0, 10), segmentFilter, segmentNames });
}
