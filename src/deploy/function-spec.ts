import { CLAIMS_LOCATION_ENV, FEDERATION_DIRECTORY, FEDERATION_MAILBOX_ROOT_ENV } from '../core/config';
import { formatCloudPath } from '../core/gs-path';
import { parseSruid, SERVICE_NAME_ENV, SERVICE_NAMESPACE_ENV, SERVICE_REVISION_TAG_ENV } from '../core/service-id';
import { SERVICES_TOPIC_ENV } from '../core/topology';
import { InvalidDeploySetting } from '../errors';
import type { FunctionSpec } from './ports';
import type { DeploySettings, FunctionSettings } from './settings';

/**
 * Environment variables Skein derives for every function, so the deployed service answers as its SRUID on the
 * services topic, saves outputs and diagnostics in the deployment's buckets, shares its exactly-once claims between
 * all its instances and finds its twine. serverless.yml may not set these (a different value would break routing), except those in {@link OVERRIDABLE_ENV}.
 */
export const DERIVED_ENV = [
  SERVICE_NAMESPACE_ENV,
  SERVICE_NAME_ENV,
  SERVICE_REVISION_TAG_ENV,
  SERVICES_TOPIC_ENV,
  'GOOGLE_CLOUD_PROJECT',
] as const;

/** Derived variables serverless.yml may override (e.g. to share an output bucket between deployments). */
export const OVERRIDABLE_ENV = [
  'SKEIN_OUTPUT_LOCATION',
  'SKEIN_DIAGNOSTICS_CLOUD_PATH',
  CLAIMS_LOCATION_ENV,
  FEDERATION_MAILBOX_ROOT_ENV,
  'SKEIN_TWINE_PATH',
  'COMPUTE_PROVIDER',
] as const;

/**
 * The runtime environment of one function: the derived variables, then serverless.yml's.
 * @param settings - The deployment settings.
 * @param fn - The function.
 * @returns The variables, sorted by name so plans compare stably.
 * @throws InvalidDeploySetting when serverless.yml sets one of {@link DERIVED_ENV} to another value.
 */
