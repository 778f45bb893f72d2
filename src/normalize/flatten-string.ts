/**
 * The same text as a flat string of its own. V8 keeps the result of slicing as a
 * view into the larger string (which it keeps alive) and of concatenation as a
 * tree of parts: a cell sliced from a whole batch of rows, remembered in a Map,
 * keeps the whole batch; and reading a tree character by character (as
 * Jaro-Winkler does millions of times) is several times slower. Pure. (src/dedupe,
 * which imports only its own modules, keeps the same two lines in build-record-table.)
 */
export function flattenString(s: string): string {
  // Shorter strings are always stored flat and whole by V8, so copying them is wasted work.
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}
