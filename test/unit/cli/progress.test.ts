import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { makeContext } from '../../../src/cli/context.js';
import type { Io } from '../../../src/cli/io.js';
import { describeProgress, startProgress } from '../../../src/cli/render/progress.js';

describe('describeProgress', () => {
  it('gives rows read, the rate so far and the time left at that rate', () => {
    // A quarter of the bytes in 10 s: 30 s to go.
    expect(describeProgress({ bytesRead: 25_000_000, totalBytes: 100_000_000, rowsRead: 289_487, elapsedMs: 10_000 })).toBe('289,487 rows · 28,949 rows/s · 30 s left');
    expect(describeProgress({ bytesRead: 10, totalBytes: 100, rowsRead: 1_000_000, elapsedMs: 10_000 })).toBe('1,000,000 rows · 100,000 rows/s · 1:30 left');
    expect(describeProgress({ bytesRead: 1, totalBytes: 1_000, rowsRead: 10, elapsedMs: 10_000 })).toBe('10 rows · 1 rows/s · 2:46:30 left');
  });

  it('leaves out rate and estimate in the first second, and the estimate once the file is read', () => {
    expect(describeProgress({ bytesRead: 5_000, totalBytes: 100_000, rowsRead: 120, elapsedMs: 300 })).toBe('120 rows');
    expect(describeProgress({ bytesRead: 100_000, totalBytes: 100_000, rowsRead: 2_400, elapsedMs: 2_000 })).toBe('2,400 rows · 1,200 rows/s');
  });
});

describe('startProgress', () => {
  function terminalIo(stderrIsTTY: boolean): { io: Io; written: () => string } {
    const stderr = Object.assign(new PassThrough(), { isTTY: stderrIsTTY, columns: 80 });
    let text = '';
    stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    const io: Io = { stdout: new PassThrough(), stderr, stdin: new PassThrough(), stdoutIsTTY: false, stderrIsTTY, stdinIsTTY: false, env: { NO_COLOR: '1' }, user: 'tester' };
    return { io, written: () => text };
  }

  it('draws rows, rate and time left on a terminal, within 80 columns', () => {
    const { io, written } = terminalIo(true);
    let clock = 0;
    const progress = startProgress(makeContext(io, {}), 'Importing', () => clock);
    clock = 4_000;
    progress.update(40_000_000, 100_000_000, 1_234_567);
    progress.stop();
    const drawn = written().replace(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[78]/g, '');
    expect(drawn).toContain('40% 1,234,567 rows · 308,642 rows/s · 6 s left');
    expect(Math.max(...drawn.split(/[\r\n]/).map((line) => [...line].length))).toBeLessThanOrEqual(80);
  });

  it('draws nothing when stderr is not a terminal', () => {
    const { io, written } = terminalIo(false);
    const progress = startProgress(makeContext(io, {}), 'Importing');
    progress.update(1, 2, 3);
    progress.stop();
    expect(written()).toBe('');
  });
});
