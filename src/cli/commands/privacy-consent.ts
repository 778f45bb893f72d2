import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { consentHistory } from '../../privacy/consent-history.js';
import { setConsent } from '../../privacy/consent.js';
import { withStore } from '../command-helpers.js';
import type { RunAction } from '../program.js';
import { describeConsentChange } from '../render/consent-history.js';
import { writeJson, writeResult } from '../render/output.js';
import { resolveWho, WHO_HELP } from './show.js';

interface ConsentFlags {
  email?: string;
  sms?: string;
  source?: string;
}

/** `custdb privacy consent WHO`: records a person's marketing consent answers, or lists their consent history. */
export function registerPrivacyConsent(privacy: Command, run: RunAction): void {
  privacy
    .command('consent')
    .description("Record a person's answer about marketing by email or SMS (stamped now, with where it came from), or, with neither --email nor --sms, list how their consent changed.")
    .argument('<who>', WHO_HELP)
    .option('--email <answer>', 'yes: may be emailed; no: may not')
    .option('--sms <answer>', 'yes: may be sent text messages; no: may not')
    .option('--source <text>', 'where the answer came from, stored with it (default: manual)')
    .addHelpText(
      'after',
      `
Examples:
  $ custdb privacy consent jane@example.com --email no --source "unsubscribe email 2026-12-05"
  $ custdb privacy consent 42 --email yes --sms yes --source "signed form"
  $ custdb privacy consent 42                 (lists every change of customer 42's consent: imports, merges, edits)

An import decides consent the same way, by time: the newer answer wins, so an older file never brings back
consent a newer one (a Mailchimp unsubscribed or cleaned export) withdrew.

Exit codes: 0 recorded (or already so), or listed; 1 no such customer, or it was merged or erased;
2 could not run (an answer other than yes or no, no database).`,
    )
    .action((who: string, flags: ConsentFlags) =>
      run((ctx) =>
        withStore(ctx, async (store) => {
          const answers = { email: readAnswer('--email', flags.email), sms: readAnswer('--sms', flags.sms) };
          const resolved = await resolveWho(ctx, store, who);
          if (resolved === null) return 1;
          if (answers.email === undefined && answers.sms === undefined) {
            if (flags.source !== undefined) throw new UsageError('--source says where an answer came from: give --email or --sms with it.', { hint: 'Example: --email no --source "phone call".' });
            const history = await consentHistory(store, resolved.id);
            if (ctx.json) writeJson(ctx, { id: resolved.id, history });
            else writeResult(ctx, history.length === 0 ? `Customer ${resolved.id}: no consent recorded.` : [`Consent of customer ${resolved.id}, oldest first:`, ...history.map((e) => `  ${describeConsentChange(e)}`)].join('\n'));
            return 0;
          }
          const result = await setConsent(store, resolved.id, answers, { source: flags.source, actor: ctx.actor });
          if (ctx.json) writeJson(ctx, result);
          else if (result.status === 'unchanged') writeResult(ctx, `Customer ${result.id} already has these answers; nothing changed.`);
          else writeResult(ctx, [`Recorded for customer ${result.id} (via ${result.source}):`, ...result.changes.map((c) => `  ${c.channel}: ${c.old ?? 'unknown'} → ${c.new}`)].join('\n'));
          return 0;
        }),
      ),
    );
}

function readAnswer(flag: string, typed: string | undefined): boolean | undefined {
  if (typed === undefined) return undefined;
  const answer = typed.trim().toLowerCase();
  if (answer === 'yes') return true;
  if (answer === 'no') return false;
  throw new UsageError(`${flag} ${typed}: the answer is yes or no.`, { hint: `${flag} yes records consent given, ${flag} no consent withdrawn.` });
}
