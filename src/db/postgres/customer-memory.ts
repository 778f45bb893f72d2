import type pg from 'pg';
import type { StoredCustomer } from '../customer-writer.js';
import type { KeyFilter } from '../key-filter.js';
import type { LookupKeys } from '../store.js';
import { loadImportCustomers, LOOKUP_LIMIT, type ImportCustomer } from './load-import-customers.js';

/** What a chunk may ask about a customer besides the row. */
interface Extras {
  sources: string[];
  tags: Set<string>;
  attributes: Map<string, string>;
}

/**
 * What a PostgreSQL import knows about customers: the table as it was read
 * (with the writes taken so far, which any query waits for), plus the writes
 * buffered since. Every key `load` was given (identity, email, phone) is
 * answered exactly as the table would answer once the buffers are written;
 * lookups of keys never loaded throw. Kept across chunks until `forget`, so
 * that writes can be buffered over many chunks.
 *
 * An email's (phone's) list is read from the table and corrected by the
 * buffered writes: customers moved off it are left out, customers moved onto
 * it (or new) are added from `moved`. The table is asked for enough of each
 * list that the first LOOKUP_LIMIT stay right after the moves: as many more as
 * customers in memory had that email in the table (they are the only ones the
 * import can have moved, or can move in this chunk), and more for those this
 * chunk reaches (see loadImportCustomers). A list the table has more of than
 * was read is read again by each chunk that asks about it (they are rare:
 * more than LOOKUP_LIMIT customers sharing one email or phone).
 */
export class CustomerMemory {
  readonly customers = new Map<number, StoredCustomer>();
  readonly extras = new Map<number, Extras>();
  /** (source\0external id) → holder before following merges; null when nobody holds it. */
  readonly identities = new Map<string, number | null>();
  /** Email (phone) → the active customers with it, lowest id first. */
  readonly byEmail = new Map<string, number[]>();
  readonly byPhone = new Map<string, number[]>();
  /** For customers in the table: their email and phone there (as read, or as last written). */
  private readonly stored = new Map<number, { email: string | null; phone: string | null }>();
  private readonly storedEmails = new Map<string, number>();
  private readonly storedPhones = new Map<string, number>();
  /**
   * Customers whose email (phone) differs from the table's, or who are not in it yet, by the current one, when
   * memory held no list for it as they moved (a list memory holds is kept up to date instead).
   */
  private readonly movedEmail = new Map<string, Set<number>>();
  private readonly movedPhone = new Map<string, Set<number>>();
  /**
   * Lists the table may hold more of than were read: past their first few they
   * are not to be trusted once rows move customers off them, so a chunk that
   * asks about one reads it again, far enough for its own moves.
   */
  private readonly truncatedEmails = new Set<string>();
  private readonly truncatedPhones = new Set<string>();

  /** `known` says which keys the table may hold (a "no" spares asking it); undefined: ask for every key. */
  constructor(private readonly known: KeyFilter | undefined) {}

  get size(): number {
    return this.customers.size + this.identities.size + this.byEmail.size + this.byPhone.size;
  }

