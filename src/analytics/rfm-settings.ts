import { DEFAULT_RFM_TABLE, type RfmTable } from '../db/rfm-table.js';
import { readMostOrderedCurrency } from '../db/customer-fields-query.js';
import type { Store } from '../db/store.js';
import { parseRfmTableJson } from './rfm-table-file.js';

/** What the settings say about RFM: the segment table and the main currency (absent: chosen from the orders). */
export interface RfmSettings {
  rfmTable: RfmTable;
  mainCurrency: string | undefined;
}

/**
 * Reads the `rfm-table` and `currency` settings, for selectCustomerFields.
 * @example const query = selectCustomerFields(store, { asOf, ...(await readRfmSettings(store)) });
 */
export async function readRfmSettings(store: Store): Promise<RfmSettings> {
  const rows = await store.db.selectFrom('settings').select(['key', 'value']).where('key', 'in', ['rfm-table', 'currency']).execute();
  const value = (key: string) => rows.find((row) => row.key === key)?.value;
  const table = value('rfm-table');
  return {
    rfmTable: table === undefined ? DEFAULT_RFM_TABLE : parseRfmTableJson(table, 'The stored rfm-table setting'),
    mainCurrency: value('currency'),
  };
}

/**
 * The shop's main currency, the one sums of money are in: the `currency` setting, else the
 * currency with the most counted orders; undefined when no counted order has a currency.
 */
export async function readMainCurrency(store: Store): Promise<string | undefined> {
  return (await readRfmSettings(store)).mainCurrency ?? (await readMostOrderedCurrency(store));
}
