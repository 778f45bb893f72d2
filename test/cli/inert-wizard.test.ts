import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { makeContext } from '../../src/cli/context.js';
import type { Io } from '../../src/cli/io.js';
import { runMappingWizard } from '../../src/cli/mapping-wizard.js';

// The user quits at the first question (as Ctrl-C does): what the wizard printed before it is what is checked.
vi.mock('../../src/cli/prompts.js', () => {
  const quit = async () => {
    throw Object.assign(new Error('quit'), { name: 'ExitPromptError' });
  };
  return { askColumnTarget: quit, askWhichColumn: quit, askYesNo: quit, askName: quit, askConfirm: quit };
});

describe('the mapping wizard shows a file’s header and samples inert', () => {
  it('custdb import odd.csv (in a terminal): a header cell that would retitle the window is shown escaped', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'custdb-inert-wizard-'));
    const file = path.join(dir, 'odd.csv');
    writeFileSync(file, 'Ref,Who,Contact,Fav\u001b]0;pwned\u0007 Roast\nA-17,Jane\u001b[2J,jane@example.com,dark\nA-18,Tom Baker,tom@example.com,light\n');
    let shown = '';
    const stderr = new Writable({
      write(chunk: Buffer, _encoding, done) {
        shown += chunk.toString();
        done();
      },
    });
    const io: Io = { stdout: new Writable({ write: (_c, _e, done) => done() }), stderr, stdin: process.stdin, stdoutIsTTY: true, stderrIsTTY: true, stdinIsTTY: true, env: { NO_COLOR: '1' }, user: 'tester' };
    const options = { file, maps: [], ignoreUnmapped: false, update: 'fill' as const, maxRejects: { percent: 10 }, dryRun: false, force: false, actor: 'tester' };

    await expect(runMappingWizard(makeContext(io, {}), options)).rejects.toThrow(/Stopped before importing/);
    expect(shown).toContain('This is how custdb would read it');
    expect(shown).not.toContain('\u001b');
    expect(shown).not.toContain('\u0007');
    expect(shown).toContain('Fav\\x1b]0;pwned\\x07 Roast');
    expect(shown).toContain('Jane\\x1b[2J');
  });
});
