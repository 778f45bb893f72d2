import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';
import { normalizeCountry } from '../normalize/normalize-country.js';
import { recordEvent } from '../audit/record-event.js';

/** Known settings, each with a parser that returns the stored form or throws UsageError. */
export const SETTINGS: Record<string, (value: string) => string> = {
  'default-country': (value) => {
    const code = normalizeCountry(value);
    if (!code) throw new UsageError(`"${value}" is not a country custdb knows.`, { hint: 'Use an ISO code such as GB, US or DE.' });
    return code;
  },
};

function checkKey(key: string): (value: string) => string {
  const parse = SETTINGS[key];
  if (!parse) throw new UsageError(`There is no setting called ${key}.`, { hint: `Settings: ${Object.keys(SETTINGS).join(', ')}.` });
  return parse;
}

/** Stores a setting (parsed and checked) and returns the stored form. */
export async function setSetting(store: Store, key: string, value: string, actor: string): Promise<string> {
  const stored = checkKey(key)(value);
  await store.transaction(async (trx) => {
    await trx.insertInto('settings').values({ key, value: stored }).onConflict((oc) => oc.column('key').doUpdateSet({ value: stored })).execute();
    await recordEvent(trx, { actor, command: 'config set', summary: `${key} = ${stored}` });
  });
  return stored;
}

export async function getSetting(store: Store, key: string): Promise<string | undefined> {
  checkKey(key);
  const row = await store.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function listSettings(store: Store): Promise<Record<string, string | null>> {
  const rows = await store.db.selectFrom('settings').selectAll().execute();
  const values = new Map(rows.map((r) => [r.key, r.value]));
  return Object.fromEntries(Object.keys(SETTINGS).map((key) => [key, values.get(key) ?? null]));
}
