import { describe, expect, it } from 'vitest';
import { mapColumns } from '../../../src/mapping/map-columns.js';
import { recognizePreset } from '../../../src/mapping/recognize-preset.js';
import { needsMappingWizard } from '../../../src/import-wizard/needs-mapping-wizard.js';
import { buildQuestion, CUSTOM_ATTRIBUTE, planMappingQuestions, type MappingQuestionPlan } from '../../../src/import-wizard/plan-mapping-questions.js';
import { mappingNameProblem, suggestMappingName } from '../../../src/import-wizard/suggest-mapping-name.js';

function plan(header: string[], samples: string[][]): MappingQuestionPlan {
  const mapped = mapColumns(header, { samples });
  if (!mapped.ok) throw new Error(JSON.stringify(mapped.errors));
  return planMappingQuestions(header, samples, mapped);
}

const ODD_HEADER = ['Ref', 'Who', 'Contact', 'Mob.', 'Town', 'Fav Roast', 'Member since', 'Customer Email'];
const ODD_ROWS = [
  ['A-17', "Jane O'Brien", 'jane@example.com', '07700 900123', 'Leeds', 'dark', '2024-01-05', 'jane@example.com'],
  ['A-18', 'Tom Baker', 'tom.baker@example.com', '+44 20 7946 0958', 'York', 'light', '2024-02-11', 'tom@example.com'],
  ['A-19', 'Sara Lee', 'sara@example.org', '020 7946 0001', 'Hull', 'dark', '2024-03-20', 'sara@example.org'],
];

describe('planMappingQuestions', () => {
  const odd = plan(ODD_HEADER, ODD_ROWS);
  const byHeader = (name: string) => odd.columns.find((c) => c.header === name)!;
  const question = (name: string) => [...odd.questions, ...odd.keepAsAttributes].find((q) => q.column.header === name)!;

  it('shows every column with up to three distinct sample values, its target and how sure custdb is', () => {
    expect(odd.columns.map((c) => [c.header, c.target, c.status])).toEqual([
      ['Ref', 'external_id', 'sure'],
      ['Who', 'attr.who', 'unrecognised'],
      ['Contact', 'full_name', 'doubtful'],
      ['Mob.', 'attr.mob', 'unrecognised'],
      ['Town', 'city', 'sure'],
      ['Fav Roast', 'attr.fav_roast', 'unrecognised'],
      ['Member since', 'attr.member_since', 'unrecognised'],
      ['Customer Email', 'email', 'guessed'],
    ]);
    expect(byHeader('Fav Roast').samples).toEqual(['dark', 'light']);
    expect(byHeader('Mob.').samples).toEqual(['07700 900123', '+44 20 7946 0958', '020 7946 0001']);
  });

  it('suggests what the values plainly are: phones, email addresses, full names', () => {
    expect(question('Mob.').suggestion).toBe('phone');
    expect(question('Contact').suggestion).toBe('email');
    expect(question('Who').suggestion).toBe('full_name');
    expect(question('Contact').choices[0]).toEqual({ value: 'email', label: 'email', note: 'the values look like email addresses' });
    expect(question('Contact').choices[1]).toMatchObject({ value: 'full_name', note: 'as mapped now' });
  });

  it('offers dates as signup or birth dates, and keeps the automatic guess first', () => {
    const since = question('Member since');
    expect(since.suggestion).toBe('attr.member_since');
    expect(since.choices.slice(0, 3).map((c) => c.value)).toEqual(['attr.member_since', 'signup_date', 'birth_date']);
  });

  it('every question ends with a named custom field and ignore, and marks fields other columns hold', () => {
    const choices = question('Mob.').choices;
    expect(choices.slice(-2).map((c) => c.value)).toEqual([CUSTOM_ATTRIBUTE, 'ignore']);
    expect(choices.find((c) => c.value === 'city')?.note).toBe('now from "Town", which would become a custom field');
    expect(new Set(choices.map((c) => c.value)).size).toBe(choices.length);
  });

  it('groups unrecognised columns nothing explains, when a column surely identifies the customer', () => {
    expect(odd.identifierConfident).toBe(true);
    expect(odd.keepAsAttributes.map((q) => q.column.header)).toEqual(['Fav Roast']);
    expect(odd.questions.map((q) => q.column.header)).toEqual(['Who', 'Contact', 'Mob.', 'Member since', 'Customer Email']);
  });

  it('asks about every column one by one when nothing surely identifies a customer', () => {
    const noId = plan(['Code', 'Colour'], [['X1', 'red'], ['X2', 'blue']]);
    expect(noId.identifierConfident).toBe(false);
    expect(noId.keepAsAttributes).toEqual([]);
    expect(noId.questions.map((q) => q.column.header)).toEqual(['Code', 'Colour']);
  });

  it('asks nothing about a file whose every column has a known name', () => {
    const plain = plan(['Email', 'First Name', 'Phone'], [['a@example.com', 'Ann', '+44 20 7946 0958']]);
    expect(plain.questions).toEqual([]);
    expect(plain.keepAsAttributes).toEqual([]);
    expect(plain.identifierConfident).toBe(true);
  });

  it('a question limited to identifying fields offers only those, first one suggested', () => {
    const code = plan(['Code', 'Colour'], [['X1', 'red']]).columns[0]!;
    const limited = buildQuestion(code, new Map(), ['external_id', 'email', 'phone', 'first_name', 'last_name', 'full_name']);
    expect(limited.choices.map((c) => c.value)).toEqual(['external_id', 'email', 'phone', 'first_name', 'last_name', 'full_name']);
    expect(limited.suggestion).toBe('external_id');
  });

  it('does not suggest a field another column holds: falls back to a custom field', () => {
    const column = odd.columns.find((c) => c.header === 'Customer Email')!;
    const taken = new Map([['email', 'Contact']]);
    expect(buildQuestion(column, taken).suggestion).toBe('attr.customer_email');
  });
});

