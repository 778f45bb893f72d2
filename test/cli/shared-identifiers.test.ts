import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkdir } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { generateSharedContacts, type Person } from '../helpers/shared-contacts.js';

interface Exported {
  id: number;
  external_ids: string[];
  first_name: string | null;
  email: string | null;
  birth_date: string | null;
}

/** SHARED_CONTACTS_ROWS=300000 runs the same check on a large file (minutes, not for every `npm test`). */
const ROWS = Number(process.env.SHARED_CONTACTS_ROWS ?? 3000);

describe('people who share a phone or an email stay apart', () => {
  it('custdb import of two people sharing a phone and a first name keeps both findable', async () => {
    const cwd = makeWorkdir();
    writeFileSync(
      path.join(cwd, 'office.csv'),
      [
        'Customer ID,First Name,Last Name,Email,Phone,Birthday',
        'A-1,Jane,Smith,jane.smith@acme.example,+1 212 555 0100,1980-02-01',
        'A-2,Jane,Smith,jsmith@acme.example,+1 212 555 0100,1993-07-15',
        // The first Jane again, typed at the till without her id: the same person, joined by email.
        ',JANE,SMITH,jane.smith@acme.example,,1980-02-01',
      ].join('\n'),
    );
    const result = await runCliInProcess(['import', 'office.csv', '--json'], { cwd });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).counts).toMatchObject({ rows: 3, inserted: 2, unchanged: 1, suspects: 1 });

    const second = await runCliInProcess(['show', 'jsmith@acme.example'], { cwd });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/id csv +A-2\n/);
    expect(second.stdout).toMatch(/same phone as customer 1 but a different email/);
    const first = await runCliInProcess(['show', 'csv:A-1'], { cwd });
    expect(first.stdout).toContain('jane.smith@acme.example');
  });

  it(`every person in a ${ROWS.toLocaleString('en-US')}-row file of households, offices and a shop landline is findable by email and id`, async () => {
    const cwd = makeWorkdir();
    const { header, lines, people } = generateSharedContacts(ROWS);
    writeFileSync(path.join(cwd, 'contacts.csv'), `${header}\n${lines.join('\n')}\n`);
    const imported = await runCliInProcess(['import', 'contacts.csv', '--json', '--default-country', 'US'], { cwd });
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout).counts.rejected).toBe(0);

    const exported = await runCliInProcess(['export', 'customers', '--format', 'json', '--fields', 'first_name,email,birth_date'], { cwd });
    expect(exported.code, exported.stderr).toBe(0);
    const customers = JSON.parse(exported.stdout) as Exported[];
    const byId = new Map<string, Exported>();
    const byEmail = new Map<string, Exported[]>();
    for (const customer of customers) {
      // One person's ids only: a customer collecting several would hide the others.
      expect(customer.external_ids.length, JSON.stringify(customer)).toBeLessThanOrEqual(1);
      for (const id of customer.external_ids) byId.set(id, customer);
      if (customer.email) byEmail.set(customer.email, [...(byEmail.get(customer.email) ?? []), customer]);
    }
    const isThem = (person: Person) => (c: Exported | undefined) =>
      c !== undefined && c.first_name?.toLowerCase() === person.firstName.toLowerCase() && c.birth_date === person.birthDate;
    const lost = people.filter((p) => !isThem(p)(byId.get(`csv:${p.externalId}`)) || (p.email !== '' && !(byEmail.get(p.email) ?? []).some(isThem(p))));
    expect(lost.slice(0, 5)).toEqual([]);
    // Rows that were the same person again were joined: one customer per person, no more.
    expect(customers).toHaveLength(people.length);

    // And `show` finds them as a user would look them up.
    for (const person of people.filter((p) => p.email !== '').slice(-3)) {
      const shown = await runCliInProcess(['show', person.email], { cwd });
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toMatch(new RegExp(`id csv +${person.externalId}\\n`));
    }
  }, 60_000 + ROWS * 10);
});
