import { MissingColumnError, UsageError } from '../errors.js';
import type { ImportOptions } from '../import/import-customers.js';
import { probeImportFile, type ImportProbe } from '../import/probe-import-file.js';
import { needsMappingWizard } from '../import-wizard/needs-mapping-wizard.js';
import {
  buildQuestion,
  CUSTOM_ATTRIBUTE,
  isIdentifying,
  planMappingQuestions,
  type MappingQuestion,
  type MappingQuestionPlan,
  type WizardColumn,
} from '../import-wizard/plan-mapping-questions.js';
import { mappingNameProblem, suggestMappingName } from '../import-wizard/suggest-mapping-name.js';
import { mapColumns } from '../mapping/map-columns.js';
import { parseTarget } from '../mapping/mapping-schema.js';
import { attributeName } from '../mapping/normalize-header.js';
import { recognizePreset, type PresetRecognition } from '../mapping/recognize-preset.js';
import { IDENTIFYING_FIELDS } from '../model/customer-fields.js';
import type { CommandContext } from './context.js';
import { terminalText } from './render/output.js';
import { terminalWidth } from './render/terminal-width.js';
import type { WizardChoice } from './prompts.js';

/** What the wizard adds to an import's options. */
export interface MappingWizardAnswers {
  /** `--map "Column=target"` for every column the user answered for. */
  maps: string[];
  /** Set when the user chose the preset the header looks a little like. */
  preset?: string;
  /** `--save-mapping NAME`, when the user chose to save (or had already asked to). */
  saveMapping?: string;
}

type Prompts = typeof import('./prompts.js');

/**
 * In a terminal, when a file matches no preset well and its mapping is
 * uncertain, shows each column with sample values and custdb's guess, lets the
 * user confirm or change them, and offers to save the mapping by name. Returns
 * null (and asks nothing) when not in a terminal, when the command line already
 * says how to map, or when the automatic mapping is sure of every column.
 */
export async function runMappingWizard(
  ctx: CommandContext,
  options: ImportOptions,
  readHead: () => Promise<ImportProbe> = () => probeImportFile(options),
): Promise<MappingWizardAnswers | null> {
  if (!ctx.interactive) return null;
  if (options.mapping !== undefined || options.maps.length > 0 || (options.preset !== undefined && options.preset !== 'auto')) return null;
  const { header, nonBlankSamples: samples } = await readHead();
  const recognition = recognizePreset(header);
  // custdb's own export: `id` is that database's row number (as resolveMapping treats it).
  const overrides: Record<string, string> = header.includes('external_ids') && header.includes('id') ? { id: 'ignore' } : {};
  const mapped = mapColumns(header, { samples, overrides, ignoreUnmapped: options.ignoreUnmapped });
  if (!mapped.ok) return null;
  const plan = planMappingQuestions(header, samples, mapped);
  if (!needsMappingWizard(options, recognition, plan)) return null;

  const prompts = await import('./prompts.js');
  try {
    return await askMapping(ctx, prompts, options, plan, recognition);
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') {
      throw new UsageError('Stopped before importing: nothing was written.', {
        exitCode: 1,
        hint: `Run it again, or say how to map the file with --map "COLUMN=FIELD" or --mapping NAME.`,
      });
    }
    throw error;
  }
}

