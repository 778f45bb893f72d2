import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeContext } from '../../../src/cli/context.js';
import type { Io } from '../../../src/cli/io.js';
import { renderTable } from '../../../src/cli/render/table.js';

function context(columns?: number) {
  const io: Io = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false, env: { NO_COLOR: '1', ...(columns === undefined ? {} : { COLUMNS: String(columns) }) }, user: 'tester' };
  return makeContext(io, {});
}

const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));
/** The text of one column, its wrapped lines joined back. */
const columnText = (text: string, index: number) => text.split('\n').map((line) => line.split('│')[index + 1]?.trim() ?? '').join('');

const HEAD = ['batch', 'file', 'source', 'rows', 'status'];
const ROWS = [
  ['12', '/data/in/shopify-customers-export-2026-12-05-nightly.csv', 'shopify', '289,487', 'committed'],
  ['11', 'contacts from the old till system, cleaned by hand.csv', 'csv', '1,024', 'undone'],
];

describe('renderTable', () => {
  it('without a fit, lays out every cell on its own lines however wide', () => {
    const text = renderTable(HEAD, ROWS, context(40));
    expect(widest(text)).toBeGreaterThan(80);
    expect(text).toContain('│ /data/in/shopify-customers-export-2026-12-05-nightly.csv │');
  });

  it('fits the terminal: leaves out droppable columns first, then wraps, keeping every character of the file name', () => {
    const text = renderTable(HEAD, ROWS, context(60), { droppable: ['source'], wrappable: ['file'] });
    expect(widest(text)).toBeLessThanOrEqual(60);
    expect(text).not.toContain('source');
    expect(text).toMatch(/│ 289,487 │ committed │/);
    expect(columnText(text, 1)).toContain('/data/in/shopify-customers-export-2026-12-05-nightly.csv');
    // Words stay whole where they fit on a line.
    expect(text).toMatch(/│ contacts from the old till +│/);
  });

  it('keeps a droppable column when wrapping alone fits it comfortably', () => {
    const text = renderTable(HEAD, ROWS, context(70), { droppable: ['source'], wrappable: ['file'] });
    expect(widest(text)).toBeLessThanOrEqual(70);
    expect(text).toContain('source');
  });

  it('counts wide characters as two columns', () => {
    const text = renderTable(['name', 'city'], [['山田太郎さんの長い名前です', '東京都千代田区丸の内一丁目']], context(40), { wrappable: ['name', 'city'] });
    for (const line of text.split('\n')) {
      const width = [...line].reduce((sum, c) => sum + (/[\u3000-\u9fff]/u.test(c) ? 2 : 1), 0);
      expect(width).toBeLessThanOrEqual(40);
    }
  });

  it('makes cells and headings inert', () => {
    const text = renderTable(['na\u001bme'], [['Evil\u001b[2J\u009bGuy']], context());
    expect(text).not.toMatch(/[\u001b\u009b]/u);
    expect(text).toContain('Evil\\x1b[2J\\x9bGuy');
  });
});