describe('needsMappingWizard', () => {
  const odd = plan(ODD_HEADER, ODD_ROWS);
  const none = { best: null, weak: true };

  it('runs for an uncertain file when the command line says nothing about the mapping', () => {
    expect(needsMappingWizard({ maps: [] }, none, odd)).toBe(true);
    expect(needsMappingWizard({ maps: [], preset: 'auto' }, none, odd)).toBe(true);
  });

  it('never runs when --map, --mapping or --preset already say how', () => {
    expect(needsMappingWizard({ maps: ['Mob.=phone'] }, none, odd)).toBe(false);
    expect(needsMappingWizard({ maps: [], mapping: 'till' }, none, odd)).toBe(false);
    expect(needsMappingWizard({ maps: [], preset: 'shopify-customers' }, none, odd)).toBe(false);
  });

  it('never runs for a recognised platform export, nor when every column is sure', () => {
    const shopify = recognizePreset(['First Name', 'Last Name', 'Email', 'Total Spent', 'Total Orders', 'Tax Exempt', 'Phone']);
    expect(shopify.weak).toBe(false);
    expect(needsMappingWizard({ maps: [] }, shopify, odd)).toBe(false);
    expect(needsMappingWizard({ maps: [] }, none, plan(['Email', 'Phone'], [['a@example.com', '+15035550123']]))).toBe(false);
  });

  it('never runs for columns custdb only does not know: they are kept as custom fields without asking', () => {
    const extras = plan(['Email', 'First Name', 'Fav Roast', 'Grind'], [['ann@example.com', 'Ann', 'dark', 'fine'], ['bo@example.com', 'Bo', 'light', 'coarse']]);
    expect(extras.keepAsAttributes.map((q) => q.column.header)).toEqual(['Fav Roast', 'Grind']);
    expect(extras.questions).toEqual([]);
    expect(needsMappingWizard({ maps: [] }, none, extras)).toBe(false);
  });

  it('still runs when an unknown column holds what looks like a field, or nothing surely identifies a customer', () => {
    const phones = plan(['Email', 'Mob.'], [['ann@example.com', '07700 900123'], ['bo@example.com', '07700 900124']]);
    expect(phones.questions.map((q) => q.column.header)).toEqual(['Mob.']);
    expect(needsMappingWizard({ maps: [] }, none, phones)).toBe(true);
    const noIdentifier = plan(['Code', 'Colour'], [['X1', 'red'], ['X2', 'blue']]);
    expect(noIdentifier.identifierConfident).toBe(false);
    expect(needsMappingWizard({ maps: [] }, none, noIdentifier)).toBe(true);
  });

  it('runs when a preset fits only weakly', () => {
    const weak = recognizePreset(['Record ID', 'Colour', 'Size', 'Loyalty', 'Shoe', 'Hat', 'Bag', 'Dog', 'Email']);
    expect(weak.best?.preset.name).toBe('hubspot-contacts');
    expect(weak.weak).toBe(true);
    expect(needsMappingWizard({ maps: [] }, weak, odd)).toBe(true);
  });
});

describe('suggestMappingName', () => {
  it('names the mapping after the file, without dates or numbers, so daily files share it', () => {
    expect(suggestMappingName('/data/in/Till Export 2026-05-01.csv')).toBe('till-export');
    expect(suggestMappingName('orders_20260501.csv')).toBe('orders');
    expect(suggestMappingName('odd.csv')).toBe('odd');
    expect(suggestMappingName('Café clients-3.csv')).toBe('cafe-clients');
    expect(suggestMappingName('2026-05-01.csv')).toBe('my-mapping');
  });

  it('accepts plain names only, so --mapping NAME never reads as a file', () => {
    expect(mappingNameProblem('till')).toBeNull();
    expect(mappingNameProblem('odd_till-2')).toBeNull();
    expect(mappingNameProblem('')).toMatch(/name/);
    expect(mappingNameProblem('odd till')).toMatch(/letters, digits/);
    expect(mappingNameProblem('map.json')).toMatch(/letters, digits/);
    expect(mappingNameProblem('../x')).toMatch(/letters, digits/);
  });
});
