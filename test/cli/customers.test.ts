import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queryCliDatabase } from '../helpers/cli-database.js';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

async function freshDb(): Promise<string> {
  const cwd = makeWorkdir('customers.csv');
  expect((await runCliInProcess(['init'], { cwd })).code).toBe(0);
  return cwd;
}

interface ChangeRow {
  event_id: number | null;
  batch_id: number | null;
  entity: string;
  action: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
}

describe('custdb customers add', () => {
  it('custdb customers add --first-name JANE --email Jane@Example.COM --tag vip cleans values like an import and records the change', async () => {
    const cwd = await freshDb();
    const result = await runCliInProcess(['customers', 'add', '--first-name', 'JANE', '--last-name', "o'brien", '--email', ' Jane@Example.COM ', '--phone', '(415) 555-2671', '--country', 'USA', '--tag', 'vip', '--tag', 'VIP', '--tag', 'wholesale'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe("Added customer 1 (Jane O'Brien).\n");
    const show = JSON.parse((await runCliInProcess(['show', '1', '--json'], { cwd })).stdout);
    expect(show.customer).toMatchObject({ first_name: 'Jane', last_name: "O'Brien", email: 'jane@example.com', phone: '+14155552671', country: 'US' });
    expect(show.tags).toEqual(['vip', 'wholesale']);
    const events = await queryCliDatabase<{ id: number; command: string }>(cwd, sql`SELECT id, command FROM events WHERE command = ${'customers add'}`);
    expect(events).toHaveLength(1);
    const changes = await queryCliDatabase<ChangeRow>(cwd, sql`SELECT * FROM changes ORDER BY id`);
    expect(changes.every((c) => c.event_id === events[0]!.id && c.batch_id === null)).toBe(true);
    expect(changes.map((c) => [c.entity, c.action, c.field])).toEqual([['customer', 'insert', null], ['tag', 'insert', 'vip'], ['tag', 'insert', 'wholesale']]);
  });

  it('custdb customers add (no flags, no terminal) exits 2 naming the flags', async () => {
    const cwd = await freshDb();
    const result = await runCliInProcess(['customers', 'add', '--company', 'Acme'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--first-name, --last-name, --email or --phone/);
    expect(await queryCliDatabase(cwd, sql`SELECT id FROM customers`)).toHaveLength(0);
  });

  it('custdb customers add --email not-an-email exits 2 and adds nothing', async () => {
    const cwd = await freshDb();
    const result = await runCliInProcess(['customers', 'add', '--email', 'not-an-email'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Cannot add this customer: its only identifier \(email\) is invalid/);
  });

  it('custdb customers add with a known email exits 1; --allow-duplicate adds and flags the pair', async () => {
    const cwd = await freshDb();
    await runCliInProcess(['customers', 'add', '--first-name', 'Sam', '--email', 'sam@example.com'], { cwd });
    const again = await runCliInProcess(['customers', 'add', '--first-name', 'Samantha', '--email', 'SAM@example.com'], { cwd });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/nothing added: this email or phone already belongs to:\n {2}customer 1 {2}Sam/);
    expect(again.stderr).toMatch(/--allow-duplicate/);
    const forced = await runCliInProcess(['customers', 'add', '--first-name', 'Samantha', '--email', 'sam@example.com', '--allow-duplicate'], { cwd });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stderr).toMatch(/possible duplicate of customer 1/);
    const show = await runCliInProcess(['show', '2'], { cwd });
    expect(show.stdout).toMatch(/Possible duplicates \(1, not yet reviewed\)\n {2}customer 1: Sam, sam@example\.com\n {4}same email as customer 1; added by hand/);
  });
});

describe('custdb customers edit / tag / untag / note', () => {
  it('custdb customers edit ID --set … standardises values and records old and new per field', async () => {
    const cwd = await freshDb();
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US', '-q'], { cwd });
    const [{ id }] = (await queryCliDatabase<{ id: number }>(cwd, sql`SELECT id FROM customers WHERE email_norm = 'jane.obrien@example.com'`)) as [{ id: number }];
    const result = await runCliInProcess(['customers', 'edit', String(id), '--set', 'email=Jane.OBrien@Bakery.example', '--set', 'full_name=JANE MARY O\'BRIEN', '--set', 'email_consent=unsubscribed', '--set', 'notes='], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Changed customer ${id}:`);
    expect(result.stdout).toContain('  email: "jane.obrien@example.com" → "jane.obrien@bakery.example"');
    expect(result.stdout).toContain('  notes: "Prefers oat milk" → (empty)');
    const changes = await queryCliDatabase<ChangeRow>(cwd, sql`SELECT * FROM changes WHERE event_id IS NOT NULL ORDER BY id`);
    expect(changes.map((c) => [c.entity, c.action, c.field, c.old_value, c.new_value])).toEqual([
      ['customer', 'update', 'email', 'jane.obrien@example.com', 'jane.obrien@bakery.example'],
      ['customer', 'update', 'email_norm', 'jane.obrien@example.com', 'jane.obrien@bakery.example'],
      ['customer', 'update', 'first_name', 'Jane', 'Jane Mary'],
      ['customer', 'update', 'email_consent', 'granted', 'denied'],
      ['customer', 'update', 'email_consent_at', expect.any(String), expect.any(String)],
      ['customer', 'update', 'email_consent_source', 'import:csv', 'manual'],
      ['customer', 'update', 'notes', 'Prefers oat milk', null],
    ]);
    const again = await runCliInProcess(['customers', 'edit', 'jane.obrien@bakery.example', '--set', 'email=jane.obrien@bakery.example'], { cwd });
    expect(again.stdout).toMatch(/already has these values; nothing changed/);
    // The import that set Jane's email can no longer be undone blindly: the manual edit depends on it.
    const undo = await runCliInProcess(['imports', 'undo', '1', '--yes'], { cwd });
    expect(undo.code).toBe(1);
    expect(undo.stdout).toMatch(/email was changed again after this import|changed by a manual edit/);
  });

  it('custdb customers edit ID --set attr.tier=gold sets, changes and removes custom fields, each recorded', async () => {
    const cwd = await freshDb();
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US', '-q'], { cwd });
    const [{ id }] = (await queryCliDatabase<{ id: number }>(cwd, sql`SELECT id FROM customers WHERE email_norm = 'jane.obrien@example.com'`)) as [{ id: number }];
    const result = await runCliInProcess(['customers', 'edit', String(id), '--set', 'attr.tier=gold', '--set', 'attr.Favourite Roast= light '], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('  attr.tier: (empty) → "gold"');
    expect(result.stdout).toContain('  attr.favourite_roast: "dark" → "light"');
    const attributes = async () => (JSON.parse((await runCliInProcess(['show', String(id), '--json'], { cwd })).stdout) as { attributes: Record<string, string> }).attributes;
    expect(await attributes()).toEqual({ favourite_roast: 'light', tier: 'gold' });

    const cleared = await runCliInProcess(['customers', 'edit', String(id), '--set', 'attr.tier='], { cwd });
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(await attributes()).toEqual({ favourite_roast: 'light' });
    const changes = await queryCliDatabase<ChangeRow>(cwd, sql`SELECT * FROM changes WHERE event_id IS NOT NULL ORDER BY id`);
    expect(changes.map((c) => [c.entity, c.action, c.field, c.old_value, c.new_value])).toEqual([
      ['attribute', 'insert', 'tier', null, 'gold'],
      ['attribute', 'update', 'favourite_roast', 'dark', 'light'],
      ['attribute', 'delete', 'tier', 'gold', null],
    ]);

    const nameless = await runCliInProcess(['customers', 'edit', String(id), '--set', 'attr.=x'], { cwd });
    expect(nameless.code).toBe(2);
    expect(nameless.stderr).toMatch(/names no custom field/);
  });

  it('custdb customers edit rejects unknown fields, unreadable values and an unknown id', async () => {
    const cwd = await freshDb();
    await runCliInProcess(['customers', 'add', '--first-name', 'Ann', '--email', 'ann@example.com'], { cwd });
    const unknown = await runCliInProcess(['customers', 'edit', '1', '--set', 'shoe_size=9'], { cwd });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/There is no field called shoe_size\.\n {2}Fields you can set: first_name, last_name/);
    const tags = await runCliInProcess(['customers', 'edit', '1', '--set', 'tags=vip'], { cwd });
    expect(tags.stderr).toMatch(/customers tag ID TAG/);
    const badEmail = await runCliInProcess(['customers', 'edit', '1', '--set', 'email=ann@'], { cwd });
    expect(badEmail.code).toBe(2);
    expect(badEmail.stderr).toMatch(/Cannot set email to "ann@"/);
    const badCountry = await runCliInProcess(['customers', 'edit', '1', '--set', 'country=Narnia'], { cwd });
    expect(badCountry.code).toBe(2);
    const nothingLeft = await runCliInProcess(['customers', 'edit', '1', '--set', 'email=', '--set', 'first_name='], { cwd });
    expect(nothingLeft.code).toBe(2);
    expect(nothingLeft.stderr).toMatch(/nothing that identifies them/);
    const missing = await runCliInProcess(['customers', 'edit', '42', '--set', 'company=Acme'], { cwd });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No customer matches 42/);
    expect(await queryCliDatabase(cwd, sql`SELECT id FROM events WHERE command = 'customers edit'`)).toHaveLength(0);
  });

  it('custdb customers edit 1 --set birth_date=01/02/1980 exits 2 with both readings and how to write each (edit has no --date-format)', async () => {
    const cwd = await freshDb();
    await runCliInProcess(['customers', 'add', '--first-name', 'Ann', '--email', 'ann@example.com'], { cwd });
    const result = await runCliInProcess(['customers', 'edit', '1', '--set', 'birth_date=01/02/1980'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'custdb: Cannot set birth_date to "01/02/1980": it reads as 1980-02-01 (day first) or 1980-01-02 (month first).\n' +
        '  Write it year-month-day: --set birth_date=1980-02-01 or --set birth_date=1980-01-02.\n',
    );
    const iso = await runCliInProcess(['customers', 'edit', '1', '--set', 'birth_date=1980-02-01'], { cwd });
    expect(iso.code, iso.stderr).toBe(0);
  });

  it('custdb customers edit MERGED-ID changes the survivor and says so', async () => {
    const cwd = await freshDb();
    await runCliInProcess(['customers', 'add', '--first-name', 'Ann'], { cwd });
    await runCliInProcess(['customers', 'add', '--first-name', 'Anne'], { cwd });
    await queryCliDatabase(cwd, sql`UPDATE customers SET status = 'merged', merged_into = 1 WHERE id = 2`);
    const result = await runCliInProcess(['customers', 'edit', '2', '--set', 'company=Acme'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('note: customer 2 was merged into customer 1; changing customer 1.');
    expect((await queryCliDatabase<{ company: string | null }>(cwd, sql`SELECT company FROM customers WHERE id = 1`))[0]!.company).toBe('Acme');
    expect((await queryCliDatabase<{ company: string | null }>(cwd, sql`SELECT company FROM customers WHERE id = 2`))[0]!.company).toBeNull();
  });

  it('custdb customers tag / untag add and remove tags (ignoring case) and record each', async () => {
    const cwd = await freshDb();
    await runCliInProcess(['customers', 'add', '--first-name', 'Ann', '--tag', 'vip'], { cwd });
    const tag = await runCliInProcess(['customers', 'tag', '1', 'VIP', 'wholesale', ' newsletter '], { cwd });
    expect(tag.code, tag.stderr).toBe(0);
    expect(tag.stdout).toBe('Tagged customer 1: wholesale, newsletter.\n  already tagged: vip\n  tags now: newsletter, vip, wholesale\n');
    const untag = await runCliInProcess(['customers', 'untag', '1', 'Newsletter', 'nope'], { cwd });
    expect(untag.stdout).toBe('Untagged customer 1: newsletter.\n  not tagged: nope\n  tags now: vip, wholesale\n');
    const nothing = await runCliInProcess(['customers', 'untag', '1', 'nope', '--json'], { cwd });
    expect(JSON.parse(nothing.stdout)).toEqual({ id: 1, changed: [], skipped: ['nope'], tags: ['vip', 'wholesale'] });
    const changes = await queryCliDatabase<ChangeRow>(cwd, sql`SELECT * FROM changes WHERE entity = 'tag' ORDER BY id`);
    expect(changes.map((c) => [c.action, c.field])).toEqual([['insert', 'vip'], ['insert', 'wholesale'], ['insert', 'newsletter'], ['delete', 'newsletter']]);
    expect(await queryCliDatabase(cwd, sql`SELECT id FROM events WHERE command IN ('customers tag', 'customers untag')`)).toHaveLength(2);
  });

  it('custdb customers note ID "text" adds a note interaction that show lists and metrics count', async () => {
    const cwd = await freshDb();
    await runCliInProcess(['customers', 'add', '--first-name', 'Ann', '--email', 'ann@example.com'], { cwd });
    const note = await runCliInProcess(['customers', 'note', 'ann@example.com', 'Asked for decaf samples', '--actor', 'maria'], { cwd });
    expect(note.code, note.stderr).toBe(0);
    expect(note.stdout).toBe('Added a note to customer 1.\n');
    const show = await runCliInProcess(['show', '1', '--json'], { cwd });
    const view = JSON.parse(show.stdout);
    expect(view.interactions.recent).toEqual([expect.objectContaining({ kind: 'note', channel: 'note', summary: 'Asked for decaf samples', staff: 'maria' })]);
    expect(view.metrics).toMatchObject({ interactions_count: 1, orders_count: 0 });
    const changes = await queryCliDatabase<ChangeRow>(cwd, sql`SELECT * FROM changes WHERE entity = 'interaction'`);
    expect(changes).toEqual([expect.objectContaining({ action: 'insert', new_value: 'Asked for decaf samples', event_id: expect.any(Number) })]);
    const empty = await runCliInProcess(['customers', 'note', '1', '   '], { cwd });
    expect(empty.code).toBe(2);
  });
});
