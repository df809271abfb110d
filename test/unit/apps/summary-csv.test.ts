import { SUMMARY_HEADER, formatSummaryCsv } from '../../../apps/csv-stats';
import { naiveSummary } from './helpers';

describe('Function: formatSummaryCsv', () => {
  it('writes a header and one row per column, with empty cells for null statistics', () => {
    const text = formatSummaryCsv({ rows: 2, columns: { x: naiveSummary([1, 2]), y: naiveSummary([], 2) } });

    expect(text.split('\n')).toEqual([SUMMARY_HEADER.join(','), 'x,2,0,1.5,0.5,0.25,0.5,1,2', 'y,0,2,,0,,,,', '']);
  });

  it('quotes column names holding commas, quotes or line breaks', () => {
    const text = formatSummaryCsv({ rows: 1, columns: { 'speed, "avg"\n': naiveSummary([3]) } });

    expect(text.split('\n')[1]?.startsWith('"speed, ""avg""')).toBe(true);
  });
});
