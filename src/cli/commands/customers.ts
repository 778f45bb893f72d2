import type { Command } from 'commander';
import { addCustomer } from '../../customers/add-customer.js';
import { addCustomerNote } from '../../customers/add-customer-note.js';
import { editCustomer } from '../../customers/edit-customer.js';
import { parseFieldAssignments } from '../../customers/plan-customer-edit.js';
import { tagCustomer, untagCustomer, type TagResult } from '../../customers/tag-customer.js';
import type { RowWarning } from '../../import/normalize-customer-row.js';
import type { ScalarField } from '../../mapping/map-row.js';
import { UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import type { RunAction } from '../program.js';
import { terminalText, writeJson, writeNote, writeResult, writeWarning } from '../render/output.js';
import type { FollowedMerge } from '../../customers/resolve-customer.js';
import { resolveWho, WHO_HELP } from './show.js';
import { withStore } from '../command-helpers.js';

interface AddFlags {
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  company?: string;
  country?: string;
  tag: string[];
  allowDuplicate?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCustomers(program: Command, run: RunAction): void {
  const customers = program
    .command('customers')
    .description('Add and edit customers by hand: add, edit, tag, untag, note. Every change is recorded in the audit log, field by field.')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb customers add --first-name Jane --last-name "O'Brien" --email jane@example.com --tag vip
  $ custdb customers edit 42 --set phone="+1 415 555 2671" --set company="Brien Bakery"
  $ custdb customers tag 42 wholesale
  $ custdb customers untag 42 newsletter
  $ custdb customers note 42 "Asked for decaf samples"

ID may also be an email, phone number or source:external_id, as long as it names one customer.`,
    );

  customers
    .command('add')
    .description('Add a customer. Values are cleaned like an import cleans them. In a terminal, asks for what the flags leave out.')
    .option('--first-name <name>', 'first name')
    .option('--last-name <name>', 'last name')
    .option('--email <email>', 'email address')
    .option('--phone <phone>', 'phone number (national numbers read in --country, else the default country)')
    .option('--company <company>', 'company')
    .option('--country <country>', 'country (name or ISO code)')
    .option('--tag <tag>', 'a tag (repeat for several)', collect, [])
    .option('--allow-duplicate', 'add even when the email or phone already belongs to a customer (the pair is flagged as a possible duplicate)')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb customers add --first-name Jane --last-name "O'Brien" --email jane@example.com
  $ custdb customers add --email sam@example.com --phone "020 7946 0018" --country GB --tag wholesale
  $ custdb customers add            (in a terminal: asks for each field)

Without a terminal, give at least one of --first-name, --last-name, --email or --phone.
Exit codes: 0 added; 1 the email or phone already belongs to a customer (nothing added; see
--allow-duplicate); 2 could not run (not enough to identify a person, bad value, no database).`,
    )
    .action((flags: AddFlags) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const fields = await gatherAddFields(ctx, flags);
          const result = await addCustomer(store, fields, { actor: ctx.actor, allowDuplicate: flags.allowDuplicate === true });
          reportWarnings(ctx, result.warnings);
          if (result.status === 'exists') {
            if (ctx.json) writeJson(ctx, result);
            else {
              ctx.io.stderr.write('custdb: nothing added: this email or phone already belongs to:\n');
              for (const m of result.matches) ctx.io.stderr.write(terminalText(ctx, `  customer ${m.id}  ${[m.first_name, m.last_name].filter(Boolean).join(' ')}  ${m.email ?? ''}  ${m.phone ?? ''}\n`));
              ctx.io.stderr.write(`  Update them with "custdb customers edit ${result.matches[0]!.id} --set …", or add a separate person with --allow-duplicate.\n`);
            }
            return 1;
          }
          if (ctx.json) writeJson(ctx, result);
          else {
            const name = [result.values.first_name, result.values.last_name].filter(Boolean).join(' ');
            writeResult(ctx, `Added customer ${result.id}${name ? ` (${name})` : ''}.`);
            if (result.flaggedDuplicates.length > 0) writeWarning(ctx, `flagged as a possible duplicate of customer ${result.flaggedDuplicates.join(', ')}`);
          }
          return 0;
        }),
      ),
    );

  customers
    .command('edit')
    .description('Set fields of a customer, cleaned like an import cleans them, and custom fields (attr.NAME). An empty value clears a field.')
    .argument('<id>', WHO_HELP)
    .option('--set <field=value>', 'a field to set (repeat for several), e.g. --set email=jane@example.com', collect, [])
    .addHelpText(
      'after',
      `
Examples:
  $ custdb customers edit 42 --set email=jane.obrien@example.com
  $ custdb customers edit 42 --set full_name="jane o'brien" --set country=Ireland
  $ custdb customers edit 42 --set email_consent=no --set company=
  $ custdb customers edit 42 --set attr.tier=gold --set attr.favourite_roast=

Exit codes: 0 changed, or already as asked; 1 no such customer, or it was merged or erased;
2 could not run (unknown field, unreadable value, no database).`,
    )
    .action((who: string, flags: { set: string[] }) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          if (flags.set.length === 0) throw new UsageError('Nothing to change.', { hint: 'Add --set field=value, e.g. --set email=jane@example.com.' });
          const assignments = parseFieldAssignments(flags.set);
          const resolved = await resolveWho(ctx, store, who);
          if (resolved === null) return 1;
          noteFollowedMerges(ctx, resolved.followed);
          const result = await editCustomer(store, resolved.id, assignments, ctx.actor);
          reportWarnings(ctx, result.warnings);
          if (ctx.json) writeJson(ctx, result);
          else if (result.status === 'unchanged') writeResult(ctx, `Customer ${result.id} already has these values; nothing changed.`);
          else writeResult(ctx, [`Changed customer ${result.id}:`, ...result.changes.map((c) => `  ${c.field}: ${show(c.old)} → ${show(c.new)}`)].join('\n'));
          return 0;
        }),
      ),
    );

  for (const mode of ['tag', 'untag'] as const) {
    customers
      .command(mode)
      .description(mode === 'tag' ? 'Add tags to a customer.' : 'Remove tags from a customer (case does not matter).')
      .argument('<id>', WHO_HELP)
      .argument('<tags...>', 'one or more tags')
      .addHelpText('after', `\nExamples:\n  $ custdb customers ${mode} 42 vip wholesale\n  $ custdb customers ${mode} jane@example.com newsletter\n\nExit codes: 0 done (or nothing to do); 1 no such customer, or it was merged or erased; 2 could not run.`)
      .action((who: string, tags: string[]) =>
        run((ctx) =>
          withStore(ctx, async (store) => {
            const resolved = await resolveWho(ctx, store, who);
            if (resolved === null) return 1;
            noteFollowedMerges(ctx, resolved.followed);
            const result: TagResult = mode === 'tag' ? await tagCustomer(store, resolved.id, tags, ctx.actor) : await untagCustomer(store, resolved.id, tags, ctx.actor);
            if (ctx.json) writeJson(ctx, result);
            else {
              const verb = mode === 'tag' ? 'Tagged' : 'Untagged';
              const lines = result.changed.length > 0 ? [`${verb} customer ${result.id}: ${result.changed.join(', ')}.`] : [`Customer ${result.id}: nothing changed.`];
              if (result.skipped.length > 0) lines.push(`  ${mode === 'tag' ? 'already tagged' : 'not tagged'}: ${result.skipped.join(', ')}`);
              lines.push(`  tags now: ${result.tags.join(', ') || '—'}`);
              writeResult(ctx, lines.join('\n'));
            }
            return 0;
          }),
        ),
      );
  }

  customers
    .command('note')
    .description("Add a note to a customer's history (an interaction of kind note, dated now, by you).")
    .argument('<id>', WHO_HELP)
    .argument('<text>', 'the note; quote it')
    .addHelpText('after', '\nExamples:\n  $ custdb customers note 42 "Prefers delivery after 5pm"\n\nExit codes: 0 added; 1 no such customer, or it was merged or erased; 2 could not run (empty note, no database).')
    .action((who: string, text: string) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const resolved = await resolveWho(ctx, store, who);
          if (resolved === null) return 1;
          noteFollowedMerges(ctx, resolved.followed);
          const result = await addCustomerNote(store, resolved.id, text, ctx.actor);
          if (ctx.json) writeJson(ctx, result);
          else writeResult(ctx, `Added a note to customer ${result.id}.`);
          return 0;
        }),
      ),
    );
}

