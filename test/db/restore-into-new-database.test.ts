import { cpSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshLocation, TEST_DIALECTS } from '../helpers/dialects.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FIXTURES } from '../helpers/run-cli.js';

/** A restore onto a new machine: the backup becomes a database that did not exist (a new file; an empty server database). */
describe.each(TEST_DIALECTS)('%s', (dialect) => {
  it('custdb --db NEW restore BACKUP --yes makes the backed-up database there, export for export', async () => {
    const source = await freshLocation(dialect);
    const target = await freshLocation(dialect);
    const cwd = source.dir;
    cpSync(path.join(FIXTURES, 'customers.csv'), path.join(cwd, 'customers.csv'));
    expect((await runCliInProcess(['--db', source.location, 'import', 'customers.csv'], { cwd })).code).toBe(0);
    const exported = await runCliInProcess(['--db', source.location, 'export', 'customers'], { cwd });
    const backup = await runCliInProcess(['--db', source.location, 'backup', 'b.db'], { cwd });
    expect(backup.code, backup.stderr).toBe(0);

    const restored = await runCliInProcess(['--db', target.location, 'restore', 'b.db', '--yes', '--json'], { cwd });
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({ beforeRestore: null, backupCounts: { customers: 18 } });
    const again = await runCliInProcess(['--db', target.location, 'export', 'customers'], { cwd });
    expect(again.stdout).toBe(exported.stdout);
    // The restored database takes new rows after the restored ones (PostgreSQL's identity sequences moved on).
    const added = await runCliInProcess(['--db', target.location, 'customers', 'add', '--email', 'new@example.com', '--first-name', 'New', '--json'], { cwd });
    expect(added.code, added.stderr).toBe(0);
  });

  it('custdb --db NEW restore BACKUP of a database with an erasure keeps the person erased: the key comes with the backup', async () => {
    const source = await freshLocation(dialect);
    const target = await freshLocation(dialect);
    const cwd = source.dir;
    cpSync(path.join(FIXTURES, 'customers.csv'), path.join(cwd, 'customers.csv'));
    expect((await runCliInProcess(['--db', source.location, 'import', 'customers.csv'], { cwd })).code).toBe(0);
    const forgotten = await runCliInProcess(['--db', source.location, 'privacy', 'forget', '1', '--yes'], { cwd });
    expect(forgotten.code, forgotten.stderr).toBe(0);
    expect((await runCliInProcess(['--db', source.location, 'backup', 'b.db'], { cwd })).code).toBe(0);
    const restored = await runCliInProcess(['--db', target.location, 'restore', 'b.db', '--yes'], { cwd });
    expect(restored.code, restored.stderr).toBe(0);
    // The import of the same file on the new machine still rejects the erased person.
    const reimported = await runCliInProcess(['--db', target.location, 'import', 'customers.csv', '--force', '--json'], { cwd });
    expect(reimported.code, reimported.stderr).toBe(0);
    expect(JSON.parse(reimported.stdout).counts.erased).toBeGreaterThan(0);
  });
});
