import { FEDERATION_DIRECTORY } from '../../src/core/config';
import { formatCloudPath, parseCloudPath } from '../../src/core/gs-path';
import type { ObjectStore } from '../../src/core/ports/object-store';
import type { Transport } from '../../src/core/ports/transport';
import { createFederationRuntime } from '../../src/federation';
import type { UniformSource } from '../../src/federation';
import { Child, childFactory } from '../../src/service/child';
import { createLogger } from '../../src/service/logging';
import type { Logger } from '../../src/service/logging';
import { Runner } from '../../src/service/runner';
import { Service } from '../../src/service/service';
import { EXAMPLE_DATA_DIRECTORY, exampleManifest } from '../example-tree';
import { runAggregator, runNode } from './app';
import type { FederatedKMeansInput, FederatedKMeansOutput } from './app';
import { FEDERATED_AGGREGATOR_TWINE, FEDERATED_NODE_TWINE, FEDERATED_SITES, federatedChildren } from './twines';

/** The SRUIDs the federated example's services answer as. */
export const FEDERATED_EXAMPLE_IDS = {
  parent: 'skein-examples/federated-parent:local',
  aggregator: 'skein-examples/federated-aggregator:local',
  node: (site: string): string => `skein-examples/federated-node-${site}:local`,
} as const;

/** The bucket the example's federation uses when the datasets are not uploaded (in the object store given). */
const DEFAULT_BUCKET = 'skein-example';

/** What the federated example runs on. */
export interface FederatedExampleParams {
  /** Where questions, answers and federation messages travel (its topic must exist). */
  readonly transport: Transport;
  /** Where datasets, mailboxes and final results live. */
  readonly objectStore: ObjectStore;
  /** The asking parent's logger (it re-emits the services' forwarded logs); default silent. */
  readonly parentLogger?: Logger;
  /** `gs://bucket/prefix` to upload the example datasets to first; without it they are sent as local paths. */
  readonly uploadTo?: string;
  /** The directory holding the example datasets; default the shipped examples/data. */
  readonly dataDirectory?: string;
  /** Uniform numbers for the local-DP noise; default the secure source (tests inject a seeded one). */
  readonly uniform?: UniformSource;
}

/** The answer: the aggregator's output values and the noisy pooled mean it submitted as a final result. */
export interface FederatedExampleResult extends FederatedKMeansOutput {
  /** The pooled mean of the column with Laplace noise (local DP), read from the final results. */
  readonly noisyMean: number;
}

/** The running example. */
export interface FederatedExample {
  /** The sites (nodes). */
  readonly sites: readonly string[];
  /** Asks the aggregator; `onRound` receives each round's progress. */
  ask(input?: FederatedKMeansInput, onRound?: (progress: unknown) => void): Promise<FederatedExampleResult>;
  /** Stops every service and the parent. */
  close(): Promise<void>;
}

/**
 * Starts the aggregator and one node service per site, each with federation, on the transport given.
 * @param params - Transport, object store and where the data lives.
 * @returns The example, ready to be asked.
 */
export async function startFederatedExample(params: FederatedExampleParams): Promise<FederatedExample> {
  const { transport, objectStore } = params;
  const logger = createLogger({ sinks: [] });
  const local = params.uploadTo === undefined;
  const allowedLocalRoots = local ? [params.dataDirectory ?? EXAMPLE_DATA_DIRECTORY] : [];
  // Mailboxes and results go in the bucket the datasets are uploaded to, as a deployed service's go in its own.
  const bucket = params.uploadTo === undefined ? DEFAULT_BUCKET : parseCloudPath(params.uploadTo).bucket;
  const mailboxRoot = formatCloudPath(bucket, FEDERATION_DIRECTORY);
  const service = (serviceId: string, app: typeof runNode, twine: Readonly<Record<string, unknown>>): Service => {
    const federation = createFederationRuntime({
      serviceId,
      transport,
      objectStore,
      mailboxRoot,
      projectId: 'skein-example',
      ...(params.uniform === undefined ? {} : { uniform: params.uniform }),
    });
    const isAggregator = serviceId === FEDERATED_EXAMPLE_IDS.aggregator;
    return new Service({
      serviceId,
      transport,
      objectStore,
      logger,
      eventRoutes: [federation.eventRoute],
      runner: new Runner({
        app,
        twine,
        serviceId,
        objectStore,
        logger,
        allowedLocalRoots,
        analysisExtensions: [federation.analysisExtension],
        ...(isAggregator
          ? {
              configurationValues: { allow_local_files: local },
              children: federatedChildren(FEDERATED_EXAMPLE_IDS.node, 'local'),
              childFactory: childFactory({ transport, objectStore, logger }),
            }
          : {}),
      }),
    });
  };
  const services = [
    ...FEDERATED_SITES.map((site) => service(FEDERATED_EXAMPLE_IDS.node(site), runNode, FEDERATED_NODE_TWINE)),
    service(FEDERATED_EXAMPLE_IDS.aggregator, runAggregator, FEDERATED_AGGREGATOR_TWINE),
  ];
  const stop = new AbortController();
  const running = await Promise.all(
    services.map(
      (served) =>
        new Promise<{ readonly stopped: Promise<void> }>((ready, failed) => {
          const stopped = served.serve({
            signal: stop.signal,
            onReady: () => ready({ stopped }),
            deleteSubscriptionOnExit: true,
            allowExisting: true,
          });
          stopped.catch(failed);
        }),
    ),
  );
  const parent = new Child({
    id: FEDERATED_EXAMPLE_IDS.aggregator,
    parentSruid: FEDERATED_EXAMPLE_IDS.parent,
    transport,
    objectStore,
    logger: params.parentLogger ?? logger,
  });
  const manifest = await exampleManifest(params);
  return {
    sites: FEDERATED_SITES,
    async ask(input = {}, onRound) {
      const { answer } = await parent.ask({
        inputManifest: manifest,
        inputValues: input,
        allowLocalFiles: local,
        handleMonitorMessage: onRound,
        timeout: 300,
      });
      const output = answer.outputValues as FederatedKMeansOutput;
      const results = answer.outputManifest?.datasets.final_results;
      const meanFile = [...(results?.files ?? [])].find((file) => file.name === `mean_${output.column}`);
      if (meanFile === undefined) throw new Error('The aggregator submitted no noisy mean.');
      const chunks: Buffer[] = [];
      for await (const chunk of await meanFile.openReadStream({ store: objectStore })) chunks.push(Buffer.from(chunk));
      return { ...output, noisyMean: Number(Buffer.concat(chunks).toString('utf8')) };
    },
    async close() {
      stop.abort();
      await parent.close();
      await Promise.all(running.map(({ stopped }) => stopped));
    },
  };
}
