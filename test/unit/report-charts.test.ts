import { describe, expect, it } from 'vitest';
import { renderBar } from '../../src/cli/render/chart-bar.js';
import { shadeFor } from '../../src/cli/render/chart-shade.js';
import { renderSparkline } from '../../src/cli/render/chart-sparkline.js';
import { formatReportCsv } from '../../src/cli/render/report-csv.js';
import { addMonths, monthsBetween, monthsEndingWith } from '../../src/reports/report-months.js';

describe('terminal chart glyphs', () => {
  it('draws a bar in eighths of a column, the longest at full width, a small value still visible', () => {
    expect(renderBar(8, 8, 4)).toBe('████');
    expect(renderBar(3, 8, 4)).toBe('█▌');
    expect(renderBar(1, 1000, 4)).toBe('▏');
    expect(renderBar(0, 8, 4)).toBe('');
    expect(renderBar(5, 0, 4)).toBe('');
  });

  it('draws a sparkline from 0 to the highest value, equal values alike', () => {
    expect(renderSparkline([0, 4, 8])).toBe('▁▅█');
    expect(renderSparkline([3, 3, 3])).toBe('███');
    expect(renderSparkline([0, 0])).toBe('▁▁');
    expect(renderSparkline([-2, 0, 2])).toBe('▁▅█');
  });

  it('shades a percentage by quarter, nothing for 0', () => {
    expect([0, 1, 24.9, 25, 49.9, 50, 74.9, 75, 100].map(shadeFor).join('')).toBe(' ░░▒▒▓▓██');
  });
});

describe('report months', () => {
  it('counts months across years', () => {
    expect(monthsEndingWith('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(monthsBetween('2025-11', '2026-02')).toBe(3);
  });
});

describe('report CSV', () => {
  it('puts every section under one header, a section column first, and a matrix with its columns', () => {
    const csv = formatReportCsv({
      title: 'T',
      asOf: '2026-01-31',
      sections: [
        { kind: 'figures', title: 'F', figures: [{ label: 'Customers', value: 3, type: 'integer' }] },
        { kind: 'matrix', title: 'M', rowLabel: 'cohort', columnLabel: 'months', columns: ['0', '1'], rows: [{ label: '2026-01', size: 2, cells: [100, null] }] },
        { kind: 'table', title: 'Tab', columns: [{ key: 'name', label: 'Name', type: 'text' }], rows: [{ name: '@SUM(A1)' }] },
      ],
    });
    expect(csv).toBe("section,label,value,size,0,1,name\nF,Customers,3,,,,\nM,2026-01,,2,100,,\nTab,,,,,,'@SUM(A1)\n");
  });
});
