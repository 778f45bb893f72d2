import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

describe('custdb show NAME (no id, email, phone or source:id)', () => {
  let cwd = '';
  beforeAll(async () => {
    cwd = makeWorkdir();
    writeFileSync(
      path.join(cwd, 'people.csv'),
      'First Name,Last Name,Email,City\nJane,Smith,jane.smith@example.com,Leeds\nJANE,SMITH,j.smith@example.org,York\nJosé,García,jose@example.es,Madrid\nSiobhán,O\'Brien-Kelly,siobhan@example.ie,Cork\n',
    );
    const imported = await runCliInProcess(['import', 'people.csv'], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
  });

  it('custdb show "jose  GARCIA" finds José García (case, accents and spacing ignored)', async () => {
    const result = await runCliInProcess(['show', 'jose  GARCIA'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Customer 3 — José García\n/);
    const json = await runCliInProcess(['show', 'José García', '--json'], { cwd });
    expect(JSON.parse(json.stdout)).toMatchObject({ query: 'José García', customer: { id: 3, email: 'jose@example.es' } });
  });

  it('custdb show "siobhan obrien kelly" finds Siobhán O\'Brien-Kelly (apostrophes and hyphens ignored, as import compares names)', async () => {
    const result = await runCliInProcess(['show', 'siobhan obrien kelly'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Customer 4 — Siobhán O'Brien-Kelly\n/);
  });

  it('custdb show "Jane Smith" lists both Jane Smiths (id, name, email, city), says how to pick one, and exits 1', async () => {
    const result = await runCliInProcess(['show', 'Jane Smith'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('2 customers match Jane Smith; give the id of the one you mean (e.g. custdb show 1)');
    expect(result.stdout).toBe('       1  Jane Smith  jane.smith@example.com  Leeds\n       2  Jane Smith  j.smith@example.org  York\n');
    const json = await runCliInProcess(['show', 'jane smith', '--json'], { cwd });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ambiguous: true, matches: [{ id: 1, city: 'Leeds' }, { id: 2, city: 'York' }] });
  });

  it('custdb show "Nobody Here" exits 1 and says a full name is searched', async () => {
    const result = await runCliInProcess(['show', 'Nobody Here'], { cwd });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('No customer matches Nobody Here.');
    expect(result.stderr).toContain('full name');
  });
});
