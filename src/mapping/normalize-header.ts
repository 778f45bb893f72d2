/**
 * Two ways of comparing CSV header names:
 * - `headerKey` is aggressive (accents, spaces and punctuation gone) and is used
 *   for synonym lookup: "E-mail Address" and "email_address" meet as "emailaddress".
 * - `comparableHeader` is gentle (trim, lower-case, BOM stripped, internal
 *   whitespace collapsed) and is what platform presets match on, so that
 *   Salesforce "LastName" and Shopify "Last Name" stay distinguishable.
 */

const BOM = /^\uFEFF/;

// Letters that NFD does not decompose into base + mark.
const LIGATURES: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Lower-cased letters without accents (ö→o, é→e, ß→ss); never changes non-Latin scripts beyond case. */
export function foldAccents(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[ßæœøłđðþı]/g, (letter) => LIGATURES[letter] ?? letter);
}

/**
 * The synonym-lookup key of a header: lower-case, BOM stripped, accents folded,
 * spaces/punctuation/underscores/hyphens/symbols removed. Never empty for a
 * header holding any letter or digit. `headerKey("E-mail Address") === "emailaddress"`.
 */
export function headerKey(name: string): string {
  return foldAccents(name.replace(BOM, '')).replace(/[\p{P}\p{S}\p{Z}\s_]+/gu, '');
}

/** The preset-matching form of a header: trimmed, lower-case, BOM stripped, inner whitespace collapsed. */
export function comparableHeader(name: string): string {
  return name.replace(BOM, '').trim().replace(/\s+/g, ' ').toLowerCase();
}

// Shopify metafield columns read "Label (customer.metafields.namespace.key)".
const METAFIELD = /^(.*?)\s*\((?:customer|order|product)\.metafields\.[^)]*\)\s*$/i;

/**
 * The snake_case attribute name for a header ("Favourite Roast" → "favourite_roast";
 * a Shopify metafield column is named by its label). Never empty: a blank header
 * becomes `column_<n>` (1-based position).
 */
export function attributeName(header: string, index: number): string {
  const label = (METAFIELD.exec(header.replace(BOM, ''))?.[1] ?? header).replace(BOM, '').trim();
  // Split camelCase only in identifier-like headers ("HasOptedOutOfEmail"), not in "WhatsApp Marketing".
  const words = /[\s_.-]/.test(label) ? label : label.replace(/(\p{Ll}|\p{N})(\p{Lu})/gu, '$1_$2');
  const snake = foldAccents(words)
    .replace(/[^\p{L}\p{N}]+/gu, '_')
    .replace(/^_+|_+$/g, '');
  return snake === '' ? `column_${index + 1}` : snake;
}
