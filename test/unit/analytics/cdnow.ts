import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Purchase } from '../../../src/analytics/summarize-purchases.js';

const FOLDER = fileURLToPath(new URL('../../../fixtures/cdnow/', import.meta.url));

/** CDNOW_sample.txt as purchases: sample customer id, date, dollars (the master id and CD count are not needed). */
export function readCdnowPurchases(): Purchase[] {
  return readFileSync(`${FOLDER}CDNOW_sample.txt`, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [, sampleId, yyyymmdd, , dollars] = line.trim().split(/\s+/);
      const date = `${yyyymmdd!.slice(0, 4)}-${yyyymmdd!.slice(4, 6)}-${yyyymmdd!.slice(6, 8)}`;
      return { customerId: Number(sampleId), date, amount: Number(dollars) };
    });
}

export interface PublishedSummaryRow {
  id: number;
  x: number;
  tx: number;
  T: number;
  zbar: number;
}

/** cdnow_customers_summary_with_transactions.csv: the published per-customer summary (weeks, two decimals). */
export function readPublishedSummary(): PublishedSummaryRow[] {
  const [, ...rows] = readFileSync(`${FOLDER}cdnow_customers_summary_with_transactions.csv`, 'utf8').split(/\r?\n/).filter((l) => l !== '');
  return rows.map((row) => {
    const [id, x, tx, T, zbar] = row.split(',').map(Number);
    return { id: id!, x: x!, tx: tx!, T: T!, zbar: zbar! };
  });
}

/** The calibration period's end: the published summaries and fits are as of this day. */
export const CDNOW_AS_OF = '1997-09-30';
