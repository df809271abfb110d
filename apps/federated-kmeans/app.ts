import { Manifest } from '../../src/core/resources';
import type { Dataset } from '../../src/core/resources';
import type { FederatedAnalysis } from '../../src/federation';
import type { Analysis } from '../../src/service';
import { assignPartial, initialCentroids, nextCentroids, poolRanges, rangePartial, readColumn } from './kmeans';
import type { ClusterPartial, RangePartial } from './kmeans';

/** The aggregator's input values. */
export interface FederatedKMeansInput {
  /** The numeric column clustered; default `temperature_c`. */
  readonly column?: string;
  /** How many clusters; default 3. */
  readonly k?: number;
  /** How many k-means rounds (after the range round); default 5. */
  readonly rounds?: number;
  /** The privacy budget of the noisy pooled mean (local DP); default 1. */
  readonly epsilon?: number;
}

/** The aggregator's output values (the noisy mean is in its final results, not here). */
export interface FederatedKMeansOutput {
  readonly column: string;
  readonly count: number;
  /** The centroids after each round. */
  readonly history: number[][];
  readonly centroids: number[];
}

/** What the aggregator's `progress` monitor messages carry, once per round. */
export interface RoundProgress {
  readonly round: number;
  readonly rounds: number;
  readonly centroids: number[];
}

type Task = { kind: 'range'; column: string } | { kind: 'assign'; round: number; centroids: number[] };

/**
 * A node: reads its data sources' CSV files and answers the aggregator's tasks (its range, then each round's
 * per-cluster partial sums, sent as intermediate data) until the aggregator finishes the analysis.
 * @param analysis - The node's analysis (its question carries the federation context).
 */
export async function runNode(analysis: Analysis): Promise<void> {
  // The service's federation extension made it a FederatedAnalysis.
  const federation = (analysis as FederatedAnalysis).federation;
  if (federation === undefined) throw new Error('This node only answers federated questions.');
  const aggregator = federation.getAggregatorId() as string;
  const files = ((await federation.getGcsData()) ?? []).flatMap((source) => Object.values(source));
  let values: number[] = [];
  for (;;) {
    // Ends with AnalysisFinished (a normal end) once the aggregator finishes the analysis.
    const received = await federation.awaitMessages([aggregator], 'task');
    for (const message of received[aggregator] ?? []) {
      const task = message.body as Task;
      if (task.kind === 'range') {
        values = readColumn(files, task.column);
        await federation.sendMessage(
          [aggregator],
          'range',
          { ...rangePartial(values) },
          { inReplyTo: message.meta.id },
        );
      } else {
        await federation.sendIntermediateData([aggregator], assignPartial(values, task.centroids));
      }
    }
  }
}

/**
 * The aggregator: asks one node per input dataset (its twine's children are keyed by dataset), pools their ranges,
 * runs the k-means rounds, and submits the centroids and the pooled mean with local DP as final results.
 * @param plain - The aggregator's analysis (a FederatedAnalysis once its service enables federation).
 */
export async function runAggregator(plain: Analysis): Promise<void> {
  const analysis = plain as FederatedAnalysis;
  const input = (analysis.inputValues ?? {}) as FederatedKMeansInput;
  const column = input.column ?? 'temperature_c';
  const k = input.k ?? 3;
  const rounds = input.rounds ?? 5;
  const datasets = analysis.inputManifest?.datasets ?? {};
  const sites = Object.keys(datasets);
  // Each node gets its own site's dataset only (as local paths only where the configuration allows it).
  const allowLocalFiles = (analysis.configurationValues as { allow_local_files?: boolean } | undefined)
    ?.allow_local_files;
  const questions = Object.fromEntries(
    sites.map((site) => [
      site,
      {
        inputManifest: new Manifest({ datasets: { weather: datasets[site] as Dataset } }),
        allowLocalFiles: allowLocalFiles === true,
      },
    ]),
  );
  const federation = await analysis.startFederation({ nodes: sites, questions });
  const nodes = federation.getParticipantIds();
  const sent = await federation.sendMessage(nodes, 'task', { kind: 'range', column }, { maxAttempts: 3 });
  const ranges = await federation.awaitMessages(nodes, 'range', { inReplyTo: sent.messageId });
  const range = poolRanges(Object.values(ranges).map((list) => list?.[0]?.body as unknown as RangePartial));
  let centroids = initialCentroids(k, range);
  const history: number[][] = [];
  for (let round = 1; round <= rounds; round += 1) {
    await federation.sendMessage(nodes, 'task', { kind: 'assign', round, centroids }, { maxAttempts: 3 });
    const partials = await federation.awaitIntermediateData(nodes);
    centroids = nextCentroids(centroids, Object.values(partials) as ClusterPartial[]);
    history.push(centroids);
    analysis.sendMonitorMessage({ round, rounds, centroids } satisfies RoundProgress);
  }
  await federation.submitFinalResult(centroids, { outputType: 'json', filename: 'centroids' });
  // One value more or less moves the mean of `count` values in [min, max] by at most (max - min) / count.
  await federation.submitFinalResult(range.sum / range.count, {
    filename: `mean_${column}`,
    localDp: { epsilon: input.epsilon ?? 1, sensitivity: (range.max - range.min) / range.count },
  });
  await federation.analysisFinished();
  await federation.waitForNodes();
  analysis.outputValues = { column, count: range.count, history, centroids } satisfies FederatedKMeansOutput;
}
