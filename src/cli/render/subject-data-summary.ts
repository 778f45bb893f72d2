import type { SubjectData } from '../../privacy/export-subject-data.js';
import { formatCount } from './format-count.js';

/** What a subject-access export holds, in a few lines for the person answering the request. */
export function summarizeSubjectData(data: SubjectData, file: string | undefined): string {
  const p = data.profile;
  const name = [p.first_name, p.last_name].filter(Boolean).join(' ') || (p.status === 'erased' ? '(erased)' : '(no name)');
  const count = (n: number, what: string) => `${formatCount(n)} ${what}`;
  return [
    `Customer ${data.customer_id}: ${name}${p.email ? `, ${p.email}` : ''}${data.records.length > 1 ? ` (with merged records ${data.records.slice(1).join(', ')})` : ''}`,
    `  ${count(data.identities.length, 'ids from sources')}, ${count(data.tags.length, 'tags')}, ${count(Object.keys(data.custom_fields).length, 'custom fields')}`,
    `  ${count(data.orders.length, 'orders')}, ${count(data.interactions.length, 'interactions')}, ${count(data.merges.length, 'merges')}, in ${count(data.segments.length, 'segments')}`,
    `  consent: email ${data.consent.email.state ?? 'unknown'}, sms ${data.consent.sms.state ?? 'unknown'} (${count(data.consent.changes.length, 'recorded changes')})`,
    `  ${count(data.changes.length, 'recorded changes')} from ${count(data.import_batches.length, 'import batches')}; ${count(data.audit_entries.length, 'audit entries')}`,
    ...(file === undefined ? [] : [`Written to ${file} (readable by you only).`]),
  ].join('\n');
}
