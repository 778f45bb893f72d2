import { createHash } from 'node:crypto';

/**
 * A stable id for a row the file gives none (an order or interaction):
 * `row-` and 16 hex digits of the SHA-256 of its content, so importing the
 * same file again finds the same ids. Pure.
 */
export function deriveId(contentKey: string): string {
  return `row-${createHash('sha256').update(contentKey).digest('hex').slice(0, 16)}`;
}
