import type { Command } from 'commander';
import { getSetting, listSettings, setSetting, SETTINGS } from '../../setup/settings.js';
import type { RunAction } from '../program.js';
import { writeJson, writeResult } from '../render/output.js';
import { withStore } from '../command-helpers.js';

export function registerConfig(program: Command, run: RunAction): void {
  const config = program
    .command('config')
    .description('Database-wide settings, such as the default country for national phone numbers.')
    .addHelpText('after', `\nExamples:\n  $ custdb config set default-country GB\n  $ custdb config get default-country\n  $ custdb config list\n\nSettings: ${Object.keys(SETTINGS).join(', ')}`);

  config
    .command('set')
    .description('Set a setting.')
    .argument('<key>', `one of: ${Object.keys(SETTINGS).join(', ')}`)
    .argument('<value>')
    .addHelpText('after', '\nExamples:\n  $ custdb config set default-country GB')
    .action((key: string, value: string) =>
      run((ctx) =>
        withStore(
          ctx,
          async (store) => {
            const stored = await setSetting(store, key, value, ctx.actor);
            if (ctx.json) writeJson(ctx, { key, value: stored });
            else writeResult(ctx, `${key} = ${stored}`);
            return 0;
          },
          { create: true },
        ),
      ),
    );

  config
    .command('get')
    .description('Print one setting (empty when unset).')
    .argument('<key>')
    .addHelpText('after', '\nExamples:\n  $ custdb config get default-country')
    .action((key: string) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const value = await getSetting(store, key);
          if (ctx.json) writeJson(ctx, { key, value: value ?? null });
          else writeResult(ctx, value ?? '');
          return 0;
        }),
      ),
    );

  config
    .command('list')
    .description('Print every setting and its value.')
    .addHelpText('after', '\nExamples:\n  $ custdb config list')
    .action(() =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const settings = await listSettings(store);
          if (ctx.json) writeJson(ctx, settings);
          else writeResult(ctx, Object.entries(settings).map(([k, v]) => `${k} = ${v ?? '(unset)'}`).join('\n'));
          return 0;
        }),
      ),
    );
}
