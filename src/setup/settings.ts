import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';
import { normalizeCountry } from '../normalize/normalize-country.js';
import { CALENDAR_UNITS, describeUnits, parseDuration } from '../normalize/parse-duration.js';
import { recordEvent } from '../audit/record-event.js';
import { readFileSync } from 'node:fs';
import { formatRfmTable, parseRfmTableJson } from '../analytics/rfm-table-file.js';
import { DEFAULT_RFM_TABLE } from '../db/rfm-table.js';
import { readBackupMaxAge } from '../backup/backup-max-age.js';

/** Known settings, each with a parser that returns the stored form or throws UsageError. */
export const SETTINGS: Record<string, (value: string) => string> = {
  'default-country': (value) => {
    const code = normalizeCountry(value);
    if (!code) throw new UsageError(`"${value}" is not a country custdb knows.`, { hint: 'Use an ISO code such as GB, US or DE.' });
    return code;
  },
  /** The store's main currency: RFM monetary ranks spend in it (unset: the currency with the most orders). */
  currency: (value) => {
    const code = value.trim().toUpperCase();
    if (!/^[A-Z]{3}$/.test(code)) throw new UsageError(`"${value}" is not a currency code.`, { hint: 'Use a three-letter ISO 4217 code such as USD, EUR or GBP.' });
    return code;
  },
  /** RFM segment names by recency and frequency, read from a JSON file (src/analytics/rfm-table-file.ts); "default" restores the built-in table. */
  'rfm-table': (value) => {
    if (value === 'default') return formatRfmTable(DEFAULT_RFM_TABLE);
    let text: string;
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read the RFM table file ${value}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
        hint: 'Give the path of a JSON file with keys "1" to "5", or "default" for the built-in table.',
      });
    }
    return formatRfmTable(parseRfmTableJson(text, value));
  },
  /** How long an inactive customer's data is kept: `custdb validate` counts who is past it, `custdb purge` erases them. */
  retention: (value) => {
    const duration = parseDuration(value, CALENDAR_UNITS);
    if (duration === undefined) throw new UsageError(`"${value}" is not a length of time.`, { hint: `Write ${describeUnits(CALENDAR_UNITS)}: 3y, 18m or 90d.` });
    return duration.text;
  },
  /** How old the newest backup may be before doctor warns (and with it set, doctor also warns when there is none): 36h, 7d, 2w. */
  'backup-max-age': (value) => {
    return readBackupMaxAge(value).text;
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
