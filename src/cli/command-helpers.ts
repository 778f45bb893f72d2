import { openStore } from '../db/open-store.js';
import type { Store } from '../db/store.js';
import { translateDatabaseError } from '../db/translate-database-error.js';
import { UsageError } from '../errors.js';
import { CALENDAR_UNITS, describeUnits, parseDuration, type Duration } from '../normalize/parse-duration.js';
import type { CommandContext } from './context.js';
import { databaseKey } from './database-key.js';

/**
 * Opens the database (migrating it; creating it only when `create` is set), runs
 * the command body, and always closes it. A database that is locked or read-only
 * when the body writes becomes a DatabaseBusyError / DatabaseReadOnlyError (exit 2)
 * rather than an internal error.
 */
export async function withStore(ctx: CommandContext, body: (store: Store) => Promise<number>, options: { create?: boolean } = {}): Promise<number> {
  const { store } = await openStore({ location: ctx.dbLocation, create: options.create === true, migrations: 'apply', key: databaseKey(ctx) });
  try {
    return await body(store);
  } catch (error) {
    throw translateDatabaseError(error, store.location);
  } finally {
    await store.close();
  }
}

/**
 * Asks before a command changes data: --yes answers; in a terminal the user is
 * asked; otherwise it refuses (exit 2) naming --yes, never waiting for input.
 */
export async function confirmChange(ctx: CommandContext, question: string): Promise<boolean> {
  if (ctx.yes) return true;
  if (!ctx.interactive) {
    throw new UsageError(`${question.replace(/\?$/, '')}: this changes data, and there is no terminal to ask in.`, { hint: 'Add --yes to confirm.' });
  }
  const { askConfirm } = await import('./prompts.js');
  const yes = await askConfirm(ctx.io, question);
  if (!yes) ctx.io.stderr.write('Nothing changed.\n');
  return yes;
}

/** A span of calendar time given to `option` (`3y`, `18m`, `90d`); a UsageError naming the option otherwise. */
export function readDuration(option: string, typed: string): Duration {
  const duration = parseDuration(typed, CALENDAR_UNITS);
  if (duration === undefined) {
    throw new UsageError(`${option} ${typed}: not a length of time.`, { hint: `Write ${describeUnits(CALENDAR_UNITS)}, e.g. ${option} 3y, 18m or 90d.` });
  }
  return duration;
}
