/**
 * The example service tree in one process: an aggregator service asking csv-stats services, both served on the
 * transport given (the in-memory default, or Pub/Sub), and a parent Child that asks the aggregator. `skein example`
 * (`npm start`) runs it; tests use it too.
 * @module
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { joinCloudPath } from '../../src/core/gs-path';
import { Dataset, Manifest } from '../../src/core/resources';
import type { ObjectStore } from '../../src/core/ports/object-store';
import type { Transport } from '../../src/core/ports/transport';
import { Child, childFactory } from '../../src/service/child';
import { createLogger } from '../../src/service/logging';
import type { Logger } from '../../src/service/logging';
import { Runner } from '../../src/service/runner';
import { Service } from '../../src/service/service';
import { AGGREGATOR_ERROR_CLASSES, AGGREGATOR_TWINE, aggregatorChildren, run as aggregate } from '../aggregator';
import type { AggregatorOutput } from '../aggregator';
import { CSV_STATS_ERROR_CLASSES, CSV_STATS_TWINE, run as summarise } from '../csv-stats';

/** The SRUIDs the example services answer as. */
export const EXAMPLE_TREE_IDS = {
  parent: 'skein-examples/example-parent:local',
  aggregator: 'skein-examples/aggregator:local',
  csvStats: 'skein-examples/csv-stats:local',
} as const;

// The package root: the nearest directory above this module (apps/… in the sources, dist/apps/… when built) that
// holds package.json.
function packageRoot(from: string): string {
  let directory = from;
  while (!existsSync(join(directory, 'package.json')) && dirname(directory) !== directory)
    directory = dirname(directory);
  return directory;
}

/** The example data shipped with Skein: one dataset of CSV files per weather site. */
export const EXAMPLE_DATA_DIRECTORY = join(packageRoot(__dirname), 'examples', 'data');
const EXAMPLE_SITES = ['north-ridge', 'harbour', 'valley-farm'] as const;

/** What the example tree runs on. */
export interface ExampleTreeParams {
  /** Where questions and answers travel (its topic must exist). */
  readonly transport: Transport;
  /** Where datasets, outputs and claims live. */
  readonly objectStore: ObjectStore;
  /** The services' own logger; default silent (their logs reach the parent anyway, forwarded and labelled). */
  readonly logger?: Logger;
  /** The asking parent's logger: it re-emits the logs the services forward, labelled `[sender | question]`. */
  readonly parentLogger?: Logger;
  /**
   * `gs://bucket/prefix` to upload the example datasets to first (for transports whose services cannot read this
   * machine's files, e.g. over the emulators); without it the datasets are sent as local paths.
   */
  readonly uploadTo?: string;
  /** The directory holding the example datasets; default {@link EXAMPLE_DATA_DIRECTORY}. */
  readonly dataDirectory?: string;
  /**
   * The directories the services may read local paths from in the questions they receive; default: the data directory
   * when the datasets are sent as local paths, none when they are uploaded.
   */
  readonly allowedLocalRoots?: readonly string[];
  /**
   * Where the csv-stats services upload their summary datasets, so their answers name cloud locations the aggregator
   * reads like any other (answers are refused local paths); default `<uploadTo>/csv-stats-outputs`, or
   * `gs://skein-example/csv-stats-outputs` in the object store when the datasets are sent as local paths.
   */
  readonly outputLocation?: string;
}

/** Options of {@link ExampleTree.ask}. */
export interface ExampleAskOptions {
  /** Receives each aggregator monitor message (`{group, status, group_fraction, fraction, …}`). */
  readonly handleMonitorMessage?: (data: unknown) => void;
  /** Columns to summarise; default every numeric column. */
  readonly columns?: readonly string[];
  /** Seconds to wait for the answer; default 300. */
  readonly timeout?: number;
}

/** The running tree. */
export interface ExampleTree {
  /** The groups (input datasets) the aggregator is asked about. */
  readonly groups: readonly string[];
  /** Asks the aggregator about every example dataset and resolves with its output values. */
  ask(options?: ExampleAskOptions): Promise<AggregatorOutput>;
  /** Stops both services and the parent's subscription. */
  close(): Promise<void>;
}

/**
 * The example input manifest: one dataset per site, as local paths or uploaded to `params.uploadTo`.
 * @param params - The object store, the upload location and the data directory.
 * @returns The manifest.
 */
