import { tokenizeFilter } from '../filter/tokenize-filter.js';
import { isMaskedField } from '../privacy/mask.js';

/** Whether a filter comparing `field` quotes personal data: the fields `--mask` hides, and a person's id at a source. */
const isPersonalField = (field: string) => isMaskedField(field) || field === 'external_id';

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
    if ((token.kind === 'string' || token.kind === 'date' || token.kind === 'timestamp' || token.kind === 'number') && field !== undefined && isPersonalField(field)) {
      out += `${source.slice(copied, token.start)}"…"`;
      copied = token.end;
    }
  }
  return out + source.slice(copied);
}
