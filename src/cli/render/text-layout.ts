/** One line of at most `width` characters; long text loses its middle, so differing endings (.com / .con) stay visible. */
export function clip(text: string, width = 28): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' / ');
  if (oneLine.length <= width) return oneLine;
  const head = Math.ceil((width - 1) / 2);
  return `${oneLine.slice(0, head)}…${oneLine.slice(oneLine.length - (width - 1 - head))}`;
}

/**
 * Text broken into lines of at most `width` characters, at spaces where it can
 * and inside a word only when the word alone is too long; nothing is cut.
 * Existing line breaks are kept.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      if (line !== '' && line.length + 1 + word.length > width) {
        lines.push(line);
        line = '';
      }
      let rest = line === '' ? word : `${line} ${word}`;
      while (rest.length > width) {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}
