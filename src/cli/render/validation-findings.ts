import type { Finding, ValidationResult } from '../../validate/validate-database.js';
import type { CommandContext } from '../context.js';
import { formatCount } from './format-count.js';
import { renderTable } from './table.js';

/**
 * `custdb validate` for a terminal: a line saying what was checked, a table
 * of the findings that found something (severity in words, so nothing rests
 * on colour), what each one means and the command for it, then how complete
 * the main fields are. Fits 80 columns; commands stay on one line each so
 * they can be copied.
 */
export function renderValidation(result: ValidationResult, ctx: CommandContext): string {
  const { paint } = ctx;
  const lines = [
    `Checked ${formatCount(result.customers)} active customers as of ${result.asOf}.`,
    `Stale after ${result.staleAfter} (since ${result.staleBefore}); ` +
      (result.retention === null ? 'no retention set.' : `retention ${result.retention} (since ${result.retentionBefore}).`),
  ];
  const found = result.findings.filter((f) => f.count > 0);
  if (found.length > 0) {
    const painted = (f: Finding) => (f.severity === 'error' ? paint.red(f.severity) : f.severity === 'warning' ? paint.yellow(f.severity) : f.severity);
    lines.push(
      renderTable(
        ['severity', 'finding', 'count', 'examples'],
        found.map((f) => [painted(f), f.code, formatCount(f.count), describeExamples(f)]),
        ctx,
        { wrappable: ['examples'] },
      ),
    );
    for (const f of found) {
      lines.push(`  ${f.code}: ${f.title}`);
      if (f.command !== null) lines.push(`    $ ${f.command}`);
    }
  }
  lines.push('Completeness (active customers with the field filled):');
  const width = Math.max(...result.completeness.map((c) => c.field.length));
  for (const c of result.completeness) {
    lines.push(`  ${c.field.padEnd(width)}  ${c.percent.toFixed(1).padStart(5)}%  ${formatCount(c.filled)}`);
  }
  lines.push(summarize(found));
  return lines.join('\n');
}

function describeExamples(f: Finding): string {
  if (f.examples.length === 0) return '';
  const ids = f.examples.join(', ');
  const more = f.count > f.examples.length ? ', …' : '';
  return f.exampleKind === 'customer' ? `${ids}${more}` : `${f.exampleKind} ${ids}${more}`;
}

function summarize(found: readonly Finding[]): string {
  const bySeverity = (severity: Finding['severity']) => found.filter((f) => f.severity === severity).length;
  const [errors, warnings, infos] = [bySeverity('error'), bySeverity('warning'), bySeverity('info')];
  if (found.length === 0) return 'No problems found.';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `Found ${plural(errors, 'error')}, ${plural(warnings, 'warning')} and ${plural(infos, 'note')}.`;
}
