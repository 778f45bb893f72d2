const CODES: Record<string, string> = {
  B: '1', F: '1', P: '1', V: '1',
  C: '2', G: '2', J: '2', K: '2', Q: '2', S: '2', X: '2', Z: '2',
  D: '3', T: '3',
  L: '4',
  M: '5', N: '5',
  R: '6',
};

/**
 * American Soundex code of a name: a letter and three digits ('Robert' → 'R163'),
 * '' when the name has no letters. Never throws.
 */
export function soundex(name: string): string {
  const w = name.toUpperCase().replace(/[^A-Z]/g, '');
  const first = w[0];
  if (first === undefined) return '';
  let code = first;
  let last = CODES[first] ?? '';
  for (let i = 1; i < w.length && code.length < 4; i++) {
    const c = w[i] ?? '';
    const digit = CODES[c];
    if (digit !== undefined) {
      if (digit !== last) code += digit;
      last = digit;
    } else if (c !== 'H' && c !== 'W') {
      // A vowel separates equal codes; H and W do not.
      last = '';
    }
  }
  return code.padEnd(4, '0');
}