export async function exampleManifest(
  params: Pick<ExampleTreeParams, 'objectStore' | 'uploadTo' | 'dataDirectory'>,
): Promise<Manifest> {
  const directory = params.dataDirectory ?? EXAMPLE_DATA_DIRECTORY;
  const datasets: Record<string, Dataset> = {};
  for (const site of EXAMPLE_SITES) {
    const local = await Dataset.fromLocalDirectory(join(directory, site));
    if (params.uploadTo !== undefined) {
      const cloudPath = `${params.uploadTo.replace(/\/+$/, '')}/${site}`;
      await local.upload({ store: params.objectStore, cloudPath });
      datasets[site] = await Dataset.fromCloud(cloudPath, { store: params.objectStore });
    } else {
      datasets[site] = local;
    }
  }
  return new Manifest({ datasets });
}

/**
 * Starts the csv-stats and aggregator services on the transport and prepares the example input manifest.
 * @param params - Transport, object store, logger and where the data lives.
 * @returns The tree, ready to be asked.
 * @throws The errors of loading or uploading the example datasets, and of subscribing the services.
 */
export async function startExampleTree(params: ExampleTreeParams): Promise<ExampleTree> {
  const { transport, objectStore } = params;
  const logger = params.logger ?? createLogger({ sinks: [] });
  const local = params.uploadTo === undefined;
  // Services refuse local paths in questions unless allowed: in one process they read exactly the example data.
  const allowedLocalRoots = params.allowedLocalRoots ?? (local ? [params.dataDirectory ?? EXAMPLE_DATA_DIRECTORY] : []);
  const csvStats = new Service({
    serviceId: EXAMPLE_TREE_IDS.csvStats,
    transport,
    objectStore,
    logger: logger.child('csv-stats'),
    runner: new Runner({
      app: summarise,
      twine: CSV_STATS_TWINE,
      serviceId: EXAMPLE_TREE_IDS.csvStats,
      objectStore,
      logger,
      allowedLocalRoots,
      // Uploaded, not left in a temporary directory: the aggregator reads no local path a child's answer names.
      outputLocation:
        params.outputLocation ?? joinCloudPath(params.uploadTo ?? 'gs://skein-example', 'csv-stats-outputs'),
    }),
  });
  const aggregator = new Service({
    serviceId: EXAMPLE_TREE_IDS.aggregator,
    transport,
    objectStore,
    logger: logger.child('aggregator'),
    runner: new Runner({
      app: aggregate,
      twine: AGGREGATOR_TWINE,
      serviceId: EXAMPLE_TREE_IDS.aggregator,
      objectStore,
      logger,
      allowedLocalRoots,
      // In one process the children read the datasets where they are.
      configurationValues: { allow_local_files: local, max_parallel_questions: EXAMPLE_SITES.length },
      children: aggregatorChildren({ csvStatsId: EXAMPLE_TREE_IDS.csvStats, projectId: 'local' }),
      childFactory: childFactory({ transport, objectStore, logger, errorClasses: CSV_STATS_ERROR_CLASSES }),
    }),
  });
  const stop = new AbortController();
  // Each entry resolves once its service listens, holding (not adopting) the promise that settles when it stops.
  const serving = [csvStats, aggregator].map(
    (service) =>
      new Promise<{ readonly stopped: Promise<void> }>((ready, failed) => {
        const stopped = service.serve({
          signal: stop.signal,
          onReady: () => ready({ stopped }),
          deleteSubscriptionOnExit: true,
          allowExisting: true,
        });
        stopped.catch(failed);
      }),
  );
  const running = await Promise.all(serving);
  const parent = new Child({
    id: EXAMPLE_TREE_IDS.aggregator,
    parentSruid: EXAMPLE_TREE_IDS.parent,
    transport,
    objectStore,
    logger: params.parentLogger ?? logger,
    errorClasses: [...CSV_STATS_ERROR_CLASSES, ...AGGREGATOR_ERROR_CLASSES],
  });
  const manifest = await exampleManifest(params);
  return {
    groups: Object.keys(manifest.datasets),
    async ask(options: ExampleAskOptions = {}): Promise<AggregatorOutput> {
      const { answer } = await parent.ask({
        inputManifest: manifest,
        ...(options.columns === undefined ? {} : { inputValues: { columns: options.columns } }),
        allowLocalFiles: local,
        handleMonitorMessage: options.handleMonitorMessage,
        timeout: options.timeout ?? 300,
      });
      return answer.outputValues as AggregatorOutput;
    },
    async close(): Promise<void> {
      stop.abort();
      await parent.close();
      await Promise.all(running.map(({ stopped }) => stopped));
    },
  };
}
