import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runOnDialect, sqliteOnly, whileWriteLocked, withCliDatabase } from '../helpers/cli-database.js';
import { BIN, killMidWrite, makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess, type CliRunner } from '../helpers/run-cli-in-process.js';

/** Every customer, every field, as JSON: what "the database is unchanged" means to a user. */
async function fullExport(cwd: string, db = 'customers.db', run: CliRunner = runCliInProcess): Promise<unknown[]> {
  const result = await run(['export', 'customers', '--format', 'json', '--db', db], { cwd });
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as unknown[];
}

describe('custdb import customers.csv (the bundled fixture)', () => {
  it('custdb import customers.csv --json imports every row and reports counts, mapping and batch', async () => {
    const cwd = makeWorkdir('customers.csv');
    const result = await runCliInProcess(['import', 'customers.csv', '--json', '--default-country', 'US'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({
      status: 'imported',
      batchId: 1,
      source: 'csv',
      counts: { rows: 20, inserted: 18, updated: 2, unchanged: 0, rejected: 0, suspects: 1 },
      matchedBy: { email: 1, phone: 1 },
    });
    expect(summary.mapping).toContainEqual(expect.objectContaining({ column: 'Email', target: 'email' }));
    expect(summary.mapping).toContainEqual(expect.objectContaining({ column: 'Favourite Roast', target: 'attr.favourite_roast' }));
    expect(summary.warnings).toMatchObject({ email: 2, phone: 2, postal_code: 1 });

    const customers = (await fullExport(cwd)) as Record<string, unknown>[];
    expect(customers).toHaveLength(18);
    const jane = customers.find((c) => c.email === 'jane.obrien@example.com')!;
    expect(jane).toMatchObject({
      first_name: 'Jane',
      last_name: "O'Brien",
      phone: '+14155552671',
      country: 'US',
      birth_date: '1985-03-13',
      email_consent: 'granted',
      external_ids: ['csv:C-1001'],
      tags: ['loyal', 'newsletter', 'vip'],
      'attr.favourite_roast': 'dark',
    });
    const bob = customers.find((c) => c.email === 'bob.mcdonald@example.com')!;
    expect(bob).toMatchObject({ first_name: 'Robert', last_name: 'McDonald', postal_code: 'NW1 6XE', country: 'GB', email_consent: 'denied' });
    // A household: Tina shares Tom's phone but is a different person, so she is her own customer.
    expect(customers.filter((c) => c.phone === '+12125550199').map((c) => c.first_name)).toEqual(['Tom', 'Tina']);
    // Quoted newlines survive.
    expect(customers.find((c) => c.first_name === 'Mary Ann')!.notes).toBe('Allergic to nuts.\nCall before delivery.');
  });

  it('importing the same file twice changes nothing the second time', async () => {
    const cwd = makeWorkdir('customers.csv');
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
    const before = await fullExport(cwd);
    const result = await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/already imported as batch 1 .*nothing changed/);
    expect(await fullExport(cwd)).toEqual(before);

    // Forced, every row is matched to the person already there (by its id; the two rows without one by email
    // and phone): nothing new, nothing changed.
    const forced = JSON.parse((await runCliInProcess(['import', 'customers.csv', '--force', '--json', '--default-country', 'US'], { cwd })).stdout);
    expect(forced.counts).toMatchObject({ rows: 20, inserted: 0, updated: 0, unchanged: 20 });
    expect(forced.matchedBy).toEqual({ external_id: 18, email: 1, phone: 1 });
    expect(await fullExport(cwd)).toEqual(before);
  });

  it('custdb imports undo returns the database to the state before (compared by full export)', async () => {
    const cwd = makeWorkdir('customers.csv');
    writeFileSync(
      path.join(cwd, 'more.csv'),
      'Email,First Name,Last Name,Company,Tags,Loyalty\njane.obrien@example.com,Jane,O\'Brien,Brien Bakery,wholesale,gold\nnew.person@example.com,New,Person,,,silver\n',
    );
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
    const before = await fullExport(cwd);
    const second = JSON.parse((await runCliInProcess(['import', 'more.csv', '--json', '--update', 'overwrite'], { cwd })).stdout);
    expect(second.counts).toMatchObject({ inserted: 1, updated: 1 });
    expect(await fullExport(cwd)).not.toEqual(before);

    const undo = await runCliInProcess(['imports', 'undo', String(second.batchId), '--yes'], { cwd });
    expect(undo.code, undo.stderr).toBe(0);
    expect(undo.stdout).toMatch(/Undid batch 2: removed 1 customers/);
    expect(await fullExport(cwd)).toEqual(before);

    const list = await runCliInProcess(['imports', 'list', '--json'], { cwd });
    expect(JSON.parse(list.stdout).batches.map((b: { id: number; status: string }) => [b.id, b.status])).toEqual([
      [2, 'undone'],
      [1, 'committed'],
    ]);
    expect((await runCliInProcess(['imports', 'undo', '1', '--yes'], { cwd })).code).toBe(0);
    expect(await fullExport(cwd)).toEqual([]);
  });

  it('custdb imports undo 1 refuses while a later import changed what batch 1 created', async () => {
    const cwd = makeWorkdir('customers.csv');
    writeFileSync(path.join(cwd, 'later.csv'), 'Email,Company\nli.wei@example.com,Wei Imports\n');
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
    await runCliInProcess(['import', 'later.csv'], { cwd });
    const before = await fullExport(cwd);
    const refused = await runCliInProcess(['imports', 'undo', '1', '--yes'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/Cannot undo batch 1.*\n.*changed by import batch 2/);
    expect(await fullExport(cwd)).toEqual(before);
  });

  it('custdb imports undo 1 --keep-later-changes undoes the rest when a tag was added and removed by hand', async () => {
    const cwd = makeWorkdir('customers.csv');
    writeFileSync(path.join(cwd, 'later.csv'), 'Email,Company\nli.wei@example.com,Wei Imports\n');
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
    await runCliInProcess(['import', 'later.csv'], { cwd });
    const tina = (await fullExport(cwd)).find((c) => (c as { first_name: string }).first_name === 'Tina') as { id: number };
    expect((await runCliInProcess(['customers', 'tag', String(tina.id), 'friend'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['customers', 'untag', String(tina.id), 'friend'], { cwd })).code).toBe(0);

    const refused = await runCliInProcess(['imports', 'undo', '1', '--yes'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`customer ${tina.id}, created by this import, was changed by a manual edit`);
    expect(refused.stdout).toContain('custdb imports undo 1 --keep-later-changes');

    const partly = await runCliInProcess(['imports', 'undo', '1', '--yes', '--keep-later-changes'], { cwd });
    expect(partly.code, partly.stderr).toBe(0);
    expect(partly.stdout).toMatch(/Kept 2 customers and 0 fields as later changes left them:\n/);
    expect(partly.stdout).toContain(`customer ${tina.id}, created by this import, was changed by a manual edit`);
    // Tina (edited by hand) and Li Wei (given a company by batch 2) stay, as they were; everyone else batch 1 made is gone.
    const left = (await fullExport(cwd)) as { first_name: string; company: string | null }[];
    expect(left.map((c) => [c.first_name, c.company])).toEqual([
      ['Li', 'Wei Imports'],
      ['Tina', null],
    ]);
    const batches = JSON.parse((await runCliInProcess(['imports', 'list', '--json'], { cwd })).stdout).batches as { id: number; status: string }[];
    expect(batches.find((b) => b.id === 1)!.status).toBe('undone');
    expect((await runCliInProcess(['doctor'], { cwd })).code).toBe(0);
  });

  it('custdb imports undo 2 keeps a custom field edited by hand after the import set it', async () => {
    const cwd = makeWorkdir('customers.csv');
    writeFileSync(path.join(cwd, 'tiers.csv'), 'Email,Tier\nli.wei@example.com,silver\n');
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
    expect((await runCliInProcess(['import', 'tiers.csv'], { cwd })).code).toBe(0);
    expect((await runCliInProcess(['customers', 'edit', 'li.wei@example.com', '--set', 'attr.tier=gold'], { cwd })).code).toBe(0);

    const refused = await runCliInProcess(['imports', 'undo', '2', '--yes'], { cwd });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/tier was changed again after this import/);
    const partly = await runCliInProcess(['imports', 'undo', '2', '--yes', '--keep-later-changes'], { cwd });
    expect(partly.stdout).toMatch(/Kept 0 customers and 1 fields/);
    const li = (await fullExport(cwd)).find((c) => (c as { email: string }).email === 'li.wei@example.com') as Record<string, unknown>;
    expect(li['attr.tier']).toBe('gold');
  });

  it('custdb imports undo 1 without --yes and without a terminal refuses to guess', async () => {
    const cwd = makeWorkdir('customers.csv');
    await runCliInProcess(['import', 'customers.csv'], { cwd });
    const result = await runCliInProcess(['imports', 'undo', '1'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Add --yes/);
  });

  it('custdb import customers.csv --dry-run reports what would happen and writes nothing', async () => {
    const cwd = makeWorkdir('customers.csv');
    await runCliInProcess(['init'], { cwd });
    const result = await runCliInProcess(['import', 'customers.csv', '--dry-run', '--json'], { cwd });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 'dry-run', batchId: null, counts: { rows: 20, inserted: 18 } });
    expect(await fullExport(cwd)).toEqual([]);
    expect(JSON.parse((await runCliInProcess(['imports', 'list', '--json'], { cwd })).stdout).batches).toEqual([]);
  });
});

describe('rejects', () => {
  const csv = 'Name,Email,Phone\nAda Lovelace,ada@example.com,\n,not-an-email,\n,,\n"",,n/a\nGrace Hopper,grace@example.com,\n';

  it('custdb import mixed.csv --max-rejects 0 refuses the whole file, exits 1, and still writes the rejects file', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'mixed.csv'), csv);
    const result = await runCliInProcess(['import', 'mixed.csv', '--max-rejects', '0'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Refused mixed\.csv: 2 rows rejected, more than the 0 allowed by --max-rejects\. Nothing was written\.\n {2}To import the other 2 rows anyway, run it again with --max-rejects 2\.\n/);
    expect(await fullExport(cwd)).toEqual([]);
    const rejects = readFileSync(path.join(cwd, 'mixed.rejects.csv'), 'utf8');
    expect(rejects.split('\r\n')).toEqual([
      'Name,Email,Phone,_line,_reasons',
      ',not-an-email,,3,its only identifier (email) is invalid; invalid email not-an-email: has no @',
      ',,n/a,5,"its only identifier (phone) is invalid; not a phone number: ""n/a"""',
      '',
    ]);
  });

  it('custdb import five.csv (one bad row in five) imports under the default 10%, which rounds up to 1 row allowed', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'five.csv'), 'Name,Email\nAda,ada@example.com\nBob,bob@example.com\n,not-an-email\nCy,cy@example.com\nDee,dee@example.com\n');
    const result = await runCliInProcess(['import', 'five.csv'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/rows 5 {3}inserted 4 .* rejected 1/);
    expect(await fullExport(cwd)).toHaveLength(4);
  });

  it('custdb import mixed.csv --max-rejects 50% imports the good rows and leaves the rejects beside the file', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'mixed.csv'), csv);
    const result = await runCliInProcess(['import', 'mixed.csv', '--max-rejects', '50%', '--rejects', 'fix-me.csv'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/rejected 2/);
    expect(result.stderr).toMatch(/fix-me\.csv/);
    expect(existsSync(path.join(cwd, 'fix-me.csv'))).toBe(true);
    expect(((await fullExport(cwd)) as { email: string }[]).map((c) => c.email)).toEqual(['ada@example.com', 'grace@example.com']);
  });

  it('custdb import mixed.csv --rejects PIPE writes into a pipe or device instead of replacing it with a file', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'mixed.csv'), csv);
    const fifo = path.join(cwd, 'rejects.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo]);
    let received = '';
    reader.stdout.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const readerDone = new Promise((resolve) => reader.on('close', resolve));
    const result = await runCliInProcess(['import', 'mixed.csv', '--max-rejects', '100%', '--rejects', fifo], { cwd });
    await readerDone;
    expect(result.code, result.stderr).toBe(0);
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(received).toMatch(/^Name,Email,Phone,_line,_reasons\r\n,not-an-email/);
  });

  it('are written as the input was: its encoding, byte order mark, delimiter and sep= line, ready to import again', async () => {
    const cwd = makeWorkdir();
    const rows = ['sep=;', 'Name;Email;Note', 'Zoë Brontë;zoe@example.com;', ';;Grüße € — ohne Namen', ''].join('\r\n');
    const rejected = ';;Grüße € — ohne Namen;4;"no name, email, phone or external id: nothing identifies a customer"';
    const cases = [
      { file: 'excel.csv', bytes: Buffer.from(rows, 'latin1'), encoding: 'windows-1252' },
      { file: 'unicode.csv', bytes: Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(rows.replaceAll(';', '\t').replace('sep=\t\r\n', ''), 'utf16le')]), encoding: 'utf-16le' },
      { file: 'bom.csv', bytes: Buffer.from(`\ufeff${rows}`, 'utf8'), encoding: 'utf-8' },
    ];
    // Windows-1252 puts € and — at 0x80 and 0x97, where Latin-1 has control characters.
    cases[0]!.bytes = Buffer.from(rows.replace('€', '\u0080').replace('—', '\u0097'), 'latin1');
    for (const { file, bytes, encoding } of cases) {
      writeFileSync(path.join(cwd, file), bytes);
      const result = await runCliInProcess(['import', file, '--db', `${file}.db`, '--max-rejects', '100%', '--json'], { cwd });
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ encoding, counts: { rows: 2, inserted: 1, rejected: 1 } });
      const written = readFileSync(path.join(cwd, file.replace('.csv', '.rejects.csv')));
      const tab = encoding === 'utf-16le';
      const header = tab ? 'Name\tEmail\tNote\t_line\t_reasons' : 'sep=;\r\nName;Email;Note;_line;_reasons';
      const expected = `${encoding === 'windows-1252' ? '' : '\ufeff'}${header}\r\n${tab ? rejected.replaceAll(';', '\t').replace('\t4\t', '\t3\t') : rejected}\r\n`;
      // Streaming: Node 20's one-shot windows-1252 decode drops the bytes 0x80–0x9F.
      expect(new TextDecoder(encoding, { ignoreBOM: true }).decode(written, { stream: true }), file).toBe(expected);
      if (encoding === 'windows-1252') expect(written.includes(Buffer.from('Gr\xfc\xdfe \x80 \x97 ohne', 'latin1')), 'the row\'s own bytes').toBe(true);

      const again = await runCliInProcess(['import', file.replace('.csv', '.rejects.csv'), '--db', `${file}.db`, '--max-rejects', '100%', '--json'], { cwd });
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ encoding, delimiter: tab ? '\t' : ';', counts: { rows: 1, rejected: 1 } });
    }
  });

  it('of a file in an encoding custdb cannot write are in UTF-8, and the summary says so', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'sjis.csv'), 'Name,Email,Note\r\nAnn,ann@example.com,\r\n,,only a note\r\n');
    const result = await runCliInProcess(['import', 'sjis.csv', '--encoding', 'shift_jis', '--max-rejects', '100%', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).notes).toContain('the rejects file is in UTF-8: custdb cannot write shift_jis');
    expect(readFileSync(path.join(cwd, 'sjis.rejects.csv'), 'utf8')).toMatch(/^\ufeffName,Email,Note,_line,_reasons\r\n,,only a note,3,/);
  });

  it('custdb import --max-rejects lots exits 2 naming the forms it accepts', async () => {
    const cwd = makeWorkdir('customers.csv');
    const result = await runCliInProcess(['import', 'customers.csv', '--max-rejects', 'lots'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--max-rejects 5%/);
  });
});

