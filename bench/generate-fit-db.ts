/**
 * A deterministic custdb database for timing `custdb analytics fit`: `customers`
 * customers whose orders follow the models' own story, so that BG/NBD and
 * Gamma-Gamma have a maximum to find (the metrics bench's orders are drawn
 * uniformly, with no customer-level spread of spend, where Gamma-Gamma runs off
 * to q → ∞). First purchases are spread over the two years before AS_OF; then each
 * customer buys at rate λ ~ Gamma(r, α) per week and leaves after a purchase with
 * probability p ~ Beta(a, b); each order's amount is Gamma(p, ν) with ν ~ Gamma(q, v).
 * About five orders per customer. Built by bench/build-sqlite-bench-db.ts.
 */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { createRandom } from '../src/dedupe/create-random.js';
import { gammaVariate } from '../test/unit/analytics/simulate-bg-nbd.js';
import { buildSqliteBenchDb } from './build-sqlite-bench-db.js';

/** Bump when the rows for a given size change, so cached databases are rebuilt. */
export const FIT_DB_VERSION = 1;

/** The day the history ends: the bench fits as of it. */
export const AS_OF = '2026-06-30';

/** The parameters the orders are drawn from (α in weeks, v in dollars). */
export const TRUE_PARAMETERS = { bgnbd: { r: 1, alpha: 5, a: 0.7, b: 2.5 }, gammaGamma: { p: 6, q: 4, v: 15 } };

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const HISTORY_WEEKS = 104;

export function fitDbName(customers: number, seed: number): string {
  return `fit-g${FIT_DB_VERSION}-s${seed}-${customers}c.db`;
}

/** Builds the database at `file` unless it is already there. */
export function ensureFitDb(file: string, options: { customers: number; seed: number }, custdbBin: string, log: (line: string) => void): void {
  buildSqliteBenchDb(file, { tables: ['customers', 'orders'], writeRows: (db) => writeRows(db, options) }, custdbBin, log);
}

function writeRows(db: BetterSqlite3.Database, options: { customers: number; seed: number }): void {
  const random = createRandom(options.seed);
  const { bgnbd, gammaGamma } = TRUE_PARAMETERS;
  const end = Date.parse(`${AS_OF}T23:59:59.000Z`);
  const created = new Date(end - HISTORY_WEEKS * WEEK).toISOString();
  const insertCustomer = db.prepare(`INSERT INTO customers (id, first_name, email, email_norm, created_at, updated_at) VALUES (?, 'Ada', ?, ?, ?, ?)`);
  const insertOrder = db.prepare(
    `INSERT INTO orders (customer_id, source, external_id, ordered_at, status, currency, total_minor, created_at) VALUES (?, 'shop', ?, ?, 'paid', 'USD', ?, ?)`,
  );
  let orders = 0;
  for (let id = 1; id <= options.customers; id++) {
    const email = `ada${id}@example.com`;
    insertCustomer.run(id, email, email, created, created);
    const lambda = gammaVariate(random, bgnbd.r, bgnbd.alpha);
    const x = gammaVariate(random, bgnbd.a, 1);
    const leave = x / (x + gammaVariate(random, bgnbd.b, 1));
    const scale = gammaVariate(random, gammaGamma.q, gammaGamma.v);
    const first = end - random() * HISTORY_WEEKS * WEEK;
    for (let at = first; at <= end; at += (-Math.log(1 - random()) / lambda) * WEEK) {
      orders += 1;
      const when = new Date(at).toISOString();
      insertOrder.run(id, `F${orders}`, when, Math.max(1, Math.round(gammaVariate(random, gammaGamma.p, scale) * 100)), when);
      if (at > first && random() < leave) break;
    }
  }
}
