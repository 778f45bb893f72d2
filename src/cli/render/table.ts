import Table from 'cli-table3';
import type { CommandContext } from '../context.js';

/** A plain terminal table (no colour codes when colour is off). */
export function renderTable(head: string[], rows: string[][], ctx: CommandContext): string {
  const table = new Table({
    head: head.map((h) => ctx.paint.bold(h)),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  table.push(...rows);
  return table.toString();
}
