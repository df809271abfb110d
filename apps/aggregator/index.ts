/**
 * The aggregator example service (a parent): asks one csv-stats child per input dataset and pools their statistics. A
 * composition root builds it as `new Runner({ app: { run }, twine: AGGREGATOR_TWINE, children:
 * aggregatorChildren({ csvStatsId, projectId }), childFactory: childFactory({ transport, objectStore, errorClasses:
 * CSV_STATS_ERROR_CLASSES }), serviceId, … })` and serves it with a `Service`.
 * @module
 */
import twine from '../../twines/aggregator.json';
import type { ChildRecord } from '../../src/core/twine';
import { CSV_STATS_CHILD_KEY } from './app';

export { run, CSV_STATS_CHILD_KEY } from './app';
export type { AggregatorConfiguration, AggregatorInput, AggregatorOutput } from './app';
export { AGGREGATOR_ERROR_CLASSES, ChildNotConfigured, InvalidChildAnswer, NoInputDatasets } from './errors';
export { readChildSummary } from './answers';

/** The aggregator twine (twines/aggregator.json). */
export const AGGREGATOR_TWINE: Readonly<Record<string, unknown>> = twine;

/**
 * The aggregator's children configuration: its one csv-stats child on Google Cloud Pub/Sub.
 * @param params - `csvStatsId`: the csv-stats SRUID, e.g. `skein/csv-stats:0.1.0`; `projectId`: its project.
 * @returns The children records (Octue children 0.2.0 shape).
 */
export function aggregatorChildren(params: { csvStatsId: string; projectId: string }): ChildRecord[] {
  return [
    {
      key: CSV_STATS_CHILD_KEY,
      id: params.csvStatsId,
      backend: { name: 'GCPPubSubBackend', project_id: params.projectId },
    },
  ];
}
