export type Consent = 'granted' | 'denied';

const GRANTED = [
  'yes', 'y', 'true', 't', '1', 'on', 'checked',
  'subscribed', 'subscribe', 'opted in', 'opt in', 'optin', 'accepted', 'accepts',
  'accepts marketing', 'granted', 'consented', 'consent given', 'agreed', 'agree', 'allowed',
  'confirmed', 'confirmed opt in', 'single opt in', 'double opt in', 'email subscribed',
  'sms subscribed', 'subscriber', 'ja', 'oui', 'si', 'sí',
];

const DENIED = [
  'no', 'n', 'false', 'f', '0', 'off', 'unchecked',
  'unsubscribed', 'unsubscribe', 'opted out', 'opt out', 'optout', 'declined', 'denied',
  'refused', 'rejected', 'revoked', 'withdrawn', 'not subscribed', 'non subscribed',
  'never subscribed', 'cleaned', 'bounced', 'email unsubscribed', 'sms unsubscribed',
  'do not email', 'do not contact', 'do not call', 'dnc', 'nein', 'non', 'nee',
];

// Granting is only read from words that say so plainly: a wrong "granted"
// sends marketing to someone who never agreed. Everything else, including Mailchimp's "pending" (double opt-in not yet
// confirmed) and "transactional", is unknown: null.
const CONSENT: ReadonlyMap<string, Consent> = new Map([
  ...GRANTED.map((word): [string, Consent] => [word, 'granted']),
  ...DENIED.map((word): [string, Consent] => [word, 'denied']),
]);

const SEPARATOR_RUN = /[\s_-]+/g;

/**
 * Reads a marketing-consent cell: yes/no, true/false, 1/0, and the status
 * words of Shopify, Mailchimp, HubSpot and Klaviyo exports (`subscribed`,
 * `cleaned`, `non_subscribed`, `Email Unsubscribed`). Empty, `pending` and
 * anything unrecognised give null, so the caller can warn; never guesses.
 */
export function parseConsent(raw: string): Consent | null {
  const direct = CONSENT.get(raw);
  if (direct !== undefined) return direct;
  const key = raw.trim().toLowerCase().replace(SEPARATOR_RUN, ' ');
  return CONSENT.get(key) ?? null;
}
