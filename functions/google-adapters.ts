// What every function's composition root starts with: its settings from the environment and the Google adapters
// (Pub/Sub transport, Cloud Storage object store) they point at.
import { PubSubTransport } from '../src/cloud/pubsub';
import { GcsObjectStore } from '../src/cloud/storage/gcs-object-store';
import { resolveFunctionSettings } from '../src/functions';
import type { DeliveryOrigin, FunctionServiceIdentity, FunctionSettings } from '../src/functions';
import type { Logger } from '../src/service';

/** A function's settings and the adapters built from them. */
export interface FunctionAdapters {
  readonly settings: FunctionSettings;
  readonly transport: PubSubTransport;
  readonly objectStore: GcsObjectStore;
}

/**
 * Resolves a function's settings from `process.env` and builds its Pub/Sub transport and Cloud Storage store. No
 * secret source: the example twines have no credentials strand (else add `new SecretManagerSource({ projectId })`).
 * @param identity - The SRUID parts the service answers as unless `OCTUE_SERVICE_*` variables say otherwise.
 * @param origin - Where the triggering delivery came from.
 * @param logger - The function's logger.
 * @returns The settings, transport and object store.
 */
export function googleAdapters(
  identity: FunctionServiceIdentity,
  origin: DeliveryOrigin,
  logger: Logger,
): FunctionAdapters {
  const settings = resolveFunctionSettings({ env: process.env, identity, origin, logger });
  const { projectId, topicName } = settings;
  return {
    settings,
    transport: new PubSubTransport({ projectId, topicName, apiEndpoint: settings.pubsubEndpoint }),
    objectStore: new GcsObjectStore({ projectId, apiEndpoint: settings.storageEndpoint }),
  };
}
