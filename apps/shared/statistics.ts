/**
 * Streaming statistics that pool exactly. A column is summarised by its count, mean and M2 (the sum of squared
 * deviations from the mean), kept up to date one value at a time with Welford's algorithm; two such summaries combine
 * into the summary of all their values with Chan, Golub and LeVeque's pairwise formula. Neither needs the values
 * again, so services can summarise their share of the data and a parent can pool the summaries, with the same result
 * (up to floating-point rounding) as one pass over every value.
 * @module
 */

/** The parts of a running summary that pool exactly. */
export interface Moments {
  /** How many values. */
  readonly count: number;
  /** Their mean (0 when there are none). */
  readonly mean: number;
  /** The sum of their squared deviations from the mean (0 when there are none). */
  readonly m2: number;
  /** The smallest value (`Infinity` when there are none). */
  readonly min: number;
  /** The largest value (`-Infinity` when there are none). */
  readonly max: number;
}

/** Count, mean, M2, minimum and maximum of a stream of numbers, updated one value at a time (Welford). */
export class RunningStats implements Moments {
  count = 0;
  mean = 0;
  m2 = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  /**
   * Builds running statistics from moments, e.g. a summary received from another service.
   * @param moments - The count, mean, M2, minimum and maximum.
   * @returns New running statistics holding them.
   */
  static from(moments: Moments): RunningStats {
    const stats = new RunningStats();
    stats.count = moments.count;
    stats.mean = moments.mean;
    stats.m2 = moments.m2;
    stats.min = moments.min;
    stats.max = moments.max;
    return stats;
  }

  /**
   * Pools two summaries into the summary of all their values (Chan et al.): with `delta` the difference of the
   * means, the mean moves towards the other by `delta * nB / n` and M2 gains `delta² * nA * nB / n`.
   * @param a - One summary.
   * @param b - The other.
   * @returns The pooled summary (new; the inputs are not changed).
   */
  static combine(a: Moments, b: Moments): RunningStats {
    if (b.count === 0) return RunningStats.from(a);
    if (a.count === 0) return RunningStats.from(b);
    const count = a.count + b.count;
    const delta = b.mean - a.mean;
    return RunningStats.from({
      count,
      mean: a.mean + delta * (b.count / count),
      m2: a.m2 + b.m2 + delta * delta * ((a.count * b.count) / count),
      min: Math.min(a.min, b.min),
      max: Math.max(a.max, b.max),
    });
  }

  /**
   * Pools any number of summaries (see {@link RunningStats.combine}).
   * @param parts - The summaries.
   * @returns Their pooled summary; empty statistics when there are none.
   */
  static pool(parts: Iterable<Moments>): RunningStats {
    let pooled = new RunningStats();
    for (const part of parts) pooled = RunningStats.combine(pooled, part);
    return pooled;
  }

  /**
   * Adds one value (Welford's update, which avoids the cancellation of the sum-of-squares formula).
   * @param value - A finite number.
   */
  push(value: number): void {
    this.count += 1;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }

  /** The population variance, M2 / count (ddof 0); `null` without values. */
  get variance(): number | null {
    return this.count === 0 ? null : this.m2 / this.count;
  }

  /** The sample variance, M2 / (count - 1) (ddof 1); `null` for fewer than two values. */
  get sampleVariance(): number | null {
    return this.count < 2 ? null : this.m2 / (this.count - 1);
  }
}

/**
 * One column's statistics as the services send them (the twines' `columnSummary`). `count`, `mean` and `m2` pool
 * exactly; the variances are derived from them; statistics of a column without values are `null`.
 */
export interface ColumnSummary {
  /** Numeric cells. */
  readonly count: number;
  /** Empty cells, which are skipped. */
  readonly missing: number;
  readonly mean: number | null;
  /** The sum of squared deviations from the mean. */
  readonly m2: number;
  /** Population variance, `m2 / count` (ddof 0). */
  readonly variance: number | null;
  /** Sample variance, `m2 / (count - 1)` (ddof 1); `null` for fewer than two values. */
  readonly sample_variance: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

/** A table's summary: the rows read and each summarised column's statistics. */
export interface TableSummary {
  readonly rows: number;
  readonly columns: Readonly<Record<string, ColumnSummary>>;
}

/**
 * Turns running statistics into the summary sent on the wire.
 * @param stats - The column's running statistics.
 * @param missing - How many of its cells were empty.
 * @returns The summary.
 */
export function summariseColumn(stats: RunningStats, missing: number): ColumnSummary {
  const empty = stats.count === 0;
  return {
    count: stats.count,
    missing,
    mean: empty ? null : stats.mean,
    m2: stats.m2,
    variance: stats.variance,
    sample_variance: stats.sampleVariance,
    min: empty ? null : stats.min,
    max: empty ? null : stats.max,
  };
}

/**
 * The moments of a summary, ready to pool (`null` statistics of an empty column become the neutral values).
 * @param summary - A column summary.
 * @returns Its count, mean, M2, minimum and maximum.
 */
export function momentsOf(summary: ColumnSummary): Moments {
  return {
    count: summary.count,
    mean: summary.mean ?? 0,
    m2: summary.m2,
    min: summary.min ?? Number.POSITIVE_INFINITY,
    max: summary.max ?? Number.NEGATIVE_INFINITY,
  };
}

/**
 * Pools column summaries exactly: counts and missing cells add up, means and M2 combine (Chan et al.), and the
 * extremes combine.
 * @param summaries - Summaries of the same column over disjoint sets of rows.
 * @returns The summary of all those rows.
 */
export function poolColumnSummaries(summaries: readonly ColumnSummary[]): ColumnSummary {
  const pooled = RunningStats.pool(summaries.map(momentsOf));
  const missing = summaries.reduce((total, summary) => total + summary.missing, 0);
  return summariseColumn(pooled, missing);
}

/**
 * Pools table summaries column by column. A column that only some tables have is pooled over those tables.
 * @param tables - Summaries of disjoint sets of rows.
 * @returns The rows of all of them and each column's pooled statistics (columns in order of first appearance).
 */
export function poolTableSummaries(tables: readonly TableSummary[]): TableSummary {
  const byColumn = new Map<string, ColumnSummary[]>();
  for (const table of tables) {
    for (const [name, summary] of Object.entries(table.columns)) {
      byColumn.set(name, [...(byColumn.get(name) ?? []), summary]);
    }
  }
  return {
    rows: tables.reduce((total, table) => total + table.rows, 0),
    columns: Object.fromEntries([...byColumn].map(([name, summaries]) => [name, poolColumnSummaries(summaries)])),
  };
}