describe('mapping', () => {
  it('custdb import with --map and --save-mapping, then --mapping NAME on the next file', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'till.csv'), 'Kunde,Electronic Post,Tier\nAda Lovelace,ada@example.com,gold\n');
    writeFileSync(path.join(cwd, 'till2.csv'), 'Kunde,Electronic Post,Tier\nGrace Hopper,grace@example.com,silver\n');
    const first = await runCliInProcess(
      ['import', 'till.csv', '--map', 'Kunde=full_name', '--map', 'Electronic Post=email', '--map', 'Tier=attr.loyalty', '--save-mapping', 'till', '--json'],
      { cwd },
    );
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).mapping).toEqual([
      { column: 'Kunde', target: 'full_name', confidence: 'override' },
      { column: 'Electronic Post', target: 'email', confidence: 'override' },
      { column: 'Tier', target: 'attr.loyalty', confidence: 'override' },
    ]);
    const second = await runCliInProcess(['import', 'till2.csv', '--mapping', 'till', '--json'], { cwd });
    expect(second.code, second.stderr).toBe(0);
    expect(await fullExport(cwd)).toEqual([
      expect.objectContaining({ first_name: 'Ada', last_name: 'Lovelace', email: 'ada@example.com', 'attr.loyalty': 'gold' }),
      expect.objectContaining({ first_name: 'Grace', last_name: 'Hopper', email: 'grace@example.com', 'attr.loyalty': 'silver' }),
    ]);
  });

  it('custdb import with no identifying column exits 2 listing the columns and the --map to add', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'odd.csv'), 'Colour,Size\nred,M\n');
    const result = await runCliInProcess(['import', 'odd.csv'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/No column identifies a customer.*Columns found: Colour, Size/);
    expect(result.stderr).toMatch(/--map "Colour=email"/);
  });

  it('custdb import --mapping missing exits 2 and says how to save one', async () => {
    const cwd = makeWorkdir('customers.csv');
    const result = await runCliInProcess(['import', 'customers.csv', '--mapping', 'nope'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no mapping file or saved mapping called nope/);
  });

  it('custdb import --map "Email=emial" exits 2 naming the valid fields', async () => {
    const cwd = makeWorkdir('customers.csv');
    const result = await runCliInProcess(['import', 'customers.csv', '--map', 'Email=emial'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/emial/);
  });
});