  /** Reads what `keys` can reach that memory does not hold yet (awaiting `ready` before it asks the table). */
  async load(client: pg.ClientBase, keys: LookupKeys, ready: () => Promise<void>): Promise<void> {
    const identities: { source: string; externalId: string }[] = [];
    for (const key of keys.identities) {
      const k = identityKey(key.source, key.externalId);
      if (this.identities.has(k)) continue;
      this.identities.set(k, null);
      if (this.mightBeStored(`i${k}`)) identities.push(key);
    }
    const emails = this.unknownKeys(keys.emails, this.byEmail, this.truncatedEmails, 'e');
    const phones = this.unknownKeys(keys.phones, this.byPhone, this.truncatedPhones, 'p');
    const emailExtras = emails.asked.map((e) => this.storedEmails.get(e) ?? 0);
    const phoneExtras = phones.asked.map((p) => this.storedPhones.get(p) ?? 0);
    let loaded: ImportCustomer[] = [];
    if (identities.length + emails.asked.length + phones.asked.length > 0) {
      await ready();
      loaded = await loadImportCustomers(client, { identities, emails: emails.asked, phones: phones.asked, emailExtras, phoneExtras });
    }
    const emailCandidates = new Map<string, number[]>(emails.asked.map((e) => [e, []]));
    const phoneCandidates = new Map<string, number[]>(phones.asked.map((p) => [p, []]));
    for (const customer of loaded) {
      const row = customer.row;
      for (const n of customer.identityHits) this.identities.set(identityKey(identities[n]!.source, identities[n]!.externalId), row.id);
      // As the table has them (memory may hold newer values): the table's list is what the window read.
      if (row.status === 'active' && row.email_norm !== null) emailCandidates.get(row.email_norm)?.push(row.id);
      if (row.status === 'active' && row.phone_e164 !== null) phoneCandidates.get(row.phone_e164)?.push(row.id);
      // What memory holds is newer than the table: the import may have changed it since.
      if (this.customers.has(row.id)) continue;
      this.customers.set(row.id, row);
      this.extras.set(row.id, { sources: customer.sources, tags: new Set(customer.tags), attributes: new Map(customer.attributes) });
      this.setStored(row.id, row.email_norm, row.phone_e164);
    }
    emails.asked.forEach((e, i) => markTruncated(this.truncatedEmails, e, emailCandidates.get(e)!.length >= LOOKUP_LIMIT + emailExtras[i]!));
    phones.asked.forEach((p, i) => markTruncated(this.truncatedPhones, p, phoneCandidates.get(p)!.length >= LOOKUP_LIMIT + phoneExtras[i]!));
    for (const e of [...emails.asked, ...emails.unasked]) this.setList(this.byEmail, this.movedEmail, e, emailCandidates.get(e) ?? [], 'email_norm');
    for (const p of [...phones.asked, ...phones.unasked]) this.setList(this.byPhone, this.movedPhone, p, phoneCandidates.get(p) ?? [], 'phone_e164');
  }

  /** A customer the import inserts (not in the table yet). */
  addNew(row: StoredCustomer): void {
    this.customers.set(row.id, row);
    this.extras.set(row.id, { sources: [], tags: new Set(), attributes: new Map() });
    if (row.email_norm !== null) {
      this.move(this.byEmail, this.movedEmail, row.id, null, row.email_norm, undefined, row.status);
      this.known?.add(`e${row.email_norm}`);
    }
    if (row.phone_e164 !== null) {
      this.move(this.byPhone, this.movedPhone, row.id, null, row.phone_e164, undefined, row.status);
      this.known?.add(`p${row.phone_e164}`);
    }
  }

  /** Replaces a customer's row, moving it between the lists its email and phone put it on. */
  replace(next: StoredCustomer): void {
    const current = this.customers.get(next.id)!;
    this.customers.set(next.id, next);
    const stored = this.stored.get(next.id);
    if (current.email_norm !== next.email_norm) {
      this.move(this.byEmail, this.movedEmail, next.id, current.email_norm, next.email_norm, stored === undefined ? undefined : stored.email, current.status);
      if (next.email_norm !== null) this.known?.add(`e${next.email_norm}`);
    }
    if (current.phone_e164 !== next.phone_e164) {
      this.move(this.byPhone, this.movedPhone, next.id, current.phone_e164, next.phone_e164, stored === undefined ? undefined : stored.phone, current.status);
      if (next.phone_e164 !== null) this.known?.add(`p${next.phone_e164}`);
    }
  }

  setIdentity(source: string, externalId: string, customerId: number): void {
    const k = identityKey(source, externalId);
    this.identities.set(k, customerId);
    this.known?.add(`i${k}`);
  }

  holderOf(source: string, externalId: string): number | null | undefined {
    return this.identities.get(identityKey(source, externalId));
  }

