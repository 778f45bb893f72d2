import { confirm } from '@inquirer/prompts';
import type { Io } from './io.js';

// The only importer of @inquirer/prompts: tests replace this module to script answers.
// Each capability's prompts live in their own section below.

// ---- confirmations ----

export async function askConfirm(io: Io, question: string): Promise<boolean> {
  return confirm({ message: question, default: false }, { input: io.stdin, output: io.stderr });
}

// ---- mapping wizard (import) ----

// ---- duplicate review (dedupe --review) ----
