import type { Store } from '../db/store.js';
import type { PairExplanation } from '../dedupe/explain-pair.js';
import { NotFoundError } from '../errors.js';
import { findCustomerDuplicates } from './find-customer-duplicates.js';
import { loadCustomerCards, type CustomerCard } from './load-customer-cards.js';

export interface CustomerPairExplanation {
  left: CustomerCard;
  right: CustomerCard;
  explanation: PairExplanation;
  threshold: number;
  /** Who said they are not the same person, and when (null when nobody did). */
  markedDistinct: { by: string; at: string } | null;
}

/**
 * How two active customers compare, field by field, scored as `dedupe` scores
 * them, and whether someone marked them "not the same person". Throws
 * NotFoundError when either is missing or no longer active; changes nothing.
 */
export async function explainCustomerPair(store: Store, a: number, b: number): Promise<CustomerPairExplanation> {
  const cards = await loadCustomerCards(store, [a, b]);
  const activeCard = (id: number): CustomerCard => {
    const card = cards.get(id);
    if (!card) throw new NotFoundError(`There is no customer ${id}.`, { hint: 'Find ids with "custdb dedupe" or "custdb export customers".' });
    if (card.status !== 'active') {
      throw new NotFoundError(`Customer ${id} is ${card.status}${card.merged_into === null ? '' : ` into ${card.merged_into}`}; only active customers are compared.`, {
        hint: card.merged_into === null ? undefined : `Explain with ${card.merged_into} instead, or undo the merge ("custdb merges list").`,
      });
    }
    return card;
  };
  const left = activeCard(a);
  const right = activeCard(b);
  const found = await findCustomerDuplicates(store);
  const explanation = found.explain(a, b);
  if (!explanation) throw new NotFoundError(`Customer ${a} or ${b} is not active.`);
  const decision = await store.db
    .selectFrom('dedupe_decisions')
    .select(['actor', 'decided_at'])
    .where('left_id', '=', Math.min(a, b))
    .where('right_id', '=', Math.max(a, b))
    .executeTakeFirst();
  return {
    left,
    right,
    explanation,
    threshold: found.threshold,
    markedDistinct: decision ? { by: decision.actor, at: decision.decided_at } : null,
  };
}
