/** The process edge, as the CLI sees it. Built once in main.ts; everything else receives it. */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  /** The OS user, recorded as the actor of every change unless --actor says otherwise. */
  user: string;
}

/**
 * True for the error of writing to an output whose reader has gone (`custdb export … | head`).
 * Like other Unix tools, custdb then ends quietly: the reader chose to stop.
 */
export function isClosedOutput(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'EPIPE';
}
