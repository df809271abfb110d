import type { ServiceConfiguration } from '../core/config';
import type { ObjectStore } from '../core/ports/object-store';
import type { Transport } from '../core/ports/transport';
import { createSruid } from '../core/service-id';
import type { Clock } from './clock';
import type { EventRoute } from './event-routes';
import type { Logger } from './logging';
import { Runner } from './runner';
import type { RunnerOptions } from './runner';
import { Service } from './service';
import type { ChildFactory, SecretSource } from './types';

/**
 * The SRUID a configured service runs as: `<namespace>/<name>:<revision tag>`, with a generated two-word slug when
 * no revision tag is configured (as Octue does).
 * @param configuration - The resolved configuration.
 * @returns The SRUID.
 * @throws InvalidServiceID when the parts do not make a valid SRUID.
 */
export function serviceIdFromConfiguration(configuration: ServiceConfiguration): string {
  return createSruid({
    namespace: configuration.namespace,
    name: configuration.name,
    revisionTag: configuration.revisionTag,
  });
}

/** The ports and overrides for {@link serviceFromConfiguration}. */
export interface ServiceFromConfigurationParams {
  readonly configuration: ServiceConfiguration;
  readonly transport: Transport;
  readonly objectStore?: ObjectStore;
  readonly secretSource?: SecretSource;
  readonly childFactory?: ChildFactory;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** The SRUID to run as; default {@link serviceIdFromConfiguration}. */
  readonly serviceId?: string;
  /** Further Runner options (they win over the configuration). */
  readonly runnerOptions?: Partial<RunnerOptions>;
  /** Routes for Skein extensions' messages (e.g. federation's) arriving on the service's subscription. */
  readonly eventRoutes?: readonly EventRoute[];
}

/**
 * Wires a Service and its Runner from a service configuration: the app, twine, configuration, children, output and
 * diagnostics locations go to the Runner; the heartbeat interval and the exactly-once claims location to the Service.
 * @param params - The configuration and the ports.
 * @returns The service, ready to `answer` or `serve`.
 * @throws The errors of `new Runner` (bad twine or configuration) and `new Service`.
 */
export function serviceFromConfiguration(params: ServiceFromConfigurationParams): Service {
  const { configuration } = params;
  const serviceId = params.serviceId ?? serviceIdFromConfiguration(configuration);
  const runner = Runner.fromConfiguration(configuration, {
    serviceId,
    objectStore: params.objectStore,
    secretSource: params.secretSource,
    childFactory: params.childFactory,
    logger: params.logger,
    clock: params.clock,
    ...params.runnerOptions,
  });
  return new Service({
    serviceId,
    transport: params.transport,
    runner,
    objectStore: params.objectStore,
    claimsLocation: configuration.claimsLocation,
    heartbeatIntervalMs: configuration.heartbeatIntervalSeconds * 1000,
    logger: params.logger,
    clock: params.clock,
    eventRoutes: params.eventRoutes,
  });
}