async function askMapping(
  ctx: CommandContext,
  prompts: Prompts,
  options: ImportOptions,
  plan: MappingQuestionPlan,
  recognition: PresetRecognition,
): Promise<MappingWizardAnswers> {
  const { io, paint } = ctx;
  // Header cells and sample values are the file's: shown inert, like every other text custdb prints.
  const err = { write: (text: string) => io.stderr.write(terminalText(ctx, text)) };
  // The table and the prompts are fitted to the terminal: a prompt wider than it is redrawn line after line as
  // the user moves through its choices. Prose and commands are left to the terminal to wrap, so they copy whole.
  // A terminal that does not say how wide it is is still a terminal: samples get the room most have.
  const width = terminalWidth(ctx, 'stderr', 100);
  const lookAlike = recognition.best;
  err.write(
    `${options.file} matches no platform export custdb knows` +
      (lookAlike ? ` well (it looks a little like a ${lookAlike.preset.label}, ${Math.round(lookAlike.score * 100)}%)` : '') +
      `. This is how custdb would read it:\n\n${renderColumns(ctx, plan.columns, width)}\n\n`,
  );

  if (lookAlike && (await prompts.askYesNo(io, `Read it as a ${lookAlike.preset.label} instead?`, false))) {
    err.write(paint.dim(`Next time, skip this question with --preset ${lookAlike.preset.name}.\n`));
    return { maps: [], preset: lookAlike.preset.name, ...(options.saveMapping ? { saveMapping: options.saveMapping } : {}) };
  }

  const answers = new Map<number, string>();
  const queue: MappingQuestion[] = [...plan.questions];
  if (plan.keepAsAttributes.length > 0) {
    const count = plan.keepAsAttributes.length;
    const question = (names: string) => `Keep ${names} as custom field${count === 1 ? '' : 's'} (attr.…), as shown?`;
    const names = listWithin(
      plan.keepAsAttributes.map((q) => `"${q.column.header}"`),
      promptWidth(width) - question('').length,
    );
    const keep = await prompts.askYesNo(io, question(names), true);
    if (keep) for (const question of plan.keepAsAttributes) answers.set(question.column.index, question.suggestion);
    else queue.push(...plan.keepAsAttributes);
  }
  queue.sort((a, b) => a.column.index - b.column.index);
  // Asked with the fields earlier answers took; a field given to a second column moves the first one to a custom field.
  const answer = async (column: WizardColumn, only?: readonly string[]): Promise<void> => {
    const target = await askTarget(prompts, ctx, buildQuestion(column, takenFields(plan.columns, answers, column), only), width);
    for (const other of plan.columns) {
      if (other.index === column.index || answers.get(other.index) !== target || target.startsWith('attr.') || target === 'ignore') continue;
      const moved = `attr.${attributeName(other.header, other.index)}`;
      answers.set(other.index, moved);
      err.write(paint.dim(`"${other.header}" now goes to ${moved}: ${target} comes from "${column.header}".\n`));
    }
    answers.set(column.index, target);
  };
  for (const question of queue) await answer(question.column);

  const sure = plan.columns.filter((column) => !answers.has(column.index));
  if (sure.length > 0 && (await prompts.askYesNo(io, `Change any of the other ${sure.length} column${sure.length === 1 ? '' : 's'}?`, false))) {
    for (;;) {
      const choices: WizardChoice[] = plan.columns.map((column) => ({
        value: String(column.index),
        name: fitChoice(`${column.header} → ${currentTarget(column, answers)}`, width),
      }));
      choices.push({ value: 'done', name: 'done' });
      const picked = await prompts.askWhichColumn(io, 'Which column?', choices);
      const column = plan.columns.find((c) => String(c.index) === picked);
      if (column === undefined) break;
      await answer(column);
    }
  }

  if (!plan.columns.some((column) => isIdentifying(currentTarget(column, answers)))) {
    err.write(`No column identifies a customer yet: custdb needs one that holds an email, a phone, a name or an id.\n`);
    const choices: WizardChoice[] = plan.columns.map((column) => ({
      value: String(column.index),
      name: fitChoice(column.header, width),
      description: truncate(column.samples.join(' | '), promptWidth(width)),
    }));
    choices.push({ value: 'none', name: 'none of them: stop here' });
    const picked = await prompts.askWhichColumn(io, 'Which column identifies the customer?', choices);
    const column = plan.columns.find((c) => String(c.index) === picked);
    if (column === undefined) {
      throw new MissingColumnError(`No column identifies a customer in ${options.file}: nothing was imported.`, {
        hint: `custdb needs at least one of ${IDENTIFYING_FIELDS.join(', ')}.`,
      });
    }
    await answer(column, IDENTIFYING_FIELDS);
  }

  const maps = plan.columns.filter((column) => answers.has(column.index)).map((column) => `${column.header.trim()}=${answers.get(column.index)}`);
  let saveMapping = options.saveMapping;
  if (saveMapping === undefined && (await prompts.askYesNo(io, 'Save this mapping by name, for next time?', true))) {
    saveMapping = await prompts.askName(io, 'Name for the mapping:', suggestMappingName(options.file), (name) => mappingNameProblem(name.trim()) ?? true);
  }

  const changed = plan.columns.filter((column) => answers.has(column.index) && answers.get(column.index) !== column.target);
  const flags = changed.map((column) => `--map ${shellQuote(`${column.header.trim()}=${answers.get(column.index)}`)}`).join(' ');
  err.write(
    (changed.length > 0 ? `Mapping: ${changed.map((c) => `${c.header} → ${answers.get(c.index)}`).join(', ')} (the rest as shown).\n` : 'Mapping: as shown.\n') +
      paint.dim(
        saveMapping !== undefined
          ? `Saved as "${saveMapping}" once the import succeeds; next time (or in cron): custdb import ${options.file} --mapping ${saveMapping}\n`
          : changed.length > 0
            ? `Next time (or in cron) without questions: custdb import ${options.file} ${flags}\n`
            : 'Without a terminal custdb maps it this way with no flags.\n',
      ),
  );
  return { maps, ...(saveMapping !== undefined ? { saveMapping } : {}) };
}

