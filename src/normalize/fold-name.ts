/** A name as compared: lower case, accents and punctuation dropped, hyphens as spaces ("José O'Brien-Ruiz" → "jose obrien ruiz"). Pure. */
export function foldName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    // Letters of every script stay: folding 王伟 and 李娜 to nothing would make them agree.
    .replace(/[^\p{L}\s-]/gu, '')
    .replace(/[-\s]+/g, ' ')
    .trim();
}
