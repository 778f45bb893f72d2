import type { PresetRecognition } from '../mapping/recognize-preset.js';
import type { MappingQuestionPlan } from './plan-mapping-questions.js';

/** What the user already said about the mapping on the command line. */
export interface MappingFlags {
  preset?: string;
  mapping?: string;
  maps: readonly string[];
}

/**
 * The mapping wizard is for files custdb cannot map with confidence on its own:
 * no preset fits the header well, the user named no mapping, preset or `--map`,
 * and some column is a guess or doubtful, or nothing surely identifies a
 * customer. Columns custdb merely does not know are kept as custom fields
 * (`attr.NAME`) without asking: a shop's own extra columns are no reason to
 * stop an import at a prompt. Pure.
 */
export function needsMappingWizard(flags: MappingFlags, recognition: Pick<PresetRecognition, 'best' | 'weak'>, plan: MappingQuestionPlan): boolean {
  if (flags.mapping !== undefined || flags.maps.length > 0) return false;
  if (flags.preset !== undefined && flags.preset !== 'auto') return false;
  if (recognition.best !== null && !recognition.weak) return false;
  return plan.questions.length > 0 || !plan.identifierConfident;
}
