import type { DuplicateCluster } from '../../dedupe-run/find-customer-duplicates.js';
import type { ClusterPreview } from '../../merge/merge-cluster.js';
import { countOf, formatPercent } from './numbers.js';
import { formatCount } from './format-count.js';
import { clip } from './text-layout.js';

/** What `dedupe --merge` will do, group by group and field by field, before it asks. */
export function renderMergePlan(threshold: number, clusters: readonly DuplicateCluster[], previews: readonly ClusterPreview[]): string {
  const lines = [`Merge plan (threshold ${threshold}):`];
  clusters.forEach((cluster, k) => {
    const preview = previews[k];
    if (preview) lines.push(...describePreview(preview, cluster));
  });
  return lines.join('\n');
}

function describePreview(preview: ClusterPreview, cluster: DuplicateCluster): string[] {
  const others = cluster.ids.filter((id) => id !== preview.survivorId);
  const lines = [`  #${preview.survivorId} keeps, absorbing ${others.map((id) => `#${id}`).join(', ')}  (${formatPercent(cluster.probability)} sure)`];
  for (const plan of preview.plans) {
    // Normalised forms, consent dates and sources follow the value they belong to, so they are not listed apart.
    const changes = plan.fields.filter((f) => f.changes && !f.field.endsWith('_norm') && !f.field.endsWith('_e164') && !f.field.endsWith('_at') && !f.field.endsWith('_source'));
    for (const f of changes) lines.push(`      ${f.field}: ${showValue(f.value)} from #${plan.mergedId} — ${f.reason}`);
    if (plan.addTags.length > 0) lines.push(`      tags: + ${plan.addTags.join(', ')}`);
    for (const a of plan.attributes) lines.push(`      attr.${a.name}: ${showValue(a.value)} — ${a.reason}`);
    if (plan.identities.length > 0) lines.push(`      identities: + ${plan.identities.map((i) => `${i.source}:${i.externalId}`).join(', ')}`);
  }
  return lines;
}

/** A value in a merge plan: quoted and clipped, or "(empty)". */
function showValue(value: string | null): string {
  return value === null ? '(empty)' : JSON.stringify(clip(value, 40));
}

/** The merges `dedupe --merge` made, one line per survivor, and how to undo them. */
export function renderMergesDone(done: readonly { survivorId: number; mergedIds: number[]; mergeIds: number[] }[]): string {
  const merged = done.reduce((n, d) => n + d.mergedIds.length, 0);
  const lines = done.map((d) => `  #${d.survivorId} ← ${d.mergedIds.map((id) => `#${id}`).join(', ')}   (merge ${d.mergeIds.join(', ')})`);
  return [`Merged ${countOf(merged, 'customer')} into ${formatCount(done.length)}:`, ...lines, 'Undo any of them with "custdb merges undo ID".'].join('\n');
}
