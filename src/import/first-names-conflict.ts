import { isNicknameOf } from '../dedupe/nickname-groups.js';
import { isOneEditApart } from '../dedupe/is-one-edit-apart.js';
import { jaroWinkler } from '../dedupe/jaro-winkler.js';

/**
 * True when two first names clearly belong to different people: both present,
 * and not equal, an initial of the other, a nickname (Bob/Robert), one edit
 * apart (a typo) or very similar. Used so that a couple sharing an email, or a
 * household sharing a phone, is not merged at import. Pure.
 */
export function firstNamesConflict(a: string | null, b: string | null): boolean {
  if (!a || !b) return false;
  const x = foldName(a);
  const y = foldName(b);
  if (x === '' || y === '' || x === y) return false;
  if (x.length === 1 ? y.startsWith(x) : y.length === 1 && x.startsWith(y)) return false;
  // "Mary Ann" vs "Mary": one is the other's first given name.
  if (x.split(' ')[0] === y.split(' ')[0]) return false;
  if (isNicknameOf(x, y) || isOneEditApart(x, y)) return false;
  return jaroWinkler(x, y) < 0.9;
}

function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z ]/g, '')
    .trim();
}