describe('bad input', () => {
  it('custdb import missing.csv exits 2', async () => {
    const result = await runCliInProcess(['import', 'missing.csv'], { cwd: makeWorkdir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/missing\.csv does not exist/);
  });

  it('custdb import empty.csv exits 2 with a clear message', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'empty.csv'), '');
    const result = await runCliInProcess(['import', 'empty.csv'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/empty/);
  });

  it('custdb import header-only.csv has nothing to do and exits 0', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'header-only.csv'), 'First Name,Email\r\n');
    const result = await runCliInProcess(['import', 'header-only.csv'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/no rows: nothing to import/);
  });

  it('custdb import orders.csv reads an orders header as orders, and names the missing order-date column', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'orders.csv'), 'Name,Email,Financial Status,Paid at,Subtotal,Total,Lineitem quantity,Lineitem name,Lineitem price\n#1001,a@example.com,paid,,10,12,1,Mug,10\n');
    const result = await runCliInProcess(['import', 'orders.csv'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/An orders file needs a column for the order date/);
    expect(result.stderr).toMatch(/--map "COLUMN=ordered_at"/);
  });
});

// Locks between processes: the importing process waits out the busy timeout on a lock this one holds.
describe('a database locked by another process (spawned binary)', () => {
  it('a second import waits for, then reports, a database locked by another process', async () => {
    const cwd = makeWorkdir('customers.csv');
    await runCliInProcess(['init'], { cwd });
    const result = await whileWriteLocked(cwd, sql`DELETE FROM customers`, () => runCli(['import', 'customers.csv'], { cwd }));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/locked by another process/);
    expect(await fullExport(cwd)).toEqual([]);
  });
});

