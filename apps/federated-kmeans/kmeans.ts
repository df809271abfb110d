/**
 * One-dimensional k-means (Lloyd's algorithm) split the federated way: each node turns the current centroids into
 * per-cluster sums and counts of its own values ({@link assignPartial}), and the aggregator pools them into the next
 * centroids ({@link nextCentroids}). Run on pooled data ({@link centralKMeans}), the same steps give the same
 * centroids, which is how the example is checked.
 * @module
 */

/** One node's share of a round: per cluster, the sum and count of its values nearest that centroid. */
export interface ClusterPartial {
  readonly sums: readonly number[];
  readonly counts: readonly number[];
}

/** One node's share of the range round: enough to pool the count, mean, minimum and maximum. */
export interface RangePartial {
  readonly count: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
}

/** @returns The count, sum, minimum and maximum of `values`. */
export function rangePartial(values: readonly number[]): RangePartial {
  return {
    count: values.length,
    sum: values.reduce((total, value) => total + value, 0),
    min: values.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...values),
    max: values.length === 0 ? Number.NEGATIVE_INFINITY : Math.max(...values),
  };
}

/** @returns The pooled range of the partials. */
export function poolRanges(partials: readonly RangePartial[]): RangePartial {
  return partials.reduce(
    (pooled, partial) => ({
      count: pooled.count + partial.count,
      sum: pooled.sum + partial.sum,
      min: Math.min(pooled.min, partial.min),
      max: Math.max(pooled.max, partial.max),
    }),
    rangePartial([]),
  );
}

/**
 * The starting centroids: `k` points spread evenly inside the pooled range (deterministic, so the federated and the
 * central runs start alike).
 * @param k - How many clusters.
 * @param range - The pooled range.
 * @returns The centroids, ascending.
 */
export function initialCentroids(k: number, range: RangePartial): number[] {
  return Array.from({ length: k }, (_, index) => range.min + ((index + 0.5) * (range.max - range.min)) / k);
}

function nearest(value: number, centroids: readonly number[]): number {
  let best = 0;
  for (let index = 1; index < centroids.length; index += 1) {
    if (Math.abs(value - (centroids[index] as number)) < Math.abs(value - (centroids[best] as number))) best = index;
  }
  return best;
}

/**
 * A node's step: assigns each of its values to the nearest centroid (the lower one on a tie).
 * @param values - The node's values.
 * @param centroids - The current centroids.
 * @returns Per-cluster sums and counts.
 */
export function assignPartial(values: readonly number[], centroids: readonly number[]): ClusterPartial {
  const sums = centroids.map(() => 0);
  const counts = centroids.map(() => 0);
  for (const value of values) {
    const cluster = nearest(value, centroids);
    sums[cluster] = (sums[cluster] as number) + value;
    counts[cluster] = (counts[cluster] as number) + 1;
  }
  return { sums, counts };
}

/**
 * The aggregator's step: each centroid becomes the mean of the values assigned to it; a cluster nobody assigned a
 * value to keeps its centroid.
 * @param centroids - The current centroids.
 * @param partials - Every node's partial.
 * @returns The next centroids.
 */
export function nextCentroids(centroids: readonly number[], partials: readonly ClusterPartial[]): number[] {
  return centroids.map((centroid, index) => {
    const count = partials.reduce((total, partial) => total + (partial.counts[index] ?? 0), 0);
    const sum = partials.reduce((total, partial) => total + (partial.sums[index] ?? 0), 0);
    return count === 0 ? centroid : sum / count;
  });
}

/**
 * The same algorithm on pooled data, for comparison.
 * @param values - Every value.
 * @param k - How many clusters.
 * @param rounds - How many rounds.
 * @returns The centroids after each round.
 */
export function centralKMeans(values: readonly number[], k: number, rounds: number): number[][] {
  let centroids = initialCentroids(k, rangePartial(values));
  const history: number[][] = [];
  for (let round = 0; round < rounds; round += 1) {
    centroids = nextCentroids(centroids, [assignPartial(values, centroids)]);
    history.push(centroids);
  }
  return history;
}

/**
 * Reads one numeric column of CSV files (comma- or semicolon-separated, as the example sites' are); empty and
 * non-numeric cells are skipped.
 * @param files - The files' contents.
 * @param column - The column's name.
 * @returns The column's numbers, file after file.
 */
export function readColumn(files: readonly Buffer[], column: string): number[] {
  const values: number[] = [];
  for (const contents of files) {
    const [header = '', ...rows] = contents.toString('utf8').split(/\r?\n/);
    const delimiter = header.includes(';') ? ';' : ',';
    const index = header.split(delimiter).indexOf(column);
    if (index < 0) continue;
    for (const row of rows) {
      const cell = row.split(delimiter)[index]?.trim() ?? '';
      if (cell !== '' && Number.isFinite(Number(cell))) values.push(Number(cell));
    }
  }
  return values;
}
