import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Dialect } from './dialect.js';
import type { Migration } from './compare-migrations.js';

/** schema/ sits at the package root, two levels above both src/db and dist/db. */
const SCHEMA_ROOT = fileURLToPath(new URL('../../schema/', import.meta.url));

/** Reads the migrations this build ships for a dialect, ordered by file name ("0001-initial.sql" → "0001-initial"). */
export function loadMigrations(dialect: Dialect): Migration[] {
  const folder = path.join(SCHEMA_ROOT, dialect.schemaFolder);
  return readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({ name: file.slice(0, -'.sql'.length), sql: readFileSync(path.join(folder, file), 'utf8') }));
}
