import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(SRC, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(SRC, path.join(entry.parentPath, entry.name)));
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(SRC, file), 'utf8');
  return [...text.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms), ...text.matchAll(/import\('([^']+)'\)/g)].map((m) => m[1]!);
}

/** Where an import of `file` points, as a path under src/ (or the package name for bare imports). */
function target(file: string, specifier: string): string {
  return specifier.startsWith('.') ? path.relative(SRC, path.resolve(path.dirname(path.join(SRC, file)), specifier)) : specifier;
}

describe('dependencies point one way: cli → capabilities → normalize, db', () => {
  it('reads the whole source tree (so the checks below cannot pass on nothing)', () => {
    expect(sourceFiles('.').length).toBeGreaterThan(100);
    expect(sourceFiles('normalize')).toContain('normalize/parse-phone.ts');
    expect(importsOf('cli/prompts.ts')).toContain('@inquirer/prompts');
  });

  it('only src/cli imports from src/cli', () => {
    const offenders = sourceFiles('.')
      .filter((file) => !file.startsWith('cli/'))
      .flatMap((file) => importsOf(file).filter((s) => target(file, s).startsWith('cli/')).map((s) => `${file} → ${s}`));
    expect(offenders).toEqual([]);
  });

  it('pure rule folders (normalize, dedupe, mapping) import no fs, process, database or terminal library', () => {
    const forbidden = /^(node:fs|node:child_process|node:worker_threads|better-sqlite3|kysely|chalk|cli-table3|cli-progress|@inquirer\/prompts|commander)/;
    const offenders = ['normalize', 'dedupe', 'mapping']
      .flatMap(sourceFiles)
      .flatMap((file) => importsOf(file).filter((s) => forbidden.test(s)).map((s) => `${file} → ${s}`));
    expect(offenders).toEqual([]);
  });

  it('@inquirer/prompts is imported only by src/cli/prompts.ts, so tests can script every answer', () => {
    const importers = sourceFiles('.').filter((file) => importsOf(file).some((s) => s.startsWith('@inquirer/')));
    expect(importers).toEqual(['cli/prompts.ts']);
  });

  it('only src/cli/main.ts touches process.stdout, stderr, env, argv or exit', () => {
    const offenders = sourceFiles('.').filter(
      (file) => file !== 'cli/main.ts' && /\bprocess\.(stdout|stderr|stdin|env|argv|exit|exitCode)\b/.test(readFileSync(path.join(SRC, file), 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe('kinds of import are siblings under one pipeline, not floors', () => {
  it('the pipeline (src/import) and identity resolution (src/identity) import no kind’s folder, and no kind imports another’s', () => {
    const kinds = ['orders/', 'interactions/'];
    const offenders = [...sourceFiles('import'), ...sourceFiles('identity'), ...kinds.flatMap((kind) => sourceFiles(kind))].flatMap((file) =>
      importsOf(file)
        .filter((s) => kinds.some((kind) => target(file, s).startsWith(kind) && !file.startsWith(kind)))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('notices a kind (so the check above cannot pass on nothing)', () => {
    expect(importsOf('orders/import-orders.ts')).toContain('../import/run-import.js');
  });
});

describe('the store is sealed: drivers and dialect SQL stay in src/db', () => {
  const drivers = /^(better-sqlite3(-multiple-ciphers)?|pg|pg-copy-streams|pg-cursor)$/;
  /** What only one dialect spells this way: SQLite's pragmas, catalogue, locking, conflict clause, row ids and date functions, and a reach for the raw handle. */
  const dialectSql = /\bPRAGMA\b|sqlite_master|sqlite_schema|BEGIN IMMEDIATE|INSERT OR (IGNORE|REPLACE)|\browid\b|julianday\(|\bstore\.sqlite\b|pg_catalog|::regclass|\bpg_advisory/i;

  it('no capability, command or rule imports a database driver', () => {
    const offenders = sourceFiles('.')
      .filter((file) => !file.startsWith('db/'))
      .flatMap((file) => importsOf(file).filter((s) => drivers.test(s)).map((s) => `${file} → ${s}`));
    expect(offenders).toEqual([]);
  });

  it('inside src/db, better-sqlite3 is imported only under db/sqlite/ and pg only under db/postgres/', () => {
    const offenders = sourceFiles('db').flatMap((file) =>
      importsOf(file)
        .filter((s) => (s.startsWith('better-sqlite3') && !file.startsWith('db/sqlite/')) || (/^pg(-|$)/.test(s) && !file.startsWith('db/postgres/')))
        .map((s) => `${file} → ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('no dialect-specific SQL appears outside src/db', () => {
    const offenders = sourceFiles('.')
      .filter((file) => !file.startsWith('db/'))
      .filter((file) => dialectSql.test(readFileSync(path.join(SRC, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the reports (src/reports) import no kysely: their queries are in src/db/report-queries.ts', () => {
    const offenders = sourceFiles('reports').flatMap((file) => importsOf(file).filter((s) => s === 'kysely').map((s) => `${file} → ${s}`));
    expect(offenders).toEqual([]);
    // So this cannot pass on nothing: the builders are read, and they reach the queries through src/db.
    expect(importsOf('reports/build-summary-report.ts')).toContain('../db/report-queries.js');
  });

  it('notices a crossing (so the checks above cannot pass on nothing)', () => {
    expect(importsOf('db/sqlite/open-sqlite-store.ts')).toContain('better-sqlite3-multiple-ciphers');
    expect(dialectSql.test(readFileSync(path.join(SRC, 'db/sqlite/deferred-indexes.ts'), 'utf8'))).toBe(true);
    expect(sourceFiles('db').length).toBeGreaterThan(10);
  });
});
