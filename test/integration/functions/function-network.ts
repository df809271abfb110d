// A service network of deployed-style functions on the real local components: a fresh topic on the Pub/Sub emulator,
// a bucket on the GCS-compatible server (both started by the integration global setup), and functions-framework
// servers fed by push subscriptions whose endpoints name the topic, as a deployment's are.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { PubSubTransport } from '../../../src/cloud/pubsub';
import { GcsObjectStore } from '../../../src/cloud/storage';
import { Dataset } from '../../../src/core/resources';
import { childSubscription } from '../../../src/core/topology';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { Child } from '../../../src/service/child';
import type { ChildOptions } from '../../../src/service/child';
import { requiredEnv } from '../../helpers/pubsub-emulator-host';
import { waitFor as waitUntil } from '../../helpers/wait-for';
import { startFunction } from './function-server';
import type { RunningFunction } from './function-server';

export const PROJECT_ID = 'demo-skein';
export const EXAMPLES = resolve(__dirname, '..', '..', '..', 'examples', 'data');
export const PARENT_ID = 'skein-tests/parent:1.0.0';
/** The SRUIDs the composition roots answer as by default. */
export const CSV_STATS_ID = 'skein-examples/csv-stats:0.1.0';
export const AGGREGATOR_ID = 'skein-examples/aggregator:0.1.0';

/** Waits until `predicate` holds, polling; fails after `timeoutMs` (default a minute: functions start slowly). */
export function waitFor(predicate: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  return waitUntil(predicate, what, timeoutMs, 25);
}

/** Where a {@link FunctionNetwork}'s topic lives. */
export interface FunctionNetworkOptions {
  /** Default {@link PROJECT_ID}; a project of its own isolates a topic with a shared name (the emulator keeps both). */
  readonly projectId?: string;
  /** Default a fresh `it-functions-…` name. */
  readonly topicName?: string;
}

/** The topic, bucket, functions and push subscriptions of one test file. */
export class FunctionNetwork {
  /** The project of the topic and of the functions' configuration. */
  readonly projectId: string;
  /** The services topic: the functions' TWINED_SERVICES_TOPIC_NAME unless a test leaves it unset. */
  readonly topicName: string;
  readonly bucket = `functions-it-${randomUUID().slice(0, 8)}`;
  readonly transport: PubSubTransport;
  readonly store: GcsObjectStore;
  private readonly workDir = mkdtempSync(join(tmpdir(), 'skein-functions-it-'));
  private readonly keyFile: string;
  private readonly running: RunningFunction[] = [];
  private readonly subscriptions: string[] = [];
  private readonly children: Child[] = [];

  private constructor(options: FunctionNetworkOptions) {
    this.projectId = options.projectId ?? PROJECT_ID;
    this.topicName = options.topicName ?? `it-functions-${randomUUID().slice(0, 8)}`;
    this.transport = new PubSubTransport({
      projectId: this.projectId,
      topicName: this.topicName,
      apiEndpoint: requiredEnv('PUBSUB_EMULATOR_HOST'),
    });
    const account = createTestServiceAccount({ projectId: PROJECT_ID });
    this.keyFile = account.writeKeyFile(this.workDir);
    this.store = new GcsObjectStore({
      projectId: PROJECT_ID,
      apiEndpoint: requiredEnv('SKEIN_TEST_GCS_URL'),
      credentials: account.credentials,
    });
  }

  /**
   * Creates the topic and the bucket.
   * @param options - Another project or topic than this file's defaults (a fresh topic in {@link PROJECT_ID}).
   */
  static async start(options: FunctionNetworkOptions = {}): Promise<FunctionNetwork> {
    const network = new FunctionNetwork(options);
    await network.transport.ensureTopic();
    await network.store.storage.createBucket(network.bucket);
    return network;
  }

  /**
   * The environment of a deployed function here: the project and topic set, as Skein's deploy sets them on every
   * function (a function never takes them from its push endpoint).
   */
  functionEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
    return {
      PUBSUB_EMULATOR_HOST: requiredEnv('PUBSUB_EMULATOR_HOST'),
      STORAGE_EMULATOR_HOST: requiredEnv('SKEIN_TEST_GCS_URL'),
      GOOGLE_APPLICATION_CREDENTIALS: this.keyFile,
      METADATA_SERVER_DETECTION: 'none',
      GOOGLE_CLOUD_PROJECT: this.projectId,
      TWINED_SERVICES_TOPIC_NAME: this.topicName,
      SKEIN_CLAIMS_LOCATION: `gs://${this.bucket}/.skein/claims`,
      SKEIN_OUTPUT_LOCATION: `gs://${this.bucket}/outputs`,
      ...extra,
    };
  }

  /**
   * Serves a function and pushes it every message on the topic through its own push subscription (filtered as
   * Octue's child subscription; the emulator ignores the filter, the function applies it).
   * @param target - The exported function.
   * @param serviceId - The SRUID it answers as (for the subscription's filter).
   * @param env - Extra environment.
   * @param signatureType - How functions-framework is started; default `cloudevent` (a deployed function: `http`).
   * @returns The running function.
   */
  async serve(
    target: string,
    serviceId: string,
    env: Readonly<Record<string, string>> = {},
    signatureType?: 'cloudevent' | 'http',
  ): Promise<RunningFunction> {
    const running = await startFunction({ target, env: this.functionEnv(env), signatureType });
    this.running.push(running);
    await this.push(running.endpoint(this.projectId, this.topicName), childSubscription(serviceId).filter);
    return running;
  }

  /**
   * Creates a push subscription on the topic.
   * @param endpoint - Where to push.
   * @param filter - The attribute filter to store (not applied by the emulator).
   * @returns Its name.
   */
  async push(endpoint: string, filter?: Readonly<Record<string, string>>): Promise<string> {
    const name = `push-${randomUUID()}`;
    await this.transport.createSubscription({ name, pushEndpoint: endpoint, ackDeadlineSeconds: 600, filter });
    this.subscriptions.push(name);
    return name;
  }

  /**
   * Uploads an example dataset (examples/data/<site>) with its files' tags.
   * @param site - The dataset folder.
   * @returns Its cloud path.
   */
  async uploadExample(site: string): Promise<string> {
    const dataset = await Dataset.fromLocalDirectory(join(EXAMPLES, site));
    return dataset.upload({ store: this.store, cloudPath: `gs://${this.bucket}/datasets/${site}` });
  }

  /** A Child asking as the test's parent service over the topic. */
  child(id: string, options: Partial<ChildOptions> = {}): Child {
    const child = new Child({
      id,
      transport: this.transport,
      objectStore: this.store,
      parentSruid: PARENT_ID,
      ...options,
    });
    this.children.push(child);
    return child;
  }

  /** Stops the functions, deletes the subscriptions, the topic and the temporary files. */
  async close(): Promise<void> {
    await Promise.all(this.children.map((child) => child.close()));
    await Promise.all(this.running.map((running) => running.stop()));
    await Promise.all(this.subscriptions.map((name) => this.transport.deleteSubscription(name)));
    await this.transport.deleteTopic();
    await this.transport.close();
    rmSync(this.workDir, { recursive: true, force: true });
  }
}
