/**
 * The federated example: federated k-means of a weather column over the three example sites. An aggregator service
 * asks one node service per site (each holding only its own site's data), and they run FLAME's star pattern over
 * Skein's federation (`skein/federation`). `skein example federated` runs it; tests compare it with
 * {@link centralKMeans} on the pooled data.
 * @module
 */
export { runAggregator, runNode } from './app';
export type { FederatedKMeansInput, FederatedKMeansOutput, RoundProgress } from './app';
export {
  assignPartial,
  centralKMeans,
  initialCentroids,
  nextCentroids,
  poolRanges,
  rangePartial,
  readColumn,
} from './kmeans';
export type { ClusterPartial, RangePartial } from './kmeans';
export { startFederatedExample, FEDERATED_EXAMPLE_IDS } from './example';
export type { FederatedExample, FederatedExampleParams, FederatedExampleResult } from './example';

export { FEDERATED_SITES, FEDERATED_AGGREGATOR_TWINE, FEDERATED_NODE_TWINE, federatedChildren } from './twines';
