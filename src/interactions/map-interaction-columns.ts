import { headerKey } from '../mapping/normalize-header.js';
import { mapRecordColumns, type RecordMapOptions, type RecordMappingResult, type Vocabulary } from '../mapping/map-record-columns.js';

/**
 * The interaction fields an interactions file's columns can be mapped to:
 * whose it is (customer id, email, phone, name), when, through which
 * channel, what kind, what it was about, how it ended and who handled it.
 * `interaction_id` (a ticket or case number) makes re-imports idempotent;
 * without one an id is derived from the row's content.
 */
export const INTERACTION_FIELDS = [
  'interaction_id',
  'customer_external_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'full_name',
  'occurred_at',
  'channel',
  'kind',
  'subject',
  'summary',
  'outcome',
  'staff',
] as const;

export type InteractionField = (typeof INTERACTION_FIELDS)[number];

export const INTERACTION_SYNONYMS: Vocabulary<InteractionField>['synonyms'] = {
  interaction_id: {
    strong: ['interaction id', 'ticket id', 'ticket number', 'ticket', 'ticket #', 'case id', 'case number', 'case', 'conversation id', 'request id', 'activity id', 'call id'],
    weak: ['id', 'number', 'reference', 'ref'],
  },
  customer_external_id: { strong: ['customer id', 'customer number', 'client id', 'member id', 'contact id', 'requester id', 'external id', 'kundennummer'], weak: [] },
  email: { strong: ['email', 'e-mail', 'email address', 'customer email', 'requester email', 'contact email', 'from email', 'requester', 'from'], weak: [] },
  phone: { strong: ['phone', 'customer phone', 'phone number', 'telephone', 'mobile', 'caller', 'caller id', 'telefon'], weak: [] },
  first_name: { strong: ['first name', 'given name', 'vorname', 'prénom'], weak: [] },
  last_name: { strong: ['last name', 'surname', 'family name', 'nachname'], weak: [] },
  full_name: { strong: ['customer name', 'contact name', 'requester name', 'full name', 'customer', 'contact'], weak: ['name', 'client'] },
  occurred_at: {
    strong: ['occurred at', 'when', 'date', 'created at', 'created', 'date created', 'opened at', 'opened', 'timestamp', 'time', 'contact date', 'interaction date', 'datum', 'date de contact'],
    weak: ['updated at'],
  },
  channel: { strong: ['channel', 'via', 'medium', 'source channel', 'contact method', 'contact type', 'kanal', 'canal'], weak: ['source'] },
  kind: { strong: ['kind', 'type', 'interaction type', 'interaction kind', 'category', 'ticket type', 'reason', 'art', 'typ'], weak: [] },
  subject: { strong: ['subject', 'title', 'topic', 'betreff', 'sujet', 'asunto'], weak: [] },
  summary: { strong: ['summary', 'description', 'details', 'notes', 'note', 'message', 'body', 'comment', 'comments', 'text', 'content', 'beschreibung', 'notiz'], weak: [] },
  outcome: { strong: ['outcome', 'resolution', 'result', 'status', 'disposition', 'ergebnis', 'résultat'], weak: ['state'] },
  staff: { strong: ['staff', 'agent', 'assignee', 'assigned to', 'handled by', 'employee', 'owner', 'rep', 'user', 'mitarbeiter'], weak: [] },
};

export const INTERACTION_VOCABULARY: Vocabulary<InteractionField> = {
  kind: 'interactions',
  fields: INTERACTION_FIELDS,
  synonyms: INTERACTION_SYNONYMS,
};

/**
 * Maps an interactions file's header to interaction fields: `--map`
 * overrides, else synonyms. In custdb's own export, `customer_id` is that
 * database's customer number and `source` the origin: both are ignored. Pure.
 * @example mapInteractionColumns(['Ticket #', 'Requester', 'Subject'], {}) // interaction_id, email, subject
 */
export function mapInteractionColumns(
  header: readonly string[],
  options: RecordMapOptions = {},
): RecordMappingResult<InteractionField> {
  const overrides: Record<string, string> = { ...options.overrides };
  const keys = header.map(headerKey);
  if (keys.includes('interactionid') && keys.includes('customerid') && keys.includes('source')) {
    overrides.customer_id ??= 'ignore';
    overrides.source ??= 'ignore';
  }
  return mapRecordColumns(header, INTERACTION_VOCABULARY, { ...options, overrides });
}
