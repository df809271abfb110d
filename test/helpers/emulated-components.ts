// The real local components the integration global setup starts (the Pub/Sub emulator and the GCS-compatible server),
// as the service-level integration tests open them, and a loopback canary that counts requests that should never be
// made.
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { PubSubTransport } from '../../src/cloud/pubsub';
import { GcsObjectStore } from '../../src/cloud/storage';
import { createTestServiceAccount } from '../../src/emulators/service-account';
import { emulatorHost, requiredEnv } from './pubsub-emulator-host';

/** The project the emulators are addressed as. */
export const PROJECT_ID = 'demo-skein';

/**
 * @param prefix - Starts the topic's name; a random suffix keeps test files (which run in parallel) apart.
 * @returns A transport on a fresh services topic on the Pub/Sub emulator, the topic created.
 */
export async function emulatorTopic(prefix: string): Promise<PubSubTransport> {
  const transport = new PubSubTransport({
    projectId: PROJECT_ID,
    topicName: `${prefix}-${randomUUID().slice(0, 8)}`,
    apiEndpoint: emulatorHost(),
  });
  await transport.ensureTopic();
  return transport;
}

/** @returns An object store on the GCS-compatible server, signed in as the test service account. */
export function emulatorStore(): GcsObjectStore {
  return new GcsObjectStore({
    projectId: PROJECT_ID,
    apiEndpoint: requiredEnv('SKEIN_TEST_GCS_URL'),
    credentials: createTestServiceAccount({ projectId: PROJECT_ID }).credentials,
  });
}

/** Where {@link plantSecrets} put the secret: what a hostile manifest names to try to read it. */
export interface PlantedSecrets {
  /** A fresh bucket holding the secret at `keys/<file name>`; outside every bucket the side under test allows. */
  readonly bucket: string;
  /** `<workDir>/home/.keys`, holding the secret at `<file name>`; outside every allowed local root. */
  readonly victimDirectory: string;
}

/**
 * Plants `secret` where the side under test must never read it: in a bucket of its own on the GCS-compatible server
 * and in a local directory under `workDir`, both in a file named `fileName`.
 */
export async function plantSecrets(
  store: GcsObjectStore,
  workDir: string,
  fileName: string,
  secret: string,
): Promise<PlantedSecrets> {
  const bucket = `secrets-${randomUUID().slice(0, 8)}`;
  await store.storage.createBucket(bucket);
  await store.upload(`gs://${bucket}/keys/${fileName}`, secret);
  const victimDirectory = join(workDir, 'home', '.keys');
  mkdirSync(victimDirectory, { recursive: true });
  writeFileSync(join(victimDirectory, fileName), secret);
  return { bucket, victimDirectory };
}

/** A loopback HTTP server standing where a hostile location points: any request to it is a request that leaked. */
export interface Canary {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** The number of requests it has answered. */
  hits(): number;
  close(): Promise<void>;
}

/**
 * @returns A started {@link Canary}. It answers like a signed-metadata endpoint (`{"files": []}`) so that a client
 * that reached it would go on as if it had succeeded, rather than failing for another reason.
 */
export async function startCanary(): Promise<Canary> {
  let hits = 0;
  const server = createServer((_request, response) => {
    hits += 1;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ files: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
