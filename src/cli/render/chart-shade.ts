/**
 * A shade for a percentage, darker for more: ░ under 25, ▒ under 50, ▓ under
 * 75, █ from 75; a space for 0. Shown beside the number, never instead of it.
 */
export function shadeFor(percent: number): string {
  if (percent <= 0) return ' ';
  if (percent < 25) return '░';
  if (percent < 50) return '▒';
  if (percent < 75) return '▓';
  return '█';
}
