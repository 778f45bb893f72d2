import { UsageError } from '../errors.js';

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/**
 * Reads the age past which doctor calls the newest backup too old
 * (`custdb config set backup-max-age 7d`): a whole number of hours, days or
 * weeks. Returns milliseconds; throws UsageError for anything else.
 *
 * @example
 * parseBackupMaxAge('36h') // 129_600_000
 */
export function parseBackupMaxAge(text: string): number {
  const match = /^\s*(\d+)\s*([hdw])\s*$/i.exec(text);
  const amount = match === null ? 0 : Number(match[1]);
  if (match === null || amount < 1) {
    throw new UsageError(`"${text}" is not an age such as 7d.`, { hint: 'Give a whole number of hours, days or weeks: 36h, 7d, 2w.' });
  }
  return amount * UNIT_MS[match[2]!.toLowerCase() as keyof typeof UNIT_MS];
}
