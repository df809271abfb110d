import { resolveServiceConfiguration, SERVICE_OPTIONS } from '../core/config';
import type { ConfigurationEnvironment, ConfigurationNotice, ServiceConfiguration } from '../core/config';
import { SERVICE_NAME_ENV, SERVICE_NAMESPACE_ENV, SERVICE_REVISION_TAG_ENV } from '../core/service-id';
import { resolveServicesTopicName } from '../core/topology';
import { InvalidServiceConfiguration } from '../errors';
import { serviceIdFromConfiguration } from '../service';
import type { Logger } from '../service';

/** Google's clients read these to talk to local emulators; a function passes them on explicitly. */
export const PUBSUB_EMULATOR_HOST_ENV = 'PUBSUB_EMULATOR_HOST';
/** See {@link PUBSUB_EMULATOR_HOST_ENV}; signed URLs then point at the emulator as well. */
export const STORAGE_EMULATOR_HOST_ENV = 'STORAGE_EMULATOR_HOST';

/** The SRUID a deployed service runs as unless its `OCTUE_SERVICE_*` variables say otherwise. */
export interface FunctionServiceIdentity {
  readonly namespace: string;
  readonly name: string;
  /** Always set: a function answering under a generated slug could never be asked. */
  readonly revisionTag: string;
}

/** Inputs to {@link resolveFunctionSettings}. */
export interface ResolveFunctionSettingsParams {
  /** The environment (`process.env` in composition roots). */
  readonly env: ConfigurationEnvironment;
  /** The service's identity when the environment does not override it. */
  readonly identity: FunctionServiceIdentity;
  /** Anchors relative paths from the environment (default `process.cwd()`). */
  readonly cwd?: string;
  /** Where configuration notices (such as overridden values) are logged. */
  readonly logger?: Logger;
}

/** Everything a composition root needs to build a deployed service's adapters and Service. */
export interface FunctionSettings {
  /** The service configuration (the option table read from the environment), with the project filled in. */
  readonly configuration: ServiceConfiguration;
  /** The SRUID the service answers as. */
  readonly serviceId: string;
  /** The Google Cloud project of the topic, buckets and secrets. */
  readonly projectId: string;
  /** The services topic responses are published on. */
  readonly topicName: string;
  /** `host:port` of the Pub/Sub emulator, when one is used. */
  readonly pubsubEndpoint: string | undefined;
  /** URL of a GCS-compatible server, when one is used. */
  readonly storageEndpoint: string | undefined;
  /** Configuration notices to log. */
  readonly notices: readonly ConfigurationNotice[];
}

function nonEmpty(env: ConfigurationEnvironment): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

// Neither the project nor the topic is ever taken from a delivery: a push endpoint's path, a CloudEvent's source and a
// push body's subscription are chosen by whoever sends the request, and a service built from the first delivery's
// origin would answer every later question wherever that delivery pointed. Skein's deploy sets both variables on
// every function (Cloud Run functions' current runtimes set only FUNCTION_TARGET, K_SERVICE and the like, no project).
function projectIdFor(configuration: ServiceConfiguration): string {
  if (configuration.projectId !== undefined) return configuration.projectId;
  const variable = SERVICE_OPTIONS.projectId.envVar ?? 'GOOGLE_CLOUD_PROJECT';
  throw new InvalidServiceConfiguration('The function cannot tell which Google Cloud project it runs in:', {
    failures: [
      {
        pointer: `/env/${variable}`,
        message:
          `${SERVICE_OPTIONS.projectId.summary} is required: set ${variable} (Skein's deploy sets it on every ` +
          'function; the project a delivery names is never used)',
        keyword: 'required',
      },
    ],
  });
}

/**
 * Resolves a deployed service's settings from its environment: the service configuration from the option table (the
 * identity given here fills in `OCTUE_SERVICE_NAMESPACE`, `OCTUE_SERVICE_NAME` and `OCTUE_SERVICE_REVISION_TAG` when
 * they are unset or empty), the project (`GOOGLE_CLOUD_PROJECT`), the topic (`TWINED_SERVICES_TOPIC_NAME`, else
 * Octue's default `main.octue.twined.services`) and the emulator hosts: from configuration only, never from a delivery.
 * Configuration notices are logged to the logger, if one is given.
 * @param params - The environment, the default identity and a logger.
 * @returns The settings.
 * @throws InvalidServiceConfiguration for an invalid option or when no project can be found; InvalidServiceID for a
 *   bad identity; InvalidResourceName for a bad topic name.
 */
export function resolveFunctionSettings(params: ResolveFunctionSettingsParams): FunctionSettings {
  const { identity } = params;
  const env: Readonly<Record<string, string | undefined>> = {
    [SERVICE_NAMESPACE_ENV]: identity.namespace,
    [SERVICE_NAME_ENV]: identity.name,
    [SERVICE_REVISION_TAG_ENV]: identity.revisionTag,
    ...nonEmpty(params.env),
  };
  const { configuration, notices } = resolveServiceConfiguration({ env, cwd: params.cwd });
  for (const notice of notices) params.logger?.[notice.level](notice.message);
  const projectId = projectIdFor(configuration);
  return {
    configuration: { ...configuration, projectId },
    serviceId: serviceIdFromConfiguration(configuration),
    projectId,
    topicName: resolveServicesTopicName({ env }),
    pubsubEndpoint: env[PUBSUB_EMULATOR_HOST_ENV],
    storageEndpoint: env[STORAGE_EMULATOR_HOST_ENV],
    notices,
  };
}
