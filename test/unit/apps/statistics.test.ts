import {
  RunningStats,
  poolColumnSummaries,
  poolTableSummaries,
  summariseColumn,
} from '../../../apps/shared/statistics';
import type { ColumnSummary, TableSummary } from '../../../apps/shared/statistics';
import { expectSummary, naiveSummary } from './helpers';

// A small seeded generator, so every run checks the same values.
function randomValues(count: number, seed: number, offset = 0, scale = 100): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return offset + (state / 2 ** 32 - 0.5) * scale;
  });
}

function streamed(values: readonly number[]): RunningStats {
  const stats = new RunningStats();
  for (const value of values) stats.push(value);
  return stats;
}

describe('Class: RunningStats', () => {
  describe('Method: push', () => {
    it.each([
      ['no values', 0, 0],
      ['a single value', 1, 0],
      ['two values', 2, 0],
      ['ten values', 10, 0],
      ['a thousand values', 1000, 0],
      ['values far from zero (where sums of squares cancel)', 1000, 1e9],
    ])('matches the two-pass statistics for %s', (_name, count, offset) => {
      const values = randomValues(count, 42 + count, offset);

      const summary = summariseColumn(streamed(values), 0);

      expectSummary(summary, naiveSummary(values), 1e-9);
    });

    it('gives null statistics and zero M2 without values', () => {
      expect(summariseColumn(new RunningStats(), 3)).toEqual({
        count: 0,
        missing: 3,
        mean: null,
        m2: 0,
        variance: null,
        sample_variance: null,
        min: null,
        max: null,
      });
    });

    it('gives a zero variance and no sample variance for a single value', () => {
      const stats = streamed([-2.5]);

      expect([stats.mean, stats.variance, stats.sampleVariance, stats.min, stats.max]).toEqual([
        -2.5,
        0,
        null,
        -2.5,
        -2.5,
      ]);
    });
  });

  describe('Method: combine', () => {
    const values = randomValues(40, 7, 25, 10);

    it.each(Array.from({ length: values.length + 1 }, (_, split) => [split]))(
      'pools two parts split at %d into the statistics of all values',
      (split) => {
        const pooled = RunningStats.combine(streamed(values.slice(0, split)), streamed(values.slice(split)));

        expectSummary(summariseColumn(pooled, 0), naiveSummary(values));
      },
    );

    it('leaves its inputs unchanged', () => {
      const a = streamed([1, 2, 3]);
      const b = streamed([10]);

      RunningStats.combine(a, b);

      expect([a.count, a.mean, b.count, b.mean]).toEqual([3, 2, 1, 10]);
    });
  });

  describe('Method: pool', () => {
    it('pools many parts of different sizes, empty ones included', () => {
      const parts = [0, 1, 17, 0, 250, 2, 1].map((count, index) => randomValues(count, 100 + index, index * 3));

      const pooled = RunningStats.pool(parts.map(streamed));

      expectSummary(summariseColumn(pooled, 0), naiveSummary(parts.flat()));
    });

    it('gives empty statistics for no parts', () => {
      expect(summariseColumn(RunningStats.pool([]), 0).count).toBe(0);
    });
  });
});

describe('Function: poolColumnSummaries', () => {
  it('pools summaries as sent on the wire, adding their missing cells', () => {
    const parts = [randomValues(30, 1), [], randomValues(1, 2), randomValues(70, 3, 50)];
    const summaries = parts.map((part, index) => naiveSummary(part, index));

    const pooled = poolColumnSummaries(summaries);

    expectSummary(pooled, naiveSummary(parts.flat(), 0 + 1 + 2 + 3));
  });

  it('survives a JSON round trip exactly', () => {
    const summary = summariseColumn(streamed(randomValues(20, 9)), 0);

    const received = JSON.parse(JSON.stringify(summary)) as ColumnSummary;

    expect(poolColumnSummaries([received])).toEqual(summary);
  });
});

describe('Function: poolTableSummaries', () => {
  it('pools each column over the tables that have it and adds up the rows', () => {
    const a = randomValues(12, 11);
    const b = randomValues(5, 12);
    const c = randomValues(8, 13);
    const tables: TableSummary[] = [
      { rows: 12, columns: { x: naiveSummary(a), y: naiveSummary(c, 4) } },
      { rows: 5, columns: { x: naiveSummary(b) } },
    ];

    const pooled = poolTableSummaries(tables);

    expect(pooled.rows).toBe(17);
    expect(Object.keys(pooled.columns)).toEqual(['x', 'y']);
    expectSummary(pooled.columns.x, naiveSummary([...a, ...b]));
    expectSummary(pooled.columns.y, naiveSummary(c, 4));
  });
});
