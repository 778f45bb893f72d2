import { formatCount } from './format-count.js';

/** `count` and the noun, plural when it is not 1: "1 group", "289,487 groups". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

/** A probability as a percentage; just under 1 shows as ">99.9%" rather than rounding up to a certainty. */
export function formatPercent(p: number): string {
  if (p >= 0.9995 && p < 1) return '>99.9%';
  return `${(p * 100).toFixed(1)}%`;
}

/** A weight with its sign and one decimal: "+6.6", "-2.0". */
export function formatSigned(x: number): string {
  const r = Math.round(x * 10) / 10;
  return r > 0 ? `+${r.toFixed(1)}` : r.toFixed(1);
}

/** `x` rounded to `digits` decimals, as a number (for JSON). */
export function roundTo(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
