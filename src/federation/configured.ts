import { federationMailboxRoot, SERVICE_OPTIONS } from '../core/config';
import type { ServiceConfiguration } from '../core/config';
import type { ObjectStore } from '../core/ports/object-store';
import type { Transport } from '../core/ports/transport';
import { InvalidServiceConfiguration } from '../errors';
import type { AnalysisExtension, Clock, EventRoute, Logger } from '../service';
import { createFederationRuntime } from './runtime';

/** What {@link federationForService} builds a configured service's federation from. */
export interface ServiceFederationParams {
  /** The service configuration (`federation_project` enables federation, `federation_mailbox_root` places it). */
  readonly configuration: ServiceConfiguration;
  /** The SRUID the service answers as. */
  readonly serviceId: string;
  /** The transport the service answers on. */
  readonly transport: Transport;
  /** The object store the mailboxes are written to; required when federation is enabled. */
  readonly objectStore: ObjectStore | undefined;
  /** Where federation logs. */
  readonly logger?: Logger;
  /** Time and timers (tests inject a manual clock). */
  readonly clock?: Clock;
}

/** A configured service's federation, as pieces for `serviceFromConfiguration` (empty when federation is off). */
export interface ServiceFederation {
  /** The mailbox root in use; `undefined` when federation is off. */
  readonly mailboxRoot: string | undefined;
  /** For the Runner (`runnerOptions.analysisExtensions`). */
  readonly analysisExtensions: readonly AnalysisExtension[];
  /** For the Service (`eventRoutes`): routes federation messages and acknowledgements to the mailbox writer. */
  readonly eventRoutes: readonly EventRoute[];
}

function misconfigured(option: 'federationProject' | 'federationMailboxRoot', message: string): never {
  const variable = SERVICE_OPTIONS[option].envVar ?? option;
  throw new InvalidServiceConfiguration('Federation cannot be enabled:', {
    failures: [{ pointer: `/env/${variable}`, message, keyword: 'required' }],
  });
}

/**
 * Enables federation for a configured service when its configuration names a federation project, with its mailbox
 * root from {@link federationMailboxRoot} (the configured root, else `.skein/federation` in the claims or output
 * bucket). The entry points (`skein start`, the functions' composition roots) all build their federation here, so a
 * service is federated the same way however it runs.
 * @param params - The configuration and the service's ports.
 * @returns The Runner extension and Service route, or empty lists when federation is off.
 * @throws InvalidServiceConfiguration when federation is enabled without a mailbox root or an object store.
 */
export function federationForService(params: ServiceFederationParams): ServiceFederation {
  const { configuration } = params;
  if (configuration.federationProject === undefined) {
    return { mailboxRoot: undefined, analysisExtensions: [], eventRoutes: [] };
  }
  const mailboxRoot = federationMailboxRoot(configuration);
  if (mailboxRoot === undefined) {
    misconfigured(
      'federationMailboxRoot',
      `${SERVICE_OPTIONS.federationMailboxRoot.summary} is required when federation is enabled: set it, or a claims ` +
        'or output location in whose bucket it can live',
    );
  }
  if (params.objectStore === undefined) {
    misconfigured('federationProject', 'federation needs an object store for its mailboxes, and none was given');
  }
  const runtime = createFederationRuntime({
    serviceId: params.serviceId,
    transport: params.transport,
    objectStore: params.objectStore,
    mailboxRoot,
    projectId: configuration.federationProject,
    runDeadlineMs: configuration.federationRunDeadlineSeconds * 1000,
    ...(params.logger === undefined ? {} : { logger: params.logger }),
    ...(params.clock === undefined ? {} : { clock: params.clock }),
  });
  return { mailboxRoot, analysisExtensions: [runtime.analysisExtension], eventRoutes: [runtime.eventRoute] };
}
