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
 * and some column is uncertain or nothing surely identifies a customer. Pure.
 */
export function needsMappingWizard(flags: MappingFlags, recognition: Pick<PresetRecognition, 'best' | 'weak'>, plan: MappingQuestionPlan): boolean {
  if (flags.mapping !== undefined || flags.maps.length > 0) return false;
  if (flags.preset !== undefined && flags.preset !== 'auto') return false;
  if (recognition.best !== null && !recognition.weak) return false;
  return plan.questions.length > 0 || plan.keepAsAttributes.length > 0 || !plan.identifierConfident;
}
