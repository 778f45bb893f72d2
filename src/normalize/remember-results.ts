import { flattenString } from './flatten-string.js';

/**
 * Wraps a pure one-string function with a bounded memory of its answers.
 * Customer lists repeat the same first names, surnames and countries endlessly;
 * answering a repeat from a Map is far cheaper than re-casing or re-parsing it.
 * The memory is emptied when full, so it never grows past `limit` entries.
 * Only for functions whose result is immutable (strings, null).
 */
export function rememberResults<T extends string | null>(compute: (text: string) => T, limit = 20_000): (text: string) => T {
  const answers = new Map<string, T>();
  return (text: string): T => {
    const known = answers.get(text);
    if (known !== undefined) return known;
    const answer = compute(text);
    if (answers.size >= limit) answers.clear();
    answers.set(flattenString(text), (answer === null ? null : flattenString(answer)) as T);
    return answer;
  };
}
