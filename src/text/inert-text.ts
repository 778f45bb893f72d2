/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts sequences that clear
 * the screen or retitle the window; CR and backspace overwrite what was printed) but tab and newline,
 * which are layout; DEL; C1 controls (U+009B is a one-byte ESC [); and the bidi embeddings,
 * overrides and isolates that reorder the rest of a line (U+202A–U+202E, U+2066–U+2069).
 */
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * The colour sequences custdb's own paint writes (chalk at level 1: bold, dim, red … cyan, gray and
 * their resets). Kept when colour is on; any other escape sequence is shown escaped.
 */
const OWN_STYLE = /\u001b\[(?:1|2|22|3[1-6]|39|90)m/gu;

/**
 * `text` made safe to print to a terminal: every character a terminal would act on is shown
 * escaped instead (`\x1b`, `\u202e`), so a customer named "Evil\x1b[2J" prints as that, and
 * clears nothing. Newlines and tabs stay. The HTML report shows its text through this too: escaping
 * `<` and `&` does not stop a U+202E from reversing the rest of a table row. With `keepStyles`, custdb's own colour sequences stay
 * too (for text painted before it is printed); never pass it when colour is off.
 *
 * @example inertText('Evil\u001b]0;pwned\u0007Guy') // 'Evil\\x1b]0;pwned\\x07Guy'
 */
export function inertText(text: string, options: { keepStyles?: boolean } = {}): string {
  if (!options.keepStyles) return text.replace(ACTIVE, escapeCharacter);
  let result = '';
  let from = 0;
  for (const style of text.matchAll(OWN_STYLE)) {
    result += text.slice(from, style.index).replace(ACTIVE, escapeCharacter) + style[0];
    from = style.index + style[0].length;
  }
  return result + text.slice(from).replace(ACTIVE, escapeCharacter);
}

function escapeCharacter(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
