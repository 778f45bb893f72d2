import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeWorkdir, REPO_ROOT } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';
import { listCommands } from '../helpers/sample-invocations.js';

describe('help and README stay in step with the commands', async () => {
  const commands = (await listCommands()).filter((name) => name !== 'help');
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

  it('lists at least init and doctor', () => {
    expect(commands).toEqual(expect.arrayContaining(['init', 'doctor']));
  });

  for (const command of commands) {
    it(`custdb ${command} --help has a description and an Examples block`, async () => {
      const result = await runCliInProcess([command, '--help'], { cwd: makeWorkdir() });
      expect(result.code).toBe(0);
      const [usage, description] = result.stdout.split('\n');
      expect(usage).toMatch(new RegExp(`^Usage: custdb ${command}`));
      expect(description?.trim() === '' ? result.stdout.split('\n')[2] : description).toMatch(/\w{3,}/);
      expect(result.stdout).toMatch(/\nExamples:\n {2}\$ custdb /);
    });

    it(`README documents custdb ${command}`, () => {
      expect(readme).toMatch(new RegExp(`^### \`custdb ${command}`, 'm'));
    });
  }
});
