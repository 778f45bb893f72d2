import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkdir, type CliResult } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

const ESC = '\u001b';
const BEL = '\u0007';
const RLO = '\u202e';
/** Clears the screen, then retitles the window "pwned". */
const EVIL_NAME = `Evil${ESC}[2J${ESC}]0;pwned${BEL}Guy`;
const EVIL_HEADER = `Loyalty${ESC}]0;pwned${BEL} Tier`;

function expectInert(result: CliResult): void {
  for (const text of [result.stdout, result.stderr]) {
    expect(text).not.toContain(ESC);
    expect(text).not.toContain(BEL);
    expect(text).not.toContain(RLO);
  }
}

describe('values from data reach the terminal inert', () => {
  let cwd: string;
  let imported: CliResult;
  beforeAll(async () => {
    cwd = makeWorkdir();
    // The second row's email has no @: the warning quotes it.
    writeFileSync(
      path.join(cwd, 'evil.csv'),
      `first_name,last_name,email,${EVIL_HEADER}\n${EVIL_NAME},Smith${RLO}htims,evil@example.com,gold${ESC}[8m\nAnn,Lee,ann${ESC}[2J,silver\n`,
    );
    imported = await runCliInProcess(['import', 'evil.csv'], { cwd });
  });

  it('custdb import evil.csv: the summary shows the header cell escaped', () => {
    expect(imported.code, imported.stderr).toBe(0);
    expectInert(imported);
    expect(imported.stderr).toContain('columns: first_name → first_name, last_name → last_name, email → email, Loyalty\\x1b]0;pwned\\x07 Tier → attr.');
  });

  it('custdb show 1: the name, surname and custom value are shown escaped', async () => {
    const result = await runCliInProcess(['show', '1'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expectInert(result);
    expect(result.stdout).toContain('Customer 1 — Evil\\x1b[2J\\x1b]0;pwned\\x07Guy Smith\\u202ehtims');
    expect(result.stdout).toContain('gold\\x1b[8m');
  });

  it('custdb import evil.csv --map "Nope<ESC>[2J=email": the error message and its hint show both escaped', async () => {
    const result = await runCliInProcess(['import', 'evil.csv', '--force', '--map', `Nope${ESC}[2J=email`], { cwd });
    expect(result.code).toBe(2);
    expectInert(result);
    expect(result.stderr).toContain('"Nope\\x1b[2J"');
    expect(result.stderr).toContain('Loyalty\\x1b]0;pwned\\x07 Tier');
  });

  it('custdb imports list: table cells are escaped', async () => {
    writeFileSync(path.join(cwd, `more${ESC}[2J.csv`), 'first_name,email\nAnn,ann@example.com\n');
    expect((await runCliInProcess(['import', `more${ESC}[2J.csv`], { cwd })).code).toBe(0);
    const result = await runCliInProcess(['imports', 'list'], { cwd, env: { COLUMNS: '200' } });
    expectInert(result);
    expect(result.stdout).toContain('more\\x1b[2J.csv');
  });

  it('custdb imports show 1 --warnings: the value a warning quotes is escaped', async () => {
    const result = await runCliInProcess(['imports', 'show', '1', '--warnings'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expectInert(result);
    expect(result.stdout).toContain('line 3: email: invalid email ann\\x1b[2j: has no @');
  });

  it('custdb export customers stays data: the name comes out byte for byte', async () => {
    const result = await runCliInProcess(['export', 'customers', '--fields', 'first_name'], { cwd });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(EVIL_NAME);
  });
});
