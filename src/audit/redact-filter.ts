import { tokenizeFilter } from '../filter/tokenize-filter.js';

/** Fields whose values in a filter identify a person; a filter comparing one of them quotes personal data. */
const PERSONAL_FIELDS = new Set(['first_name', 'last_name', 'full_name', 'email', 'phone', 'address_line1', 'address_line2', 'postal_code', 'birth_date', 'notes', 'external_id']);

/**
 * A filter as the audit log keeps it: the values compared with a personal field (`email = "jane@example.com"`,
 * `birth_date = 1980-02-01`) become `"…"`, everything else stays as written, so the log still says what a
 * segment selects without holding anyone's details. A filter that does not tokenize is kept out whole.
 * @example redactFilter('email = "jane@example.com" and total_spent > 100') // 'email = "…" and total_spent > 100'
 */
export function redactFilter(source: string): string {
  let tokens;
  try {
    tokens = tokenizeFilter(source);
  } catch {
    return '"…"';
  }
  let out = '';
  let copied = 0;
  let field: string | undefined;
  for (const token of tokens) {
    if (token.kind === 'word' && !/^(and|or|not|in|is|contains|empty|like|starts|ends|with)$/i.test(token.text)) field = token.text.toLowerCase();
    if ((token.kind === 'string' || token.kind === 'date' || token.kind === 'timestamp' || token.kind === 'number') && field !== undefined && PERSONAL_FIELDS.has(field)) {
      out += `${source.slice(copied, token.start)}"…"`;
      copied = token.end;
    }
  }
  return out + source.slice(copied);
}
