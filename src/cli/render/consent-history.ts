import type { ConsentHistoryEntry } from '../../privacy/consent-history.js';

/** One consent change as a line: `2026-12-05  email: granted → denied as of 2024-02-02 08:00 via import:mailchimp (import batch 2)`. */
export function describeConsentChange(e: ConsentHistoryEntry): string {
  const by =
    e.madeBy.kind === 'import' ? `import batch ${e.madeBy.batchId}` : e.madeBy.kind === 'merge' ? `merge ${e.madeBy.mergeId}` : e.madeBy.kind === 'added' ? 'added' : (e.madeBy.command ?? `entry ${e.madeBy.eventId}`);
  const stated = e.statedAt === null ? '' : ` as of ${e.statedAt.slice(0, 16).replace('T', ' ')}`;
  const change = e.previous === null ? (e.state ?? 'unknown') : `${e.previous} → ${e.state ?? 'unknown'}`;
  return `${e.recordedAt.slice(0, 10)}  ${e.channel}: ${change}${stated}${e.source === null ? '' : ` via ${e.source}`} (${by})`;
}