// The kill needs a process of its own; checking what it left is done in process.
describe('a process killed in the middle of a large import (spawned binary)', () => {
  sqliteOnly('the kill is timed by the growth of the -wal file')('leaves the database exactly as before, and running the import again completes', async () => {
    const cwd = makeWorkdir('customers.csv');
    await runCliInProcess(['import', 'customers.csv', '--default-country', 'US'], { cwd });
    const before = await fullExport(cwd);

    const rows = 150_000;
    const lines = ['Customer ID,First Name,Last Name,Email'];
    for (let i = 0; i < rows; i++) lines.push(`B-${i},Person,Number${i},person${i}@example.com`);
    writeFileSync(path.join(cwd, 'big.csv'), `${lines.join('\n')}\n`);

    expect(await killMidWrite(['import', 'big.csv', '--quiet'], cwd)).toBe('SIGKILL');

    expect(await fullExport(cwd)).toEqual(before);
    expect(JSON.parse((await runCliInProcess(['imports', 'list', '--json'], { cwd })).stdout).batches).toHaveLength(1);
    expect((await runCliInProcess(['doctor'], { cwd })).code).toBe(0);

    const rerun = await runCliInProcess(['import', 'big.csv', '--json'], { cwd });
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout).counts).toMatchObject({ rows, inserted: rows, rejected: 0 });
  }, 180_000);
});

