const VOWELS = new Set(['A', 'E', 'I', 'O', 'U']);

function isVowel(c: string | undefined): boolean {
  return c !== undefined && VOWELS.has(c);
}

/**
 * NYSIIS phonetic code of a name (upper-case letters, not truncated), so that
 * spellings that sound alike share a code: 'Robertson' → 'RABARTSAN'.
 * Non-letters are ignored; a name without letters gives ''. Never throws.
 */
export function nysiis(name: string): string {
  let w = name.toUpperCase().replace(/[^A-Z]/g, '');
  if (w.length === 0) return '';
  // Prefix rules.
  if (w.startsWith('MAC')) w = 'MCC' + w.slice(3);
  else if (w.startsWith('KN')) w = 'NN' + w.slice(2);
  else if (w.startsWith('K')) w = 'C' + w.slice(1);
  else if (w.startsWith('PH') || w.startsWith('PF')) w = 'FF' + w.slice(2);
  else if (w.startsWith('SCH')) w = 'SSS' + w.slice(3);
  // Suffix rules.
  if (w.endsWith('EE') || w.endsWith('IE')) w = w.slice(0, -2) + 'Y';
  else if (/(DT|RT|RD|NT|ND)$/.test(w)) w = w.slice(0, -2) + 'D';

  const chars = w.split('');
  let key = chars[0] ?? '';
  for (let i = 1; i < chars.length; i++) {
    const c = chars[i] ?? '';
    const next = chars[i + 1];
    let out: string;
    if (c === 'E' && next === 'V') {
      chars[i + 1] = 'F';
      out = 'A';
    } else if (isVowel(c)) {
      out = 'A';
    } else if (c === 'Q') out = 'G';
    else if (c === 'Z') out = 'S';
    else if (c === 'M') out = 'N';
    else if (c === 'K') out = next === 'N' ? 'N' : 'C';
    else if (c === 'S' && next === 'C' && chars[i + 2] === 'H') {
      chars[i + 1] = 'S';
      chars[i + 2] = 'S';
      out = 'S';
    } else if (c === 'P' && next === 'H') {
      chars[i + 1] = 'F';
      out = 'F';
    } else if (c === 'H' && (!isVowel(chars[i - 1]) || !isVowel(next))) {
      out = chars[i - 1] ?? c;
    } else if (c === 'W' && isVowel(chars[i - 1])) {
      out = chars[i - 1] ?? c;
    } else out = c;
    chars[i] = out;
    if (key[key.length - 1] !== out) key += out;
  }
  if (key.length > 1 && key.endsWith('S')) key = key.slice(0, -1);
  if (key.length > 1 && key.endsWith('AY')) key = key.slice(0, -2) + 'Y';
  if (key.length > 1 && key.endsWith('A')) key = key.slice(0, -1);
  return key;
}
