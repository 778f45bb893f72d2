import { parseRecordTarget } from '../../../src/mapping/map-record-columns.js';
import { ORDER_FIELDS } from '../../../src/model/order-fields.js';
import { describe, expect, it } from 'vitest';
import { getPreset, listPresets, PRESETS } from '../../../src/mapping/presets.js';
import { recognizePreset } from '../../../src/mapping/recognize-preset.js';
import { parseTarget } from '../../../src/mapping/mapping-schema.js';

const SHOPIFY = 'Customer ID,First Name,Last Name,Email,Accepts Email Marketing,Default Address Company,Default Address Address1,Default Address Address2,Default Address City,Default Address Province Code,Default Address Country Code,Default Address Zip,Default Address Phone,Phone,Accepts SMS Marketing,Total Spent,Total Orders,Note,Tax Exempt,Tags'.split(',');
const MAILCHIMP = 'Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LATITUDE,LONGITUDE,GMTOFF,DSTOFF,TIMEZONE,CC,REGION,LAST_CHANGED,LEID,EUID,NOTES'.split(',');

describe('recognizePreset', () => {
  it('matches on names whatever the order, case, BOM or surrounding spaces', () => {
    const shuffled = [...SHOPIFY].reverse().map((name, index) => (index % 2 === 0 ? ` ${name.toUpperCase()} ` : name));
    shuffled[0] = `\uFEFF${shuffled[0] ?? ''}`;
    const result = recognizePreset(shuffled);
    expect(result.best?.preset.name).toBe('shopify-customers');
    expect(result.weak).toBe(false);
  });

  it('tolerates extra columns but lowers the score', () => {
    const plain = recognizePreset(SHOPIFY).best?.score ?? 0;
    const extra = recognizePreset([...SHOPIFY, 'Loyalty Tier', 'Favourite Roast']);
    expect(extra.best?.preset.name).toBe('shopify-customers');
    expect(extra.best?.score).toBeLessThan(plain);
  });

  it('tells the three Mailchimp files apart by their UNSUB_* and CLEAN_* columns', () => {
    expect(recognizePreset(MAILCHIMP).best?.preset.name).toBe('mailchimp-subscribed');
    expect(recognizePreset([...MAILCHIMP, 'UNSUB_TIME', 'UNSUB_REASON']).best?.preset.name).toBe('mailchimp-unsubscribed');
    expect(recognizePreset([...MAILCHIMP, 'CLEAN_TIME', 'CLEAN_CAMPAIGN_ID']).best?.preset.name).toBe('mailchimp-cleaned');
  });

  it('recognises nothing in a hand-made customer list', () => {
    const result = recognizePreset(['First Name', 'Last Name', 'Email', 'Phone', 'City']);
    expect(result.best).toBeNull();
    expect(result.weak).toBe(true);
    expect(result.candidates.length).toBeGreaterThan(0);
    expect(result.candidates.every((candidate) => candidate.missing.length > 0)).toBe(true);
  });

  it('does not take lower-case generic ids and names for Salesforce', () => {
    expect(recognizePreset(['id', 'firstname', 'lastname', 'email']).best).toBeNull();
  });

  it('does not take a Shopify orders export for a customers export', () => {
    const orders = 'Name,Email,Financial Status,Paid at,Accepts Marketing,Currency,Subtotal,Total,Created at,Lineitem quantity,Lineitem name,Billing Name,Billing Phone,Phone,Notes,Tags,Id'.split(',');
    expect(recognizePreset(orders).best?.preset.name).not.toBe('shopify-customers');
  });

  it('says which required headers are missing', () => {
    const result = recognizePreset(SHOPIFY.filter((name) => name !== 'Tax Exempt'));
    const shopify = result.candidates.find((candidate) => candidate.preset.name === 'shopify-customers');
    expect(shopify?.missing).toEqual(['Tax Exempt']);
    expect(result.best?.preset.name).not.toBe('shopify-customers');
  });
});

describe('presets', () => {
  it('have unique names and only valid targets', () => {
    expect(new Set(PRESETS.map((preset) => preset.name)).size).toBe(PRESETS.length);
    // Customer presets target customer fields; order presets target order fields.
    const parse = (preset: (typeof PRESETS)[number], target: string) =>
      preset.kind === 'orders' ? parseRecordTarget(target, ORDER_FIELDS) : parseTarget(target);
    for (const preset of PRESETS) {
      for (const column of preset.columns) expect(parse(preset, column.target.replace('{n}', '1')), `${preset.name}: ${column.target}`).not.toBeNull();
      for (const target of Object.keys(preset.constants ?? {})) expect(parse(preset, target)).not.toBeNull();
    }
  });

  it('are listed with the fields they fill, for --list-presets', () => {
    const shopify = listPresets().find((preset) => preset.name === 'shopify-customers');
    expect(shopify?.fields).toEqual(expect.arrayContaining(['external_id', 'email', 'email_consent', 'sms_consent', 'tags', 'postal_code']));
    expect(listPresets().find((preset) => preset.name === 'mailchimp-subscribed')?.fields).toContain('email_consent');
    expect(getPreset('Shopify-Customers')?.name).toBe('shopify-customers');
    expect(getPreset('nope')).toBeNull();
  });
});
