import { describe, expect, it } from 'vitest';
import { mapColumns, applySavedMapping, type MappingResult } from '../../../src/mapping/map-columns.js';
import { formatTarget, MappingSchema, toSavedMapping } from '../../../src/mapping/mapping-schema.js';
import { mapRow } from '../../../src/mapping/map-row.js';

function targets(result: MappingResult): Record<string, string> {
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return Object.fromEntries(result.mapping.columns.map((column) => [column.header, formatTarget(column.target)]));
}

describe('mapColumns by synonyms', () => {
  it('maps English and foreign headers to canonical fields', () => {
    const header = ['E-Mail', 'Vorname', 'Nachname', 'Téléphone', 'Código postal', 'Företagsnamn', 'Ville', 'Pays', 'Geburtsdatum', 'Date Registered'];
    expect(targets(mapColumns(header))).toEqual({
      'E-Mail': 'email',
      Vorname: 'first_name',
      Nachname: 'last_name',
      Téléphone: 'phone',
      'Código postal': 'postal_code',
      Företagsnamn: 'company',
      Ville: 'city',
      Pays: 'country',
      Geburtsdatum: 'birth_date',
      'Date Registered': 'signup_date',
    });
  });

  it('keeps unknown columns as snake_case attributes, or drops them with ignoreUnmapped', () => {
    expect(targets(mapColumns(['Email', 'Favourite Roast']))['Favourite Roast']).toBe('attr.favourite_roast');
    expect(targets(mapColumns(['Email', 'Favourite Roast'], { ignoreUnmapped: true }))['Favourite Roast']).toBe('ignore');
  });

  it("ignores the computed columns of custdb's own export, which orders decide, but keeps a plain Currency column", () => {
    expect(targets(mapColumns(['id', 'email', 'orders_count', 'total_spent', 'rfm_segment', 'Currency']))).toEqual({
      id: 'external_id',
      email: 'email',
      orders_count: 'ignore',
      total_spent: 'ignore',
      rfm_segment: 'ignore',
      Currency: 'attr.currency',
    });
  });

  it('keeps the first of two columns for one field and warns about the other', () => {
    const result = mapColumns(['Email', 'E-mail Address']);
    expect(targets(result)).toEqual({ Email: 'email', 'E-mail Address': 'attr.e_mail_address' });
    if (!result.ok) return;
    expect(result.warnings.join('\n')).toContain('"Email" and "E-mail Address" both look like email');
    expect(result.unplaced).toEqual([expect.objectContaining({ header: 'E-mail Address', reason: 'duplicate' })]);
  });

  it('lets a bare "ID" yield to "Customer ID" even when it comes first', () => {
    expect(targets(mapColumns(['ID', 'Customer ID', 'Email']))).toMatchObject({ ID: 'attr.id', 'Customer ID': 'external_id' });
  });

  it('reads a bare "Title" as job title unless its values are honorifics', () => {
    expect(targets(mapColumns(['Name', 'Title'], { samples: [['Ann Lee', 'Head Chef']] })).Title).toBe('job_title');
    expect(targets(mapColumns(['Name', 'Title'], { samples: [['Ann Lee', 'Mrs.'], ['Bo Ek', 'Dr']] })).Title).toBe('attr.title');
  });

  it('reads a bare "State" as region unless its values are statuses', () => {
    expect(targets(mapColumns(['Email', 'State'], { samples: [['a@example.com', 'OR']] })).State).toBe('region');
    expect(targets(mapColumns(['Email', 'State'], { samples: [['a@example.com', 'active'], ['b@example.com', 'closed']] })).State).toBe('attr.state');
  });

  it('guesses from a header ending in a field name and reports the guess', () => {
    const result = mapColumns(['Customer Email', 'HasOptedOutOfEmail']);
    expect(targets(result)).toEqual({ 'Customer Email': 'email', HasOptedOutOfEmail: 'attr.has_opted_out_of_email' });
    if (!result.ok) return;
    expect(result.unplaced.map((column) => [column.header, column.reason])).toEqual([
      ['Customer Email', 'guessed'],
      ['HasOptedOutOfEmail', 'unrecognised'],
    ]);
  });

  it('guesses an unnamed column of e-mail addresses from its values', () => {
    const samples = [['Ann', 'ann@example.com'], ['Bo', 'bo@example.com']];
    expect(targets(mapColumns(['Name', 'Kontakt'], { samples })).Kontakt).toBe('email');
  });

  it('does not call a column of yes/no "email" because of its name', () => {
    expect(targets(mapColumns(['Name', 'Mail'], { samples: [['Ann', 'yes'], ['Bo', 'no']] })).Mail).toBe('attr.mail');
  });

  it('strips the protective apostrophe from ids, phones and zips and splits tags', () => {
    const result = mapColumns(['Customer ID', 'Phone', 'Zip', 'Tags']);
    if (!result.ok) throw new Error('mapping failed');
    expect(mapRow(result.mapping, ["'123", "'+4420", "'04616", 'a, b;c'])).toEqual({
      fields: { external_id: '123', phone: '+4420', postal_code: '04616' },
      tags: ['a', 'b', 'c'],
      identities: [],
      attributes: {},
    });
  });
});

