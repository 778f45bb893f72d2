import { existsSync, readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Store } from '../db/store.js';
import type { Database } from '../db/tables.js';
import { InputFileError, NotFoundError, UsageError } from '../errors.js';
import { IMPORT_KINDS, type ImportKind } from '../mapping/mapping-schema.js';

/**
 * Mappings saved by name (`--save-mapping NAME`, the saved_mappings table) or
 * written as JSON files, for every kind of import file. A mapping is for one
 * kind (the table's `kind` column, the JSON's `"kind"`): used for another, it
 * is refused, naming its kind.
 */

/**
 * Reads `--mapping NAME|FILE.json` for an import of `kind`: a JSON file if one
 * exists at that path, else the mapping saved under that name, checked with
 * `schema` (each kind's own). Throws NotFoundError, InputFileError or
 * UsageError (exit 2) naming the fix: no such mapping, not JSON, a mapping
 * for another kind of file, not a valid mapping.
 */
export async function loadSavedMapping<T>(store: Store, nameOrFile: string, kind: ImportKind, schema: z.ZodType<T>, example: string): Promise<T> {
  let json: unknown;
  let where: string;
  let savedKind: string | undefined;
  let isFor: string;
  if (existsSync(nameOrFile)) {
    where = nameOrFile;
    isFor = `${nameOrFile} is a mapping for`;
    try {
      json = JSON.parse(readFileSync(nameOrFile, 'utf8'));
    } catch (error) {
      throw new InputFileError(`${nameOrFile} is not valid JSON: ${(error as Error).message}.`, { hint: 'Fix the file, or save a mapping with --save-mapping NAME.' });
    }
    const stated = typeof json === 'object' && json !== null && 'kind' in json ? json.kind : undefined;
    if (typeof stated === 'string' && (IMPORT_KINDS as readonly string[]).includes(stated)) savedKind = stated;
  } else {
    const row = await store.db.selectFrom('saved_mappings').select(['kind', 'mapping_json']).where('name', '=', nameOrFile).executeTakeFirst();
    if (!row) {
      const saved = await store.db.selectFrom('saved_mappings').select(['name', 'kind']).orderBy('name').execute();
      throw new NotFoundError(`There is no mapping file or saved mapping called ${nameOrFile}.`, {
        hint: saved.length > 0 ? `Saved mappings: ${saved.map((m) => (m.kind === kind ? m.name : `${m.name} (${m.kind})`)).join(', ')}.` : 'Save one with --save-mapping NAME on an import that maps the way you want.',
      });
    }
    where = `saved mapping ${nameOrFile}`;
    isFor = `The saved mapping ${nameOrFile} is for`;
    savedKind = row.kind;
    json = JSON.parse(row.mapping_json);
  }
  if (savedKind !== undefined && savedKind !== kind) {
    throw new UsageError(`${isFor} ${savedKind} files, not ${kind}.`, {
      hint: `Import the file with --as ${savedKind} if it holds ${savedKind}; for ${kind}, map it with --map "COLUMN=FIELD" and save that under another name with --save-mapping NAME.`,
    });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`${where} is not a valid mapping: ${issue.path.join('.')}: ${issue.message}.`, { hint: `A mapping looks like ${example}.` });
  }
  return parsed.data;
}

/**
 * Refuses `--save-mapping NAME` when NAME is saved for another kind of file:
 * replacing it would break the imports that use it. Checked before anything is written.
 */
export async function refuseNameOfOtherKind(store: Store, name: string, kind: ImportKind): Promise<void> {
  const row = await store.db.selectFrom('saved_mappings').select('kind').where('name', '=', name).executeTakeFirst();
  if (row === undefined || row.kind === kind) return;
  throw new UsageError(`A mapping called ${name} is already saved for ${row.kind} files; --save-mapping ${name} would replace it with a mapping for ${kind}.`, {
    hint: `Save this one under another name, e.g. --save-mapping ${name}-${kind}.`,
  });
}

/** Stores a mapping for `kind` files under `name` (replacing one of the same name and kind), on the import's transaction. */
export async function saveMapping(db: Kysely<Database>, name: string, kind: ImportKind, mapping: unknown, now: string): Promise<void> {
  const json = JSON.stringify(mapping);
  await db
    .insertInto('saved_mappings')
    .values({ name, kind, mapping_json: json, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ mapping_json: json, updated_at: now }))
    .execute();
}
