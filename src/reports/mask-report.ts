import { maskValue } from '../privacy/mask.js';
import type { ReportDocument } from './report-document.js';

/**
 * The report as `--mask` shows it, for people who need the numbers, not the
 * people: the tables' personal columns masked as export's are (a report's
 * `name` column is a full name); figures, series and matrices hold no one.
 */
export function maskReport(document: ReportDocument): ReportDocument {
  return {
    ...document,
    sections: document.sections.map((section) =>
      section.kind !== 'table'
        ? section
        : { ...section, rows: section.rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, maskValue(key === 'name' ? 'full_name' : key, value)]))) },
    ),
  };
}
