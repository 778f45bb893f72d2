import type { Store } from '../db/store.js';
import type { MergePlan } from './plan-merge.js';

export interface MergeSummary {
  id: number;
  survivorId: number;
  mergedId: number;
  probability: number | null;
  createdAt: string;
  undoneAt: string | null;
  status: 'merged' | 'undone';
  actor: string | null;
  /** Fields of the survivor the merge changed. */
  fieldsChanged: string[];
}

/** Every merge, newest first. */
export async function listMerges(store: Store): Promise<MergeSummary[]> {
  const rows = await store.db
    .selectFrom('merges')
    .leftJoin('events', 'events.id', 'merges.event_id')
    .select(['merges.id', 'merges.survivor_id', 'merges.merged_id', 'merges.probability', 'merges.created_at', 'merges.undone_at', 'merges.plan_json', 'events.actor'])
    .orderBy('merges.id', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    survivorId: r.survivor_id,
    mergedId: r.merged_id,
    probability: r.probability,
    createdAt: r.created_at,
    undoneAt: r.undone_at,
    status: r.undone_at === null ? 'merged' : 'undone',
    actor: r.actor,
    fieldsChanged: (JSON.parse(r.plan_json) as MergePlan).fields.filter((f) => f.changes).map((f) => f.field),
  }));
}