async function askTarget(prompts: Prompts, ctx: CommandContext, question: MappingQuestion, width: number): Promise<string> {
  const { column } = question;
  const room = promptWidth(width);
  const header = `"${truncate(column.header, Math.max(10, Math.floor(room / 2) - 4))}"`;
  const examples = column.samples.map((s) => truncate(s, 24));
  // As many sample values as fit on the prompt's line; always the first, shortened if need be.
  while (examples.length > 1 && `${header} (e.g. ${examples.join(' | ')}) goes to:`.length > room) examples.pop();
  const shown = examples.length > 0 ? ` (e.g. ${truncate(examples.join(' | '), Math.max(8, room - `${header} (e.g. ) goes to:`.length))})` : ' (empty in the first rows)';
  const choices: WizardChoice[] = question.choices.map((choice) => {
    const name = fitChoice(choice.note ? `${choice.label}  — ${choice.note}` : choice.label, width);
    const dimFrom = choice.note ? name.indexOf('  — ') : -1;
    return {
      value: choice.value,
      name: dimFrom === -1 ? name : `${name.slice(0, dimFrom)}  ${ctx.paint.dim(name.slice(dimFrom + 2))}`,
      short: choice.value === CUSTOM_ATTRIBUTE ? 'a custom field' : choice.value,
    };
  });
  const answer = await prompts.askColumnTarget(ctx.io, `${header}${shown} goes to:`, choices, question.suggestion);
  if (answer !== CUSTOM_ATTRIBUTE) return answer;
  const name = await prompts.askName(ctx.io, 'Custom field name (stored as attr.NAME):', attributeName(column.header, column.index), (text) =>
    parseTarget(`attr.${text}`) === null ? 'Give a name with at least one letter or digit.' : true,
  );
  const target = parseTarget(`attr.${name}`);
  return target?.kind === 'attribute' ? `attr.${target.name}` : `attr.${attributeName(column.header, column.index)}`;
}

function currentTarget(column: WizardColumn, answers: ReadonlyMap<number, string>): string {
  return answers.get(column.index) ?? column.target;
}

/** Fields other columns hold now (sure mappings and answers so far), by the column holding them. */
function takenFields(columns: readonly WizardColumn[], answers: ReadonlyMap<number, string>, except: WizardColumn): Map<string, string> {
  const taken = new Map<string, string>();
  for (const column of columns) {
    if (column.index === except.index) continue;
    const target = currentTarget(column, answers);
    if (!answers.has(column.index) && column.status !== 'sure') continue;
    if (!target.startsWith('attr.') && target !== 'ignore') taken.set(target, column.header);
  }
  return taken;
}

const STATUS_TEXT: Record<WizardColumn['status'], string> = {
  sure: 'sure',
  guessed: 'a guess',
  unrecognised: 'not recognised',
  duplicate: 'field taken',
  doubtful: 'doubtful',
};

/** The columns as an aligned plain-text table within `width`: name, sample values, where it goes, how sure. */
function renderColumns(ctx: CommandContext, columns: readonly WizardColumn[], width: number): string {
  const head = ['column', 'sample values', 'goes to', 'how sure'] as const;
  const rows = columns.map((column) => ({
    header: column.header,
    samples: column.samples.join(' | '),
    target: column.target,
    status: column.status === 'doubtful' && column.looksLike ? `doubtful (${column.looksLike}?)` : STATUS_TEXT[column.status],
  }));
  const widest = (title: string, values: string[], most: number) => Math.min(most, Math.max(title.length, ...values.map((value) => value.length)));
  const statusWidth = widest(head[3], rows.map((row) => row.status), Infinity);
  // Name, samples and target share what the indent, the gaps and the last column leave.
  const [headerWidth = 22, samplesWidth = 34, targetWidth = 22] = shrinkToFit(
    [widest(head[0], rows.map((row) => row.header), 22), widest(head[1], rows.map((row) => row.samples), 34), widest(head[2], rows.map((row) => row.target), 22)],
    width - 2 - 3 * 2 - statusWidth,
  );
  const line = (cells: readonly [string, string, string, string]) =>
    `  ${truncate(cells[0], headerWidth).padEnd(headerWidth)}  ${truncate(cells[1], samplesWidth).padEnd(samplesWidth)}  ${truncate(cells[2], targetWidth).padEnd(targetWidth)}  ${cells[3]}`.trimEnd();
  return [
    ctx.paint.bold(line(head)),
    ...rows.map((row, i) => {
      const text = line([row.header, row.samples, row.target, row.status]);
      return columns[i]?.status === 'sure' ? text : ctx.paint.yellow(text);
    }),
  ].join('\n');
}

/** Takes one from the widest of `widths` until their sum fits `room` or none is wider than 6. */
function shrinkToFit(widths: readonly number[], room: number): number[] {
  const fitted = [...widths];
  for (;;) {
    const most = Math.max(...fitted);
    if (fitted.reduce((sum, w) => sum + w, 0) <= room || most <= 6) return fitted;
    fitted[fitted.indexOf(most)] = most - 1;
  }
}

/** Room for a prompt's message: inquirer adds "? " before it and "(Y/n)" or the answer after. */
function promptWidth(width: number): number {
  return Math.max(20, width - 10);
}

/** A choice of a select prompt, shortened to its line (the pointer takes two columns). */
function fitChoice(text: string, width: number): string {
  return truncate(text, Math.max(12, width - 4));
}

/** Items joined by ", " within `room` characters; the ones that do not fit become "and N more". */
function listWithin(items: readonly string[], room: number): string {
  for (let shown = items.length; shown > 1; shown--) {
    const rest = items.length - shown;
    const text = `${items.slice(0, shown).join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
    if (text.length <= room) return text;
  }
  return items.length > 1 ? `${items[0]} and ${items.length - 1} more` : (items[0] ?? '');
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function shellQuote(text: string): string {
  return `"${text.replace(/(["\\$`])/g, '\\$1')}"`;
}