describe('mapColumns with --map overrides', () => {
  it('applies field, attr.NAME and ignore targets over synonyms', () => {
    const result = mapColumns(['Mail', 'Notes', 'Internal'], { overrides: { Mail: 'email', Notes: 'attr.Staff Notes', internal: 'ignore' } });
    expect(targets(result)).toEqual({ Mail: 'email', Notes: 'attr.staff_notes', Internal: 'ignore' });
    if (result.ok) expect(result.mapping.columns.map((column) => column.confidence)).toEqual(['override', 'override', 'override']);
  });

  it('moves the column an override displaced to an attribute', () => {
    expect(targets(mapColumns(['Email', 'Work Email'], { overrides: { 'Work Email': 'email' } }))).toEqual({ Email: 'attr.email', 'Work Email': 'email' });
  });

  it('returns an error listing the columns for an unknown column', () => {
    const result = mapColumns(['Email', 'Name'], { overrides: { Mobile: 'phone' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([expect.objectContaining({ code: 'unknown-column', column: 'Mobile', columnsFound: ['Email', 'Name'] })]);
  });

  it('returns an error listing the valid targets for an unknown field', () => {
    const result = mapColumns(['Email', 'Cell'], { overrides: { Cell: 'mobile_phone' } });
    if (result.ok) throw new Error('expected an error');
    const [error] = result.errors;
    expect(error?.code).toBe('unknown-target');
    if (error?.code !== 'unknown-target') return;
    expect(error.validTargets).toContain('phone');
    expect(error.validTargets).toContain('attr.NAME');
    expect(error.hint).toContain('phone');
  });

  it('refuses two overrides to one field', () => {
    const result = mapColumns(['A', 'B'], { overrides: { A: 'email', B: 'email' } });
    expect(result.ok ? null : result.errors[0]?.code).toBe('duplicate-target');
  });
});

describe('saved mappings', () => {
  it('round-trip through JSON and apply by column name, not position', () => {
    const first = mapColumns(['Mail', 'Surname', 'Roast'], { overrides: { Mail: 'email', Roast: 'attr.favourite_roast' } });
    if (!first.ok) throw new Error('mapping failed');
    const saved = MappingSchema.parse(JSON.parse(JSON.stringify(toSavedMapping(first.mapping))));

    const reordered = applySavedMapping(['Roast', 'Extra', 'Mail', 'Surname'], saved);
    expect(targets(reordered)).toEqual({ Roast: 'attr.favourite_roast', Extra: 'attr.extra', Mail: 'email', Surname: 'last_name' });
    if (reordered.ok) expect(reordered.mapping.columns.find((column) => column.header === 'Mail')?.confidence).toBe('saved');
  });

  it('warns when a saved column is missing from the file', () => {
    const saved = MappingSchema.parse({ version: 1, columns: [{ header: 'Mail', target: 'email' }, { header: 'Cell', target: 'phone' }] });
    const result = applySavedMapping(['Mail'], saved);
    expect(result.ok && result.warnings).toEqual(['The saved mapping names column "Cell", which this file does not have.']);
  });

  it('rejects a saved mapping with an unknown target', () => {
    expect(MappingSchema.safeParse({ version: 1, columns: [{ header: 'X', target: 'favourite' }] }).success).toBe(false);
  });
});