export function functionEnvironment(settings: DeploySettings, fn: FunctionSettings): Record<string, string> {
  const { namespace, name, revisionTag } = parseSruid(fn.sruid);
  const derived: Record<(typeof DERIVED_ENV)[number], string> = {
    [SERVICE_NAMESPACE_ENV]: namespace,
    [SERVICE_NAME_ENV]: name,
    [SERVICE_REVISION_TAG_ENV]: revisionTag,
    [SERVICES_TOPIC_ENV]: settings.servicesTopic.name,
    GOOGLE_CLOUD_PROJECT: settings.project,
  };
  for (const [key, value] of Object.entries(derived)) {
    const given = fn.environment[key];
    if (given !== undefined && given !== value) {
      throw new InvalidDeploySetting(
        `functions.${fn.key}.environment.${key}`,
        given,
        `functions.${fn.key}.environment.${key} is '${given}', but Skein sets it to '${value}' from the function's ` +
          'sruid, the project and the services topic: remove it from serverless.yml (or change those settings).',
      );
    }
  }
  const overridable: Record<string, string> = {
    SKEIN_OUTPUT_LOCATION: formatCloudPath(settings.outputBucket.name, `${namespace}/${name}`),
    SKEIN_DIAGNOSTICS_CLOUD_PATH: formatCloudPath(settings.diagnosticsBucket.name, `${namespace}/${name}`),
    // Without a shared claims location each instance would keep its claims to itself, and every instance a question
    // is delivered to would run it. The diagnostics bucket is the deployment's own and never handed out to parents.
    [CLAIMS_LOCATION_ENV]: formatCloudPath(settings.diagnosticsBucket.name, `.skein/claims/${namespace}/${name}`),
    // Federation mailboxes (used only by services with SKEIN_FEDERATION_PROJECT set) need nothing but the
    // deployment's own bucket. One root for all its services: mailboxes are per SRUID below it, and global
    // intermediate data is read by its recipients from the same root.
    [FEDERATION_MAILBOX_ROOT_ENV]: formatCloudPath(settings.diagnosticsBucket.name, FEDERATION_DIRECTORY),
    // Octue's switch for logs without colour or timestamps (Cloud Logging adds its own).
    COMPUTE_PROVIDER: 'GOOGLE_CLOUD_FUNCTION',
    ...(fn.twine === undefined ? {} : { SKEIN_TWINE_PATH: fn.twine }),
  };
  const merged = { ...overridable, ...fn.environment, ...derived };
  return Object.fromEntries(Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The full name of a function.
 * @param settings - For the project and region.
 * @param functionId - The function's id.
 * @returns `projects/<p>/locations/<r>/functions/<id>`.
 */
export function functionResourceName(settings: DeploySettings, functionId: string): string {
  return `${locationName(settings)}/functions/${functionId}`;
}

/**
 * The location functions are created in.
 * @param settings - For the project and region.
 * @returns `projects/<p>/locations/<r>`.
 */
export function locationName(settings: DeploySettings): string {
  return `projects/${settings.project}/locations/${settings.region}`;
}

/**
 * The Cloud Functions v2 resource for one function (without its source, which the upload step fills in).
 * @param settings - The deployment settings.
 * @param fn - The function.
 * @returns The function resource.
 * @throws InvalidDeploySetting when its environment overrides a derived variable.
 */
export function buildFunctionSpec(settings: DeploySettings, fn: FunctionSettings): FunctionSpec {
  return {
    name: functionResourceName(settings, fn.functionId),
    description: fn.description ?? `Skein service ${fn.sruid} (${settings.service}, stage ${settings.stage})`,
    environment: 'GEN_2',
    labels: { ...settings.labels, 'skein-function': fn.key.toLowerCase().slice(0, 63) },
    buildConfig: { runtime: settings.runtime, entryPoint: fn.entryPoint },
    serviceConfig: {
      availableMemory: `${fn.memoryMb}Mi`,
      timeoutSeconds: fn.timeoutSeconds,
      environmentVariables: functionEnvironment(settings, fn),
      ...(fn.maxInstances === undefined ? {} : { maxInstanceCount: fn.maxInstances }),
      ...(fn.minInstances === undefined ? {} : { minInstanceCount: fn.minInstances }),
      // Set explicitly rather than trusting the platform default: one question at a time bounds an instance's memory.
      maxInstanceRequestConcurrency: 1,
      ...(fn.serviceAccountEmail === undefined ? {} : { serviceAccountEmail: fn.serviceAccountEmail }),
      ingressSettings: 'ALLOW_ALL',
      allTrafficOnLatestRevision: true,
    },
  };
}

/**
 * The update mask for re-deploying a function: every field Skein sets, and only those, so settings made outside
 * serverless.yml (e.g. secrets or VPC access added in the console) survive a re-deploy. Optional settings that
 * serverless.yml leaves out are not in the mask either.
 * @param spec - The function resource.
 * @returns snake_case field paths.
 */
export function functionUpdateMask(spec: FunctionSpec): string[] {
  const optional = [
    ['maxInstanceCount', 'service_config.max_instance_count'],
    ['minInstanceCount', 'service_config.min_instance_count'],
    ['serviceAccountEmail', 'service_config.service_account_email'],
  ] as const;
  return [
    'description',
    'labels',
    'build_config.runtime',
    'build_config.entry_point',
    'build_config.source',
    'service_config.available_memory',
    'service_config.timeout_seconds',
    'service_config.max_instance_request_concurrency',
    'service_config.environment_variables',
    'service_config.ingress_settings',
    'service_config.all_traffic_on_latest_revision',
    ...optional.filter(([field]) => spec.serviceConfig[field] !== undefined).map(([, path]) => path),
  ];
}
