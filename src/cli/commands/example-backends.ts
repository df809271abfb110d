import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { InMemoryBroker, InMemoryTransport } from '../../cloud/memory';
import { PubSubTransport } from '../../cloud/pubsub';
import { GcsObjectStore, LocalObjectStore } from '../../cloud/storage';
import type { ObjectStore } from '../../core/ports/object-store';
import type { Transport } from '../../core/ports/transport';
import { resolveServicesTopicName } from '../../core/topology';
import { startGcsServer } from '../../emulators/gcs-server';
import { startPubSubEmulator } from '../../emulators/pubsub-emulator';
import { createTestServiceAccount } from '../../emulators/service-account';
import { InvalidInputException } from '../../errors';
import {
  EMULATOR_PROJECT_ID,
  objectStore,
  pubSubTransport,
  resolveProjectId,
  skipMetadataServerDetection,
  usesEmulators,
} from '../adapters';
import type { CliContext } from '../context';

/** Where `skein example` runs: flags choosing the backend and the bucket for --cloud. */
export interface BackendOptions {
  readonly emulators?: boolean;
  readonly cloud?: boolean;
  readonly projectId?: string;
  readonly bucket?: string;
}

/** Where an example runs, and how to tear it down. */
export interface Backend {
  readonly transport: Transport;
  readonly objectStore: ObjectStore;
  readonly uploadTo?: string;
  close(): Promise<void>;
}

async function embeddedBackend(context: CliContext): Promise<Backend> {
  const root = mkdtempSync(join(tmpdir(), 'skein-example-'));
  const transport = new InMemoryTransport({
    topicName: resolveServicesTopicName({ env: context.env }),
    broker: new InMemoryBroker(),
  });
  await transport.ensureTopic();
  return {
    transport,
    objectStore: new LocalObjectStore({ root }),
    close: async () => {
      await transport.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

// The Pub/Sub emulator and Skein's GCS-compatible server, started for this run and stopped after it.
async function emulatorBackend(context: CliContext): Promise<Backend> {
  skipMetadataServerDetection(context.env);
  const [pubsub, gcs] = await Promise.all([startPubSubEmulator(), startGcsServer({ port: 0 })]);
  const transport = new PubSubTransport({
    projectId: EMULATOR_PROJECT_ID,
    topicName: resolveServicesTopicName({ env: context.env }),
    apiEndpoint: pubsub.host,
  });
  await transport.ensureTopic();
  const objectStore = new GcsObjectStore({
    projectId: EMULATOR_PROJECT_ID,
    apiEndpoint: gcs.url,
    credentials: createTestServiceAccount({ projectId: EMULATOR_PROJECT_ID }).credentials,
  });
  await objectStore.storage.createBucket('skein-example');
  return {
    transport,
    objectStore,
    uploadTo: 'gs://skein-example/data',
    close: async () => {
      await transport.close();
      await Promise.all([pubsub.stop(), gcs.stop()]);
    },
  };
}

// Google Cloud as configured: the services topic in the project (made if missing) and a bucket for the example data.
// The same adapters as `skein ask`/`start`, so PUBSUB_EMULATOR_HOST / STORAGE_EMULATOR_HOST redirect them.
async function cloudBackend(context: CliContext, options: BackendOptions): Promise<Backend> {
  if (usesEmulators(context.env)) skipMetadataServerDetection(context.env);
  const bucket = options.bucket?.replace(/^gs:\/\//, '').replace(/\/+$/, '');
  if (!bucket) {
    throw new InvalidInputException(
      '--cloud needs --bucket <name>: a Cloud Storage bucket the example datasets are uploaded to for the children.',
    );
  }
  const projectId = resolveProjectId(context.env, options.projectId);
  const transport = pubSubTransport(context.env, projectId);
  await transport.ensureTopic();
  return {
    transport,
    objectStore: objectStore(context.env, { projectId }),
    uploadTo: `gs://${bucket}/skein-example/data`,
    close: () => transport.close(),
  };
}

/**
 * Makes the backend the flags choose: the embedded default, fresh emulators, or Google Cloud as configured.
 * @param context - The CLI context.
 * @param options - The flags.
 * @returns The backend (close it when done).
 * @throws InvalidInputException for both --emulators and --cloud, or --cloud without --bucket.
 */
export function backendFor(context: CliContext, options: BackendOptions): Promise<Backend> {
  if (options.emulators && options.cloud) {
    throw new InvalidInputException('Choose one of --emulators and --cloud.');
  }
  if (options.cloud) return cloudBackend(context, options);
  return options.emulators ? emulatorBackend(context) : embeddedBackend(context);
}
