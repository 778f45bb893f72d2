import { utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { queryCliDatabase } from '../helpers/cli-database.js';
import { makeWorkdir, runCli } from '../helpers/run-cli.js';
import { runCliInProcess } from '../helpers/run-cli-in-process.js';

const MAILCHIMP_HEAD = '"Email Address","First Name","Last Name",MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES';
const subscribed = (rows: string[]) => [MAILCHIMP_HEAD, ...rows].join('\n') + '\n';
const BEA_SUBSCRIBED_2021 = 'bea@example.com,Bea,Kowalski,4,2021-05-01 10:00:00,,2021-05-01 10:05:00,,,,,,,PL,,2021-05-01 10:05:00,123456,abc123ef,';
const unsubscribed = (rows: string[]) =>
  [`${MAILCHIMP_HEAD},UNSUB_TIME,UNSUB_CAMPAIGN_TITLE,UNSUB_CAMPAIGN_ID,UNSUB_REASON,UNSUB_REASON_OTHER`, ...rows].join('\n') + '\n';
const BEA_UNSUBSCRIBED_2024 = 'bea@example.com,Bea,Kowalski,4,2021-05-01 10:00:00,,,,,,,,,PL,,2024-02-02 08:00:00,123456,abc123ef,,2024-02-02 08:00:00,Spring sale,5ab1c2,NORMAL,';
const cleaned = (rows: string[]) => [`${MAILCHIMP_HEAD},CLEAN_TIME,CLEAN_CAMPAIGN_TITLE,CLEAN_CAMPAIGN_ID`, ...rows].join('\n') + '\n';

interface Consent {
  email_consent: string | null;
  email_consent_at: string | null;
  email_consent_source: string | null;
}

describe('consent: imports, privacy consent, export --consented', () => {
  const workdir = () => makeWorkdir();
  const custdb = async (cwd: string, ...args: string[]) => {
    const result = await runCliInProcess(args, { cwd });
    expect(result.code, `custdb ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const consentOf = async (cwd: string, email: string) =>
    (await queryCliDatabase<Consent>(cwd, sql`SELECT email_consent, email_consent_at, email_consent_source FROM customers WHERE email_norm = ${email}`))[0];
  const write = (cwd: string, name: string, text: string, modified?: string) => {
    const file = path.join(cwd, name);
    writeFileSync(file, text);
    if (modified !== undefined) utimesSync(file, new Date(modified), new Date(modified));
    return name;
  };

  it('a Mailchimp unsubscribed export withdraws email consent as of UNSUB_TIME, and an older subscribed file never brings it back', async () => {
    const cwd = workdir();
    await custdb(cwd, 'import', write(cwd, 'subscribed.csv', subscribed([BEA_SUBSCRIBED_2021])));
    expect(await consentOf(cwd, 'bea@example.com')).toEqual({ email_consent: 'granted', email_consent_at: '2021-05-01T00:00:00.000Z', email_consent_source: 'import:mailchimp' });

    await custdb(cwd, 'import', write(cwd, 'unsubscribed.csv', unsubscribed([BEA_UNSUBSCRIBED_2024])));
    expect(await consentOf(cwd, 'bea@example.com')).toEqual({ email_consent: 'denied', email_consent_at: '2024-02-02T08:00:00.000Z', email_consent_source: 'import:mailchimp' });

    // The same old subscribed export again (another copy, so it is not skipped as already imported), in either update mode.
    for (const mode of ['fill', 'overwrite']) {
      await custdb(cwd, 'import', write(cwd, `subscribed-again-${mode}.csv`, subscribed([BEA_SUBSCRIBED_2021, `old.${mode}@example.com,Old,Friend,1,2020-01-01 00:00:00,,,,,,,,,GB,,2020-01-01 00:00:00,1,${mode},`])), '--update', mode);
      expect((await consentOf(cwd, 'bea@example.com'))!.email_consent).toBe('denied');
    }
    expect(await custdb(cwd, 'export', 'customers', '--consented', 'email', '--fields', 'email')).toBe('id,external_ids,email\n2,mailchimp:fill,old.fill@example.com\n3,mailchimp:overwrite,old.overwrite@example.com\n');
  });

  it('a Mailchimp cleaned export withdraws email consent too; a plain file speaks as of its own date: older loses, newer wins', async () => {
    const cwd = workdir();
    await custdb(cwd, 'import', write(cwd, 'subscribed.csv', subscribed([BEA_SUBSCRIBED_2021])));
    await custdb(cwd, 'import', write(cwd, 'cleaned.csv', cleaned([`${BEA_SUBSCRIBED_2021},2022-07-07 07:07:07,July news,77aa`])));
    expect(await consentOf(cwd, 'bea@example.com')).toMatchObject({ email_consent: 'denied', email_consent_at: '2022-07-07T07:07:07.000Z' });

    await custdb(cwd, 'import', write(cwd, 'old-list.csv', 'email,first_name,email_consent\nbea@example.com,Bea,yes\n', '2022-01-01T00:00:00Z'), '--source', 'till');
    expect((await consentOf(cwd, 'bea@example.com'))!.email_consent).toBe('denied');
    await custdb(cwd, 'import', write(cwd, 'new-list.csv', 'email,first_name,email_consent\nbea@example.com,Bea,yes\nzed@example.com,Zed,no\n', '2025-06-01T12:00:00Z'), '--source', 'till');
    expect(await consentOf(cwd, 'bea@example.com')).toEqual({ email_consent: 'granted', email_consent_at: '2025-06-01T12:00:00.000Z', email_consent_source: 'import:till' });
  });

  it('custdb privacy consent records the answer with when and where, and lists the history of every change', async () => {
    const cwd = workdir();
    await custdb(cwd, 'import', write(cwd, 'subscribed.csv', subscribed([BEA_SUBSCRIBED_2021])));
    await custdb(cwd, 'import', write(cwd, 'unsubscribed.csv', unsubscribed([BEA_UNSUBSCRIBED_2024])));

    const recorded = await custdb(cwd, 'privacy', 'consent', 'bea@example.com', '--email', 'yes', '--sms', 'no', '--source', 'signed form');
    expect(recorded).toBe('Recorded for customer 1 (via signed form):\n  email: denied → granted\n  sms: unknown → denied\n');
    const now = await consentOf(cwd, 'bea@example.com');
    expect(now).toMatchObject({ email_consent: 'granted', email_consent_source: 'signed form' });
    expect(Date.now() - Date.parse(now!.email_consent_at!)).toBeLessThan(60_000);
    expect(await custdb(cwd, 'privacy', 'consent', '1', '--email', 'yes')).toBe('Customer 1 already has these answers; nothing changed.\n');

    const { history } = JSON.parse(await custdb(cwd, '--json', 'privacy', 'consent', '1')) as { history: Record<string, unknown>[] };
    expect(history.map((h) => [h.channel, h.previous, h.state, h.statedAt, h.source, h.madeBy])).toEqual([
      ['email', null, 'granted', '2021-05-01T00:00:00.000Z', 'import:mailchimp', { kind: 'import', batchId: 1 }],
      ['email', 'granted', 'denied', '2024-02-02T08:00:00.000Z', 'import:mailchimp', { kind: 'import', batchId: 2 }],
      ['email', 'denied', 'granted', now!.email_consent_at, 'signed form', { kind: 'event', eventId: expect.any(Number), command: 'privacy consent' }],
      ['sms', null, 'denied', now!.email_consent_at, 'signed form', { kind: 'event', eventId: expect.any(Number), command: 'privacy consent' }],
    ]);
    expect(await custdb(cwd, 'privacy', 'consent', '1')).toContain('email: granted → denied as of 2024-02-02 08:00 via import:mailchimp (import batch 2)');
    const show = await runCliInProcess(['show', '1'], { cwd, env: { COLUMNS: '200' } });
    expect(show.stdout).toMatch(/email: granted → denied as of 2024-02-02 08:00 via import:mailchimp \(import batch 2\)\n.*email: denied → granted as of .* via signed form \(privacy consent\)/);
    const log = JSON.parse(await custdb(cwd, '--json', 'log', '--command', 'privacy')) as { entries: { summary: string; customers: number }[] };
    expect(log.entries).toMatchObject([{ summary: 'consent of customer 1: email granted, sms denied', customers: 1 }]);
  });

  it('custdb imports undo of an unsubscribed export gives back the consent, with its time and source', async () => {
    const cwd = workdir();
    await custdb(cwd, 'import', write(cwd, 'subscribed.csv', subscribed([BEA_SUBSCRIBED_2021])));
    const before = await consentOf(cwd, 'bea@example.com');
    await custdb(cwd, 'import', write(cwd, 'unsubscribed.csv', unsubscribed([BEA_UNSUBSCRIBED_2024])));
    await custdb(cwd, '--yes', 'imports', 'undo', '2');
    expect(await consentOf(cwd, 'bea@example.com')).toEqual(before);
  });

  it('custdb privacy consent refuses an answer other than yes/no (exit 2) and an unknown person (exit 1), changing nothing', async () => {
    const cwd = workdir();
    await custdb(cwd, 'import', write(cwd, 'subscribed.csv', subscribed([BEA_SUBSCRIBED_2021])));
    const bad = await runCliInProcess(['privacy', 'consent', '1', '--email', 'maybe'], { cwd });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--email maybe: the answer is yes or no.');
    const nobody = await runCliInProcess(['privacy', 'consent', 'nobody@example.com', '--email', 'no'], { cwd });
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('No customer matches nobody@example.com.');
    expect((await consentOf(cwd, 'bea@example.com'))!.email_consent).toBe('granted');
  });

  it('custdb export segment:NAME --consented sms and query --consented email keep only people who may be contacted there now', async () => {
    const cwd = workdir();
    await custdb(cwd, 'import', write(cwd, 'people.csv', 'email,phone,first_name,email_consent,sms_consent,country\nann@example.com,+447700900001,Ann,yes,yes,GB\nbob@example.com,+447700900002,Bob,no,yes,GB\ncat@example.com,,Cat,yes,yes,GB\ndan@example.com,+447700900004,Dan,yes,,US\n'));
    await custdb(cwd, 'segment', 'add', 'uk', '--where', 'country = "GB"');
    expect(await custdb(cwd, 'export', 'segment:uk', '--consented', 'sms', '--fields', 'first_name')).toBe('id,external_ids,first_name\n1,,Ann\n2,,Bob\n');
    expect(await custdb(cwd, 'query', '--consented', 'email', '--fields', 'first_name', '--format', 'csv')).toBe('first_name\nAnn\nCat\nDan\n');
    expect(await custdb(cwd, 'query', '--consented', 'email', '--count')).toBe('3\n');
    const orders = await runCliInProcess(['export', 'orders', '--consented', 'email'], { cwd });
    expect(orders.code).toBe(2);
  });

  it('custdb privacy consent 1 --email no --source "phone call" (the built binary)', async () => {
    const cwd = workdir();
    await custdb(cwd, 'import', write(cwd, 'subscribed.csv', subscribed([BEA_SUBSCRIBED_2021])));
    const result = await runCli(['privacy', 'consent', '1', '--email', 'no', '--source', 'phone call'], { cwd });
    expect(result).toEqual({ code: 0, stdout: 'Recorded for customer 1 (via phone call):\n  email: granted → denied\n', stderr: '' });
  });
});
