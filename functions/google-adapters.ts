// What every function's composition root starts with: its settings from the environment and the Google adapters
// (Pub/Sub transport, Cloud Storage object store) they point at, behind a builder whose identity is known before it
// builds anything.
import { PubSubTransport } from '../src/cloud/pubsub';
import { GcsObjectStore } from '../src/cloud/storage/gcs-object-store';
import { CLAIMS_LOCATION_ENV } from '../src/core/config';
import { federationForService } from '../src/federation';
import type { ServiceFederation } from '../src/federation';
import { resolveFunctionSettings } from '../src/functions';
import type { FunctionServiceIdentity, FunctionSettings, ServiceBuilder } from '../src/functions';
import type { Logger, Service } from '../src/service';

/** A function's settings and the adapters built from them. */
export interface FunctionAdapters {
  readonly settings: FunctionSettings;
  readonly transport: PubSubTransport;
  readonly objectStore: GcsObjectStore;
  /**
   * The service's federation: with `SKEIN_FEDERATION_PROJECT` set, the Runner extension and the route that sends
   * federation events delivered to the function to the mailbox writer; empty lists otherwise.
   */
  readonly federation: ServiceFederation;
}

/**
 * Resolves a function's settings from `process.env` (project and topic from configuration only; warning when no
 * claims location is set) and builds its Pub/Sub transport, Cloud Storage store and federation (when configured). No secret source: the example
 * twines have no credentials strand (else add
 * `new SecretManagerSource({ projectId })`).
 * @param identity - The SRUID parts the service answers as unless `OCTUE_SERVICE_*` variables say otherwise.
 * @param logger - The function's logger.
 * @returns The settings, transport and object store.
 */
export function googleAdapters(identity: FunctionServiceIdentity, logger: Logger): FunctionAdapters {
  const settings = resolveFunctionSettings({ env: process.env, identity, logger });
  if (settings.configuration.claimsLocation === undefined) {
    // Each instance would then keep its claims to itself, and every instance a question reaches would run it.
    logger.warning(
      `${CLAIMS_LOCATION_ENV} is not set: question claims are kept per instance, so a question delivered to two ` +
        'instances runs twice. `serverless deploy` sets it; set it when deploying another way.',
    );
  }
  const { projectId, topicName } = settings;
  const transport = new PubSubTransport({ projectId, topicName, apiEndpoint: settings.pubsubEndpoint });
  const objectStore = new GcsObjectStore({ projectId, apiEndpoint: settings.storageEndpoint });
  const federation = federationForService({
    configuration: settings.configuration,
    serviceId: settings.serviceId,
    transport,
    objectStore,
    logger: logger.child('federation'),
  });
  return { settings, transport, objectStore, federation };
}

/**
 * The builder of a function's service: its SRUID resolved from `process.env` alone (so the handlers drop deliveries
 * for other services before building anything), and the service built from the Google adapters on the first
 * delivery addressed to it.
 * @param identity - The SRUID parts the service answers as unless `OCTUE_SERVICE_*` variables say otherwise.
 * @param logger - The function's logger.
 * @param build - Makes the service from the settings and adapters.
 * @returns The builder to pass to `functionHandlers`.
 */
export function googleServiceBuilder(
  identity: FunctionServiceIdentity,
  logger: Logger,
  build: (adapters: FunctionAdapters) => Service,
): ServiceBuilder {
  return {
    // No logger here: the build resolves the settings again and logs their notices once.
    serviceId: () => resolveFunctionSettings({ env: process.env, identity }).serviceId,
    build: () => build(googleAdapters(identity, logger)),
  };
}