/** Fields for `customers add` from the flags, asking in a terminal for what they leave out; without one, refuses when nothing identifies a person. */
async function gatherAddFields(ctx: CommandContext, flags: AddFlags): Promise<{ fields: Partial<Record<ScalarField, string>>; tags: string[] }> {
  let fields: Partial<Record<ScalarField, string>> = {
    first_name: flags.firstName,
    last_name: flags.lastName,
    email: flags.email,
    phone: flags.phone,
    company: flags.company,
    country: flags.country,
  };
  let tags = flags.tag;
  const identifying = [flags.firstName, flags.lastName, flags.email, flags.phone].some((v) => v !== undefined && v.trim() !== '');
  if (!identifying) {
    if (!ctx.interactive) {
      throw new UsageError('customers add needs at least one of --first-name, --last-name, --email or --phone when there is no terminal to ask in.', {
        hint: 'Example: custdb customers add --first-name Jane --email jane@example.com',
      });
    }
    const { askCustomerDetails } = await import('../prompts.js');
    const answers = await askCustomerDetails(ctx.io, {
      ...(flags.company !== undefined ? { company: flags.company } : {}),
      ...(flags.tag.length > 0 ? { tags: flags.tag.join(',') } : {}),
    });
    fields = { ...fields, first_name: answers.first_name, last_name: answers.last_name, email: answers.email, phone: answers.phone, company: answers.company };
    tags = answers.tags.split(',');
  }
  return { fields, tags };
}

function noteFollowedMerges(ctx: CommandContext, followed: FollowedMerge[]): void {
  for (const merge of followed) writeNote(ctx, `note: customer ${merge.id} was merged into customer ${merge.mergedInto}; changing customer ${merge.mergedInto}.`);
}

function reportWarnings(ctx: CommandContext, warnings: RowWarning[]): void {
  for (const w of warnings) writeWarning(ctx, `${w.field}: ${w.message}`);
}

function show(value: string | null): string {
  return value === null ? '(empty)' : JSON.stringify(value);
}
