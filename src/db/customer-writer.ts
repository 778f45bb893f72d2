import type { CustomerValues } from '../model/customer-record.js';
import type { ChangeEntity } from './tables.js';

/** An existing customer as identity resolution sees it. */
export interface StoredCustomer extends CustomerValues {
  id: number;
  email_consent_at: string | null;
  email_consent_source: string | null;
  sms_consent_at: string | null;
  sms_consent_source: string | null;
  status: 'active' | 'merged' | 'erased';
  merged_into: number | null;
}

export interface ChangeRow {
  batchId: number | null;
  eventId: number | null;
  customerId: number;
  entity: ChangeEntity;
  entityId: string | null;
  action: 'insert' | 'update' | 'delete';
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
}

/**
 * What identity resolution and an import read and write, customer by
 * customer, inside an import's transaction (each dialect implements it in its
 * folder). Methods are synchronous: the import calls them for every row; a
 * dialect whose lookups are round trips loads what a chunk of rows will ask
 * for before the chunk (`ImportSession.prepare`) and writes at `flush`.
 */
export interface CustomerWriter {
  getCustomer(id: number): StoredCustomer | undefined;
  /** The customer holding (source, external id), following merges to the survivor. */
  findByIdentity(source: string, externalId: string): number | undefined;
  /** Active customers with this normalised email, lowest id first (at most 10). */
  findByEmail(emailNorm: string): number[];
  /** Active customers with this E.164 phone, lowest id first (at most 10). */
  findByPhone(e164: string): number[];
  /** The sources the customer has external ids from. */
  identitySources(customerId: number): string[];
  tags(customerId: number): string[];
  attributes(customerId: number): Map<string, string>;
  /** Inserts a customer; returns the new id. Consent is stamped `consentAt` (when it was stated), else `now`. */
  insertCustomer(values: CustomerValues, meta: { batchId: number | null; now: string; consentSource: string; consentAt?: string }): number;
  /** Sets one column; consent fields also stamp when (`consentAt`, else `now`) and from where. */
  updateField(customerId: number, field: keyof CustomerValues, value: string | null, meta: { now: string; consentSource: string; consentAt?: string }): void;
  insertIdentity(customerId: number, source: string, externalId: string, batchId: number | null, now: string): void;
  /** Returns true when the tag was new for this customer. */
  insertTag(customerId: number, tag: string): boolean;
  setAttribute(customerId: number, name: string, value: string): void;
  recordChange(change: ChangeRow, at: string): void;
  flagSuspect(customerId: number, otherId: number, reason: string, batchId: number | null, now: string): void;
  touch(customerId: number, now: string): void;
}

/** The columns a change record is written with: one spelling for every dialect's writer (`changeValues` gives its values in this order). */
export const CHANGE_COLUMNS = ['batch_id', 'event_id', 'customer_id', 'entity', 'entity_id', 'action', 'field', 'old_value', 'new_value', 'at'] as const;

/** A change's values in CHANGE_COLUMNS order. */
export function changeValues(change: ChangeRow, at: string): (string | number | null)[] {
  return [change.batchId, change.eventId, change.customerId, change.entity, change.entityId, change.action, change.field, change.oldValue, change.newValue, at];
}
