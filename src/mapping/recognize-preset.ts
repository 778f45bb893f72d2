import { comparableHeader } from './normalize-header.js';
import { matchPresetColumn, PRESETS, type Preset } from './presets.js';

export interface PresetCandidate {
  preset: Preset;
  /** 0–1; see `recognizePreset`. */
  score: number;
  /** File headers the preset knows, as written in the file. */
  matched: string[];
  /** Required headers the file lacks (or forbidden ones it has, prefixed "not "); empty for an eligible candidate. */
  missing: string[];
}

export interface PresetRecognition {
  /** The best eligible candidate (all required headers present, no forbidden ones), or null. */
  best: PresetCandidate | null;
  /** Every preset that knows at least one header, best first. */
  candidates: PresetCandidate[];
  /** True when there is no best, its score is under WEAK_SCORE, or the runner-up is within WEAK_MARGIN: use it only when asked. */
  weak: boolean;
}

/** Below this score a recognition is weak. An eligible preset scores at least 0.5. */
export const WEAK_SCORE = 0.6;
/** An eligible runner-up this close to the best makes the recognition weak (ambiguous). */
export const WEAK_MARGIN = 0.05;

/**
 * Recognises a platform export by its header names (trimmed, case-insensitive,
 * BOM stripped; never by position; extra columns tolerated). A preset is eligible
 * when every required header is present and no forbidden one is; its score is
 * `0.5 + 0.25 × (share of the preset's columns present) + 0.25 × (share of the
 * file's columns the preset knows)`. Ineligible presets score below 0.5. Never throws.
 */
export function recognizePreset(header: readonly string[]): PresetRecognition {
  const names = header.filter((name) => comparableHeader(name) !== '');
  const candidates: PresetCandidate[] = [];
  for (const preset of PRESETS) {
    const candidate = scorePreset(preset, names);
    if (candidate.matched.length > 0) candidates.push(candidate);
  }
  candidates.sort((a, b) => b.score - a.score || b.matched.length - a.matched.length);
  const eligible = candidates.filter((candidate) => candidate.missing.length === 0);
  const best = eligible[0] ?? null;
  const runnerUp = eligible[1];
  const weak = best === null || best.score < WEAK_SCORE || (runnerUp !== undefined && best.score - runnerUp.score < WEAK_MARGIN);
  return { best, candidates, weak };
}

function scorePreset(preset: Preset, names: readonly string[]): PresetCandidate {
  const matched: string[] = [];
  const positions = new Set<number>();
  for (const name of names) {
    const match = matchPresetColumn(preset, name);
    if (match === null) continue;
    matched.push(name);
    positions.add(match.position);
  }

  const missing: string[] = [];
  for (const entry of preset.required) {
    const options = typeof entry === 'string' ? [entry] : entry;
    const present = options.some((option) => {
      const column = matchPresetColumn(preset, option);
      return column !== null && positions.has(column.position);
    });
    if (!present) missing.push(options.join(' | '));
  }
  const present = new Set(names.map(comparableHeader));
  for (const forbidden of preset.forbidden ?? []) {
    if (present.has(comparableHeader(forbidden))) missing.push(`not ${forbidden}`);
  }

  const presetShare = preset.columns.length === 0 ? 0 : positions.size / preset.columns.length;
  const fileShare = names.length === 0 ? 0 : matched.length / names.length;
  const coverage = 0.25 * presetShare + 0.25 * fileShare;
  const score = missing.length === 0 ? 0.5 + coverage : coverage;
  return { preset, score: Math.round(score * 1000) / 1000, matched, missing };
}

/**
 * Recognises an orders or interactions export by its header among that kind's presets only:
 * the best eligible one unless the recognition is weak. Never throws.
 */
export function recognizeRecordPreset(header: readonly string[], kind: 'orders' | 'interactions'): { preset: Preset | null; note: string | null } {
  const recognition = recognizePreset(header);
  const eligible = recognition.candidates.filter((c) => c.missing.length === 0 && c.preset.kind === kind);
  const best = eligible[0];
  if (best === undefined) return { preset: null, note: null };
  const runnerUp = eligible[1];
  if (best.score < WEAK_SCORE || (runnerUp !== undefined && best.score - runnerUp.score < WEAK_MARGIN)) {
    return { preset: null, note: `the header looks a little like ${best.preset.label} (${Math.round(best.score * 100)}%), not enough to be sure; use --preset ${best.preset.name} to apply it` };
  }
  return { preset: best.preset, note: `recognised: ${best.preset.label} (${Math.round(best.score * 100)}% of its columns match)` };
}
