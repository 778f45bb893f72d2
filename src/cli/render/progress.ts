import cliProgress from 'cli-progress';
import type { CommandContext } from '../context.js';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** A progress bar on stderr, only when stderr is a terminal (never in cron logs or with --json/--quiet). */
export function startProgress(ctx: CommandContext, label: string): Progress {
  if (!ctx.io.stderrIsTTY || ctx.json || ctx.quiet) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: ctx.io.stderr as NodeJS.WritableStream & { isTTY: boolean }, format: `${label} [{bar}] {percentage}% | {value}/{total} MB`, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      const mb = (n: number) => Math.round(n / 1e5) / 10;
      if (!started) {
        bar.start(mb(total), 0);
        started = true;
      }
      bar.update(mb(done));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
