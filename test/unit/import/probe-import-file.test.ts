import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decideDateOrder } from '../../../src/import/decide-date-order.js';
import { probeImportFile } from '../../../src/import/probe-import-file.js';

function writeFile(name: string, text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'custdb-probe-')), name);
  writeFileSync(file, text);
  return file;
}

/** An invoice-lines file whose first rows' dates all read either way (1–12 December), as Online Retail's do. */
function decemberInvoices(rows: number): string {
  const lines = ['InvoiceNo,InvoiceDate,CustomerID'];
  for (let i = 0; i < rows; i++) lines.push(`${536365 + i},12/${1 + Math.floor((i * 12) / rows)}/2010 8:26,${17850 + (i % 100)}`);
  lines.push('999999,12/13/2010 9:00,17850');
  return `${lines.join('\n')}\n`;
}

describe('probeImportFile: one read of the head for header, samples and date evidence, hashing as it goes', () => {
  it('hashes the whole file, though it reads only the head', async () => {
    const file = writeFile('big.csv', decemberInvoices(30_000));
    const probe = await probeImportFile({ file });
    expect(probe.header).toEqual(['InvoiceNo', 'InvoiceDate', 'CustomerID']);
    expect(probe.samples).toHaveLength(20);
    expect(probe.dates.complete).toBe(false);
    expect(await probe.sha256()).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
    expect(await probe.sha256()).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('hashes a file it read to the end', async () => {
    const file = writeFile('small.csv', 'Email,Birthday\na@example.com,13/03/1990\n');
    const probe = await probeImportFile({ file });
    expect(probe.dates.complete).toBe(true);
    expect(await probe.sha256()).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('decides the day/month order from the head when it can', async () => {
    const file = writeFile('dmy.csv', 'Email,Birthday\na@example.com,13/03/1990\nb@example.com,01/02/1991\n');
    const probe = await probeImportFile({ file });
    expect(await decideDateOrder({ file }, probe, [1])).toEqual({
      order: 'dmy',
      conflict: false,
      note: 'read Birthday as dmy ("13/03/1990" can only be day-month-year (1 such, none month-first))',
    });
  });

  it('reads on from the start when the head’s dates all read either way, until a date decides', async () => {
    const file = writeFile('december.csv', decemberInvoices(30_000));
    const probe = await probeImportFile({ file });
    const decision = await decideDateOrder({ file }, probe, [1]);
    expect(decision.order).toBe('mdy');
    expect(decision.note).toBe('read InvoiceDate as mdy ("12/13/2010 9:00" can only be month-day-year (1 such, none day-first))');
  });
});
