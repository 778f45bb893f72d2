const PREFIX_SCALE = 0.1;

/**
 * Jaro-Winkler similarity of two strings, in [0, 1] (1 = identical), with the
 * usual prefix bonus (0.1 per shared leading character, up to 4).
 * With `floor`, the caller only cares whether the score reaches it: a pair that
 * cannot is abandoned early and scores 0, which makes most non-matching pairs
 * much cheaper. Case-sensitive; never throws; one empty string scores 0.
 * @example jaroWinkler('MARTHA', 'MARHTA') // ≈ 0.961
 */
export function jaroWinkler(a: string, b: string, floor = 0): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  let prefix = 0;
  const maxPrefix = la < lb ? (la < 4 ? la : 4) : lb < 4 ? lb : 4;
  while (prefix < maxPrefix && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  // Fewest matching characters that could still reach `floor` (assuming no transpositions).
  let needed = 1;
  if (floor > 0) {
    const bonus = prefix * PREFIX_SCALE;
    const shorter = la < lb ? la : lb;
    while (needed <= shorter) {
      const jaro = (needed / la + needed / lb + 1) / 3;
      if (jaro + bonus * (1 - jaro) >= floor) break;
      needed++;
    }
    if (needed > shorter) return 0;
  }
  const jaro = la <= 31 && lb <= 31 ? jaroShort(a, b, la, lb, needed) : jaroLong(a, b, la, lb);
  if (jaro === 0) return 0;
  return jaro + prefix * PREFIX_SCALE * (1 - jaro);
}

/** Jaro for strings of up to 31 characters, with matched positions kept as bits of an integer. */
function jaroShort(a: string, b: string, la: number, lb: number, needed: number): number {
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let flagsA = 0;
  let flagsB = 0;
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = i - window > 0 ? i - window : 0;
    const hi = i + window + 1 < lb ? i + window + 1 : lb;
    const ca = a.charCodeAt(i);
    for (let j = lo; j < hi; j++) {
      if ((flagsB & (1 << j)) === 0 && b.charCodeAt(j) === ca) {
        flagsB |= 1 << j;
        flagsA |= 1 << i;
        matches++;
        break;
      }
    }
    // Give up once the characters left cannot bring the matches up to `needed`.
    if (matches + (la - i - 1) < needed) return 0;
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if ((flagsA & (1 << i)) === 0) continue;
    while ((flagsB & (1 << k)) === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  return (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3;
}

function jaroLong(a: string, b: string, la: number, lb: number): number {
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  const matchedA = new Uint8Array(la);
  const matchedB = new Uint8Array(lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window);
    const hi = Math.min(lb, i + window + 1);
    const ca = a.charCodeAt(i);
    for (let j = lo; j < hi; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(j) === ca) {
        matchedB[j] = 1;
        matchedA[i] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let transpositions = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++;
    k++;
  }
  return (matches / la + matches / lb + (matches - transpositions / 2) / matches) / 3;
}
