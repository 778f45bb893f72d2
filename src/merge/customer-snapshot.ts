import type { Selectable } from 'kysely';
import type { CustomerIdentityTable, CustomerTable } from '../db/tables.js';

export type CustomerRow = Selectable<CustomerTable>;
export type IdentityRow = Selectable<CustomerIdentityTable>;

/** Everything about one customer that a merge reads, changes, and an undo must put back. */
export interface CustomerSnapshot {
  /** The whole `customers` row. */
  customer: CustomerRow;
  /** Sorted. */
  tags: string[];
  attributes: Record<string, string>;
  /** Sorted by id. */
  identities: IdentityRow[];
  /** When each customer column last changed (from the change log); columns never changed since creation are absent. */
  fieldUpdatedAt: Partial<Record<keyof CustomerRow, string>>;
}
