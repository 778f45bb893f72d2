/**
 * Damerau–Levenshtein distance (optimal string alignment): substitutions,
 * insertions, deletions and swaps of two adjacent characters cost 1 each.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/**
 * The candidates nearest to `word` (case aside), when near enough to be a
 * slip of the keyboard: at most 1 edit for words up to 4 characters, 2 up to
 * 8, 3 beyond. Best first; empty when none is close.
 */
export function closestNames(word: string, candidates: readonly string[]): string[] {
  const lower = word.toLowerCase();
  // Long input cannot be a slip of a short name; skip the quadratic distance.
  if (lower.length > 64) return [];
  const allowed = lower.length <= 4 ? 1 : lower.length <= 8 ? 2 : 3;
  const scored = candidates
    .map((name) => ({ name, distance: editDistance(lower, name.toLowerCase()) }))
    .filter((c) => c.distance <= allowed);
  const best = Math.min(...scored.map((c) => c.distance));
  return scored.filter((c) => c.distance === best).map((c) => c.name);
}

/** " — did you mean total_spent?" (or "… a or b?"), or '' when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[], quote: (name: string) => string = (name) => name): string {
  const close = closestNames(word, candidates).slice(0, 3).map(quote);
  if (close.length === 0) return '';
  const list = close.length === 1 ? close[0] : `${close.slice(0, -1).join(', ')} or ${close[close.length - 1]}`;
  return ` — did you mean ${list}?`;
}
