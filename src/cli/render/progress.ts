import cliProgress from 'cli-progress';
import type { CommandContext } from '../context.js';
import { formatCount } from './format-count.js';

export interface Progress {
  update(bytesRead: number, totalBytes: number, rowsRead: number): void;
  stop(): void;
}

/** Where a running import is, as its progress bar describes it. */
export interface ProgressPoint {
  bytesRead: number;
  totalBytes: number;
  rowsRead: number;
  elapsedMs: number;
}

/** Narrow enough that the bar and its longest detail fit 80 columns (cli-progress cuts what does not). */
const BAR_SIZE = 16;
/** Below this much time, a rate or an estimate is noise: they are left out until then. */
const SETTLE_MS = 1000;

/**
 * A progress bar on stderr, only when stderr is a terminal (never in cron logs or with --json/--quiet):
 * how far through the file, rows read, rows per second and time left.
 */
export function startProgress(ctx: CommandContext, label: string, now: () => number = Date.now): Progress {
  if (!ctx.io.stderrIsTTY || ctx.json || ctx.quiet) return { update: () => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: ctx.io.stderr as NodeJS.WritableStream & { isTTY: boolean }, format: `${label} [{bar}] {percentage}% {detail}`, barsize: BAR_SIZE, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  const startedAt = now();
  let started = false;
  return {
    update(bytesRead, totalBytes, rowsRead) {
      const detail = describeProgress({ bytesRead, totalBytes, rowsRead, elapsedMs: now() - startedAt });
      if (!started) {
        bar.start(totalBytes, bytesRead, { detail });
        started = true;
      } else bar.update(bytesRead, { detail });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * "120,000 rows · 35,210 rows/s · 1:05 left": rows read, the rate so far, and the time left
 * at that rate, reckoned in bytes (the file's size is known; its row count is not). The rate
 * and the estimate appear once the import has run a second.
 */
export function describeProgress(point: ProgressPoint): string {
  const parts = [`${formatCount(point.rowsRead)} rows`];
  if (point.elapsedMs >= SETTLE_MS) {
    parts.push(`${formatCount(Math.round((point.rowsRead * 1000) / point.elapsedMs))} rows/s`);
    if (point.bytesRead > 0 && point.bytesRead < point.totalBytes) {
      parts.push(`${formatDuration((point.elapsedMs * (point.totalBytes - point.bytesRead)) / point.bytesRead)} left`);
    }
  }
  return parts.join(' · ');
}

/** 4_200 → "5 s", 65_000 → "1:05", 3_725_000 → "1:02:05"; rounded up ("0 s left" would be a lie while it runs). */
function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const two = (n: number) => String(n).padStart(2, '0');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}:${two(seconds % 60)}`;
  return `${Math.floor(minutes / 60)}:${two(minutes % 60)}:${two(seconds % 60)}`;
}