describe('custdb export customers --format json', () => {
  it('gives null for an empty field and every character of a stored value, separators included', async () => {
    const cwd = makeWorkdir();
    writeFileSync(path.join(cwd, 'odd.csv'), 'Email,Company,Notes\na@example.com,Acme\u001fInc,\nb@example.com,,"two\nlines"\n');
    expect((await runCliInProcess(['import', 'odd.csv', '--db', 'odd.db'], { cwd })).code).toBe(0);
    const customers = (await fullExport(cwd, 'odd.db')) as Record<string, unknown>[];
    expect(customers.map((c) => [c.email, c.company, c.notes, c.phone])).toEqual([
      ['a@example.com', 'Acme\u001fInc', null, null],
      ['b@example.com', null, 'two\nlines', null],
    ]);
  });
});

// The second thread runs the built export worker, which exists only in dist/: the exports are spawned.
describe('custdb export customers of a large table (read and formatted on two threads; spawned binary)', () => {
  it('writes every customer once, in id order, the same in CSV and JSON, odd values included', async () => {
    const cwd = makeWorkdir();
    const count = 20_500;
    const lines = ['Customer ID,Email,First Name,Company,Notes'];
    for (let i = 1; i <= count; i++) {
      // One value holding the separator in every id range, so both threads meet one.
      const company = i % 250 === 27 ? `Acme\u001fInc ${i}` : i === 15_000 ? '"Smith, ""Sons"""' : i % 3 === 0 ? '' : `Company ${i}`;
      const notes = i === 12_345 ? '"two\nlines"' : i === 18_000 ? '=1+2' : '';
      lines.push(`C${i},person${i}@example.com,Name${i},${company},${notes}`);
    }
    writeFileSync(path.join(cwd, 'many.csv'), `${lines.join('\n')}\n`);
    expect((await runCliInProcess(['import', 'many.csv', '--db', 'many.db'], { cwd })).code).toBe(0);

    const json = (await fullExport(cwd, 'many.db', runCli)) as Record<string, unknown>[];
    const csvRun = await runCli(['export', 'customers', '--db', 'many.db', '--fields', 'email,company,notes'], { cwd });
    expect(csvRun.code, csvRun.stderr).toBe(0);
    const csv = parse(csvRun.stdout, { columns: true }) as Record<string, string>[];

    expect(json).toHaveLength(count);
    expect(csv).toHaveLength(count);
    expect(json.map((c) => c.id)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    expect(csv.map((c) => Number(c.id))).toEqual(json.map((c) => c.id));
    expect(json.filter((c) => c.company === `Acme\u001fInc ${c.id}`)).toHaveLength(Math.ceil((count - 27) / 250));
    expect(json[7_776]).toMatchObject({ email: 'person7777@example.com', company: 'Acme\u001fInc 7777', notes: null });
    expect(json[14_999]).toMatchObject({ company: 'Smith, "Sons"' });
    expect(json[12_344]).toMatchObject({ notes: 'two\nlines' });
    expect(json[2]).toMatchObject({ company: null, external_ids: ['csv:C3'] });
    expect(csv.filter((c) => c.company === `Acme\u001fInc ${c.id}`)).toHaveLength(Math.ceil((count - 27) / 250));
    expect(csv[7_776]).toMatchObject({ company: 'Acme\u001fInc 7777', notes: '' });
    expect(csv[14_999]).toMatchObject({ company: 'Smith, "Sons"' });
    expect(csv[17_999]).toMatchObject({ notes: "'=1+2" });
  });
});

// Another connection writing while the binary exports on two threads (or on one, when it cannot line up two): spawned.
describe('custdb export customers of a large table while others write (spawned binary)', () => {
  const count = 30_000;
  const makeTable = async () => {
    const cwd = makeWorkdir();
    const lines = ['Customer ID,Email,Company'];
    for (let i = 1; i <= count; i++) lines.push(`C${i},person${i}@example.com,Company ${i}`);
    writeFileSync(path.join(cwd, 'many.csv'), `${lines.join('\n')}\n`);
    expect((await runCliInProcess(['import', 'many.csv', '--db', 'many.db'], { cwd })).code).toBe(0);
    return cwd;
  };

  it('shows the table as it was when the export began, on both threads, though a change commits halfway', async () => {
    const cwd = await makeTable();
    const run = await runOnDialect(['export', 'customers', '--db', 'many.db', '--fields', 'email,company'], { cwd });
    const child = spawn(process.execPath, [BIN, ...run.args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...run.env },
    });
    // Unread, the pipe fills after the first few hundred customers and the export waits on it.
    await once(child.stdout, 'readable');
    await withCliDatabase(
      cwd,
      async (writer) => {
        await sql`UPDATE customers SET company = 'changed' WHERE id > 1000`.execute(writer);
        await sql`INSERT INTO customers (email, created_at, updated_at) VALUES ('late@example.com', 'now', 'now')`.execute(writer);
      },
      'many.db',
    );
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    const [code] = (await once(child, 'close')) as [number];
    expect(code).toBe(0);

    const rows = parse(stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(count);
    expect(rows.filter((row) => row.company !== `Company ${row.id}`)).toEqual([]);
  });

  it('still exports everything, on one thread, while another writer holds the lock', async () => {
    const cwd = await makeTable();
    const result = await whileWriteLocked(
      cwd,
      sql`UPDATE customers SET company = 'uncommitted' WHERE id = 5`,
      () => runCli(['export', 'customers', '--db', 'many.db', '--fields', 'company'], { cwd }),
      'many.db',
    );
    expect(result.code, result.stderr).toBe(0);
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(count);
    expect(rows[4]).toMatchObject({ id: '5', company: 'Company 5' });
  });
});

describe('custdb export -o into a folder that does not exist', () => {
  it.each(['customers', 'orders'])('export %s exits 2 naming the path and leaves no partial file', async (what) => {
    const cwd = makeWorkdir();
    expect((await runCliInProcess(['init', '--db', 'x.db'], { cwd })).code).toBe(0);
    const result = await runCliInProcess(['export', what, '--db', 'x.db', '-o', 'missing/out.csv'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('missing/out.csv: its folder does not exist');
    expect(existsSync(path.join(cwd, 'missing'))).toBe(false);
  });
});
