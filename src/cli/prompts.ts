import { confirm } from '@inquirer/prompts';
import type { Io } from './io.js';
import { inertText } from '../text/inert-text.js';

// The only importer of @inquirer/prompts: tests replace this module to script answers.
// Each capability's prompts live in their own section below.

// Questions quote file names, header cells and values: they are shown inert (custdb's own colours kept).
const shown = (text: string) => inertText(text, { keepStyles: true });
const shownChoices = (choices: WizardChoice[]): WizardChoice[] =>
  choices.map((c) => ({ ...c, name: shown(c.name), ...(c.short !== undefined ? { short: shown(c.short) } : {}), ...(c.description !== undefined ? { description: shown(c.description) } : {}) }));

// ---- confirmations ----

export async function askConfirm(io: Io, question: string): Promise<boolean> {
  return confirm({ message: shown(question), default: false }, { input: io.stdin, output: io.stderr });
}

// ---- mapping wizard (import) ----
// (renamed on import so they cannot clash with another section's `select`)
import { input as wizardInput, select as wizardSelect } from '@inquirer/prompts';

export interface WizardChoice {
  value: string;
  name: string;
  /** Shown once chosen, instead of `name`. */
  short?: string;
  description?: string;
}

/** Asks where one CSV column goes; answers the chosen choice's value (a `--map` target). */
export async function askColumnTarget(io: Io, message: string, choices: WizardChoice[], defaultValue: string): Promise<string> {
  return wizardSelect({ message: shown(message), choices: shownChoices(choices), default: defaultValue, pageSize: 12, loop: false }, { input: io.stdin, output: io.stderr });
}

/** Asks which column to change (or to take as the identifier); answers the choice's value. */
export async function askWhichColumn(io: Io, message: string, choices: WizardChoice[]): Promise<string> {
  return wizardSelect({ message: shown(message), choices: shownChoices(choices), pageSize: 12, loop: false }, { input: io.stdin, output: io.stderr });
}

/** Asks a yes/no question with the given default. */
export async function askYesNo(io: Io, message: string, defaultValue: boolean): Promise<boolean> {
  return confirm({ message: shown(message), default: defaultValue }, { input: io.stdin, output: io.stderr });
}

/** Asks for a name (a custom field's, a saved mapping's); `validate` returns an error message or true. */
export async function askName(io: Io, message: string, defaultValue: string, validate: (value: string) => string | true): Promise<string> {
  const answer = await wizardInput({ message: shown(message), default: defaultValue, validate }, { input: io.stdin, output: io.stderr });
  return answer.trim();
}

// ---- duplicate review (dedupe --review) ----
// (imported here, not at the top, so each section's imports stay with it)
import { select } from '@inquirer/prompts';

export type ReviewAnswer = 'merge' | 'distinct' | 'skip' | 'quit';

/** Asks what to do with one proposed group of duplicates. */
export async function askReviewDecision(io: Io, question: string, count: number): Promise<ReviewAnswer> {
  return select<ReviewAnswer>(
    {
      message: question,
      choices: [
        { name: count > 2 ? `Merge all ${count}` : 'Merge', value: 'merge', description: 'merge now (undo later with "custdb merges undo")' },
        { name: count > 2 ? 'Not the same people' : 'Not the same person', value: 'distinct', description: 'remember this and never propose it again' },
        { name: 'Skip', value: 'skip', description: 'decide later; it comes back next time' },
        { name: 'Quit', value: 'quit', description: 'stop here; answers so far are saved' },
      ],
      default: 'skip',
    },
    { input: io.stdin, output: io.stderr },
  );
}

// ---- customers add ----
import { input as customerInput } from '@inquirer/prompts';

/** What `custdb customers add` asks for in a terminal; an empty answer leaves the field empty. */
export interface CustomerDetailsAnswers {
  first_name: string;
  last_name: string;
  email: string;
  phone: string;
  company: string;
  /** Comma-separated. */
  tags: string;
}

/** Asks for each customer field not already given on the command line (`given` pre-fills and skips). */
export async function askCustomerDetails(io: Io, given: Partial<CustomerDetailsAnswers>): Promise<CustomerDetailsAnswers> {
  const questions: [keyof CustomerDetailsAnswers, string][] = [
    ['first_name', 'First name'],
    ['last_name', 'Last name'],
    ['email', 'Email'],
    ['phone', 'Phone'],
    ['company', 'Company'],
    ['tags', 'Tags (comma-separated)'],
  ];
  const answers: CustomerDetailsAnswers = { first_name: '', last_name: '', email: '', phone: '', company: '', tags: '' };
  for (const [key, message] of questions) {
    const already = given[key];
    answers[key] = already !== undefined ? already : await customerInput({ message }, { input: io.stdin, output: io.stderr });
  }
  return answers;
}

// ---- access grant ----
import { password as passwordInput } from '@inquirer/prompts';

/** Asks twice for a new login role's password (typed hidden); undefined when the two answers differ. */
export async function askNewPassword(io: Io, role: string): Promise<string | undefined> {
  const first = await passwordInput({ message: shown(`Password for the new login role ${role}`), mask: '*' }, { input: io.stdin, output: io.stderr });
  const again = await passwordInput({ message: 'The same password again', mask: '*' }, { input: io.stdin, output: io.stderr });
  return first === again ? first : undefined;
}

// ---- database key (encrypted database files) ----
// (the passphrase is typed unseen: no echo, not even a mask that would show its length)

/** Asks for the passphrase of an encrypted database file. */
export async function askDatabaseKey(io: Io, file: string): Promise<string> {
  return passwordInput({ message: shown(`Key (passphrase) for ${file}`) }, { input: io.stdin, output: io.stderr });
}

/** Asks twice for a new passphrase for a database file; undefined when the two answers differ. */
export async function askNewDatabaseKey(io: Io, file: string): Promise<string | undefined> {
  const first = await passwordInput({ message: shown(`New key (passphrase) for ${file}`) }, { input: io.stdin, output: io.stderr });
  const again = await passwordInput({ message: 'The same key again' }, { input: io.stdin, output: io.stderr });
  return first === again ? first : undefined;
}

// ---- backup and restore passphrases ----
/** Asks for a backup's passphrase (typed unseen); with `twice`, asks again and answers undefined when the two differ. */
export async function askPassphrase(io: Io, message: string, twice: boolean): Promise<string | undefined> {
  const first = await passwordInput({ message }, { input: io.stdin, output: io.stderr });
  if (!twice) return first;
  const again = await passwordInput({ message: 'The same passphrase again' }, { input: io.stdin, output: io.stderr });
  return first === again ? first : undefined;
}
