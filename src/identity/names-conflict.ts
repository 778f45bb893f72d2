import { isNicknameOf } from '../dedupe/nickname-groups.js';
import { isOneEditApart } from '../dedupe/is-one-edit-apart.js';
import { jaroWinkler } from '../dedupe/jaro-winkler.js';
import { foldName } from '../normalize/fold-name.js';

/**
 * True when two names (first names, or surnames) clearly belong to different
 * people: both present, and not equal, an initial of the other, a nickname
 * (Bob/Robert), one edit apart (a typo) or very similar. Used so that a couple
 * sharing an email, or colleagues sharing an office phone, are not merged at
 * import. Pure.
 */
export function namesConflict(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const x = foldName(a);
  const y = foldName(b);
  if (x === '' || y === '' || x === y) return false;
  if (x.length === 1 ? y.startsWith(x) : y.length === 1 && x.startsWith(y)) return false;
  // "Mary Ann" vs "Mary", "Smith-Jones" vs "Jones": every word of one is a word of the other.
  const [fewer, more] = x.length <= y.length ? [x, y] : [y, x];
  const words = new Set(more.split(' '));
  if (fewer.split(' ').every((word) => words.has(word))) return false;
  if (isNicknameOf(x, y) || isOneEditApart(x, y)) return false;
  return jaroWinkler(x, y) < 0.9;
}
