import type { PairReason } from '../../dedupe-run/find-customer-duplicates.js';
import { formatSigned } from './numbers.js';

/** The n reasons that moved the weight most, leaving out missing fields and repeated words (swapped names count once). */
export function topReasons(reasons: readonly PairReason[], n: number): PairReason[] {
  const top: PairReason[] = [];
  const sorted = reasons.filter((r) => r.level !== 'missing').sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
  for (const reason of sorted) {
    if (top.length < n && !top.some((r) => r.words === reason.words)) top.push(reason);
  }
  return top;
}

/** A reason as the list shows it: "same birth date +8.1". */
export function shortReason(r: PairReason): string {
  return `${r.words} ${formatSigned(r.weight)}`;
}

/** First and last name with a space, leaving out whichever is empty. */
export function fullName(c: { first_name: string | null; last_name: string | null } | undefined): string {
  return [c?.first_name, c?.last_name].filter((p) => p !== null && p !== undefined && p !== '').join(' ');
}
