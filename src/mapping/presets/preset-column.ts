import type { Transform } from '../apply-transform.js';
import type { MultiValue } from '../mapping-schema.js';
import type { PresetColumn } from '../presets.js';

/** A preset column from a header (or its aliases) and a target, with optional transform/multi. */
export function presetColumn(headers: string | readonly string[], target: string, extra: { transform?: Transform; multi?: MultiValue } = {}): PresetColumn {
  return { headers: typeof headers === 'string' ? [headers] : headers, target, ...extra };
}

export const STRIP_APOSTROPHE: Transform = { kind: 'strip-apostrophe' };
export const COMMA_LIST: Transform = { kind: 'split-list', separators: [','] };

/** First of a group whose other values become `<field>_2`…; `rank` -1 takes the `{n}` of the header. */
export function keepExtras(rank: number): { multi: MultiValue } {
  return { multi: { rank, extras: 'attribute' } };
}

/** A fallback column restating the same fact (a country name beside its code): used only when the first is blank. */
export function fallback(rank: number): { multi: MultiValue } {
  return { multi: { rank, extras: 'drop' } };
}