  /** After the buffers were written: the table now holds what memory does. */
  rebase(): void {
    this.stored.clear();
    this.storedEmails.clear();
    this.storedPhones.clear();
    this.movedEmail.clear();
    this.movedPhone.clear();
    for (const row of this.customers.values()) this.setStored(row.id, row.email_norm, row.phone_e164);
  }

  forget(): void {
    for (const map of [this.customers, this.extras, this.identities, this.byEmail, this.byPhone, this.stored, this.storedEmails, this.storedPhones, this.movedEmail, this.movedPhone]) {
      map.clear();
    }
    this.truncatedEmails.clear();
    this.truncatedPhones.clear();
  }

  private mightBeStored(key: string): boolean {
    return this.known === undefined || this.known.mightContain(key);
  }

  /** Of `keys`, those to read: without a list in memory (`asked` if the table may hold them, else `unasked`), or with a truncated one. */
  private unknownKeys(keys: readonly string[], lists: Map<string, number[]>, truncated: ReadonlySet<string>, prefix: string): { asked: string[]; unasked: string[] } {
    const asked = new Set<string>();
    const unasked = new Set<string>();
    for (const key of keys) {
      if (truncated.has(key)) asked.add(key);
      if (lists.has(key)) continue;
      (this.mightBeStored(prefix + key) ? asked : unasked).add(key);
    }
    return { asked: [...asked], unasked: [...unasked] };
  }

  /**
   * Sets `value`'s list: the active customers whose current `field` is `value`, lowest id first, from the table's
   * candidates, those moved onto it while memory had no list for it, and what an earlier list of it held.
   */
  private setList(lists: Map<string, number[]>, moved: Map<string, Set<number>>, value: string, fromTable: readonly number[], field: 'email_norm' | 'phone_e164'): void {
    const ids = new Set([...fromTable, ...(moved.get(value) ?? []), ...(lists.get(value) ?? [])]);
    moved.delete(value);
    const list = [...ids].filter((id) => {
      const row = this.customers.get(id);
      return row !== undefined && row.status === 'active' && row[field] === value;
    });
    lists.set(value, list.sort((a, b) => a - b));
  }

  /**
   * Moves customer `id` from the list of `from` to that of `to`, in id order. Lists memory does not hold are
   * not kept; a customer moved onto one of them that the table does not have there (`inTable`) is noted in
   * `moved`, for when it is read.
   */
  private move(
    lists: Map<string, number[]>,
    moved: Map<string, Set<number>>,
    id: number,
    from: string | null,
    to: string | null,
    inTable: string | null | undefined,
    status: StoredCustomer['status'],
  ): void {
    if (status !== 'active') return;
    if (from !== null) {
      moved.get(from)?.delete(id);
      const list = lists.get(from);
      const at = list?.indexOf(id) ?? -1;
      if (at >= 0) list!.splice(at, 1);
    }
    if (to === null) return;
    const list = lists.get(to);
    if (list === undefined) {
      if (to !== inTable) addTo(moved, to, id);
    } else if (!list.includes(id)) {
      let at = list.length;
      while (at > 0 && list[at - 1]! > id) at--;
      list.splice(at, 0, id);
    }
  }

  private setStored(id: number, email: string | null, phone: string | null): void {
    this.stored.set(id, { email, phone });
    if (email !== null) this.storedEmails.set(email, (this.storedEmails.get(email) ?? 0) + 1);
    if (phone !== null) this.storedPhones.set(phone, (this.storedPhones.get(phone) ?? 0) + 1);
  }
}

export function identityKey(source: string, externalId: string): string {
  return `${source}\u0000${externalId}`;
}

function markTruncated(set: Set<string>, key: string, truncated: boolean): void {
  if (truncated) set.add(key);
  else set.delete(key);
}

function addTo(map: Map<string, Set<number>>, key: string, id: number): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(id);
}
