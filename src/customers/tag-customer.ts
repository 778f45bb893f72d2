import { nowIso } from '../db/clock.js';
import type { Store } from '../db/store.js';
import { UsageError } from '../errors.js';
import { stripExcelApostrophe } from '../normalize/clean-cell.js';
import { loadEditableCustomer } from './edit-customer.js';
import { recordManualChanges } from './record-manual-changes.js';

export interface TagResult {
  id: number;
  /** Tags added (tag) or removed (untag). */
  changed: string[];
  /** Tags already there (tag) or not there (untag): nothing to do for them. */
  skipped: string[];
  tags: string[];
}

/** Cleans tag arguments as an import cleans a Tags cell; duplicates (ignoring case) dropped. Pure. */
export function cleanTags(tags: readonly string[]): string[] {
  const result: string[] = [];
  for (const raw of tags) {
    const tag = stripExcelApostrophe(raw.trim()).trim();
    if (tag !== '' && !result.some((t) => t.toLowerCase() === tag.toLowerCase())) result.push(tag);
  }
  if (result.length === 0) throw new UsageError('No tag given.', { hint: 'Example: custdb customers tag 42 vip wholesale' });
  return result;
}

/**
 * Adds tags to an active customer (a tag already there, in any case, is
 * skipped), recorded as an event plus one `changes` row per tag added.
 */
export async function tagCustomer(store: Store, customerId: number, tags: readonly string[], actor: string): Promise<TagResult> {
  return changeTags(store, customerId, cleanTags(tags), actor, 'tag');
}

/** Removes tags (matched ignoring case) from an active customer, recorded like tagCustomer. */
export async function untagCustomer(store: Store, customerId: number, tags: readonly string[], actor: string): Promise<TagResult> {
  return changeTags(store, customerId, cleanTags(tags), actor, 'untag');
}

async function changeTags(store: Store, customerId: number, tags: string[], actor: string, mode: 'tag' | 'untag'): Promise<TagResult> {
  await loadEditableCustomer(store, customerId);
  const now = nowIso();
  return store.transaction(async (trx) => {
    const current = (await trx.selectFrom('customer_tags').select('tag').where('customer_id', '=', customerId).execute()).map((r) => r.tag);
    const find = (tag: string) => current.find((t) => t.toLowerCase() === tag.toLowerCase());
    const changed: string[] = [];
    const skipped: string[] = [];
    for (const tag of tags) {
      const existing = find(tag);
      if (mode === 'tag') {
        if (existing !== undefined) skipped.push(existing);
        else {
          await trx.insertInto('customer_tags').values({ customer_id: customerId, tag }).execute();
          changed.push(tag);
        }
      } else if (existing === undefined) skipped.push(tag);
      else {
        await trx.deleteFrom('customer_tags').where('customer_id', '=', customerId).where('tag', '=', existing).execute();
        changed.push(existing);
      }
    }
    if (changed.length > 0) {
      await trx.updateTable('customers').set({ updated_at: now }).where('id', '=', customerId).execute();
      await recordManualChanges(
        trx,
        {
          actor,
          command: `customers ${mode}`,
          summary: `${mode === 'tag' ? 'tagged' : 'untagged'} customer ${customerId}: ${changed.join(', ')}`,
          details: { customerId, tags: changed },
        },
        changed.map((tag) =>
          mode === 'tag'
            ? { customerId, entity: 'tag' as const, action: 'insert' as const, field: tag, oldValue: null, newValue: tag }
            : { customerId, entity: 'tag' as const, action: 'delete' as const, field: tag, oldValue: tag, newValue: null },
        ),
        now,
      );
    }
    const after = (await trx.selectFrom('customer_tags').select('tag').where('customer_id', '=', customerId).orderBy('tag').execute()).map((r) => r.tag);
    return { id: customerId, changed, skipped, tags: after };
  });
}
