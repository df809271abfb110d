import { resolveServicesTopicName, SERVICES_TOPIC_ENV } from '../core/topology';
import { InvalidDeploySetting } from '../errors';
import {
  checkBucketName,
  checkProject,
  checkRegion,
  checkRuntime,
  checkServiceAccount,
  toLabelValue,
} from './google-names';
import { readFunctions } from './read-functions';
import type { BucketSettings, DeployConfigInput, DeploySettings } from './settings';
import { readObject, readOptionalBoolean, readOptionalString, readOptionalStringList, readStringMap } from './values';
import type { RawObject } from './values';

/** The runtime used when serverless.yml names none. */
export const DEFAULT_RUNTIME = 'nodejs22';
/** The stage used when neither `--stage` nor `provider.stage` gives one (Serverless's own default). */
export const DEFAULT_STAGE = 'dev';
/**
 * What goes into the source zip unless `custom.skein.source` says otherwise: the compiled SDK, composition roots and
 * apps, and the twines (entries that do not exist are skipped).
 */
export const DEFAULT_SOURCE_INCLUDE: readonly string[] = ['dist/src', 'dist/functions', 'dist/apps', 'twines'];

const STAGE_PATTERN = /^[a-z0-9][a-z0-9-]{0,19}$/;

/**
 * Reads and checks the deployment settings from serverless.yml and the command line, applying every default. Pure:
 * nothing is read from disk or the environment (Serverless has already resolved `${env:…}` and `${opt:…}`).
 *
 * @param input - The service name, `provider`, `functions`, `custom` and the command-line options.
 * @returns The settings the plan is built from.
 * @throws InvalidDeployProject when the project is missing or malformed.
 * @throws InvalidDeployRegion when the region is missing or malformed.
 * @throws InvalidDeploySetting for any other missing or malformed value.
 */
export function readDeploySettings(input: DeployConfigInput): DeploySettings {
  const provider = readObject(input.provider, 'provider');
  const options = input.options ?? {};
  const project = checkProject(
    readOptionalString(options.project, '--project') ?? readOptionalString(provider.project, 'provider.project'),
  );
  const region = checkRegion(
    readOptionalString(options.region, '--region') ?? readOptionalString(provider.region, 'provider.region'),
  );
  const stage = readStage(
    readOptionalString(options.stage, '--stage') ?? readOptionalString(provider.stage, 'provider.stage'),
  );
  const service = input.service;
  const skein = readObject(readObject(input.custom, 'custom').skein, 'custom.skein');
  const location = region.toUpperCase();
  const ownsBuckets = readOptionalBoolean(skein.ownsBuckets, 'custom.skein.ownsBuckets') ?? false;
  const bucket = (role: 'outputs' | 'diagnostics', key: string): BucketSettings => ({
    name: checkBucketName(
      readOptionalString(skein[key], `custom.skein.${key}`) ??
        // Domain-scoped projects (`example.com:proj`) hold characters bucket names cannot.
        `${project.replace(/[:.]/g, '-')}-${service}-${stage}-${role}`.toLowerCase(),
      `custom.skein.${key}`,
    ),
    location,
    owned: ownsBuckets,
  });
  const pushServiceAccount = readOptionalString(skein.pushServiceAccount, 'custom.skein.pushServiceAccount');
  return {
    service,
    stage,
    project,
    region,
    runtime: checkRuntime(readOptionalString(provider.runtime, 'provider.runtime') ?? DEFAULT_RUNTIME),
    servicesTopic: {
      name: readServicesTopic(skein),
      owned: readOptionalBoolean(skein.ownsServicesTopic, 'custom.skein.ownsServicesTopic') ?? false,
    },
    outputBucket: bucket('outputs', 'outputBucket'),
    diagnosticsBucket: bucket('diagnostics', 'diagnosticsBucket'),
    pushServiceAccount:
      pushServiceAccount === undefined
        ? undefined
        : checkServiceAccount(pushServiceAccount, 'custom.skein.pushServiceAccount'),
    labels: {
      'managed-by': 'skein',
      'skein-service': toLabelValue(service),
      'skein-stage': toLabelValue(stage),
      ...readStringMap(provider.labels, 'provider.labels'),
    },
    sourceInclude: readOptionalStringList(skein.source, 'custom.skein.source') ?? DEFAULT_SOURCE_INCLUDE,
    functions: readFunctions({ functions: readObject(input.functions, 'functions'), provider, service, stage }),
  };
}

function readStage(stage: string | undefined): string {
  const value = stage ?? DEFAULT_STAGE;
  if (!STAGE_PATTERN.test(value)) {
    throw new InvalidDeploySetting(
      'provider.stage',
      value,
      `'${value}' is not a usable stage: use 1-20 lowercase letters, digits and hyphens (it becomes part of ` +
        'function and bucket names).',
    );
  }
  return value;
}

// The topic follows core/topology's rule: an explicit name wins, otherwise `<environment>.octue.twined.services`.
function readServicesTopic(skein: RawObject): string {
  const explicit = readOptionalString(skein.servicesTopic, 'custom.skein.servicesTopic');
  const environment = readOptionalString(skein.servicesEnvironment, 'custom.skein.servicesEnvironment');
  try {
    return resolveServicesTopicName({
      env: { [SERVICES_TOPIC_ENV]: explicit },
      ...(environment === undefined ? {} : { environment }),
    });
  } catch (error) {
    const setting = explicit === undefined ? 'custom.skein.servicesEnvironment' : 'custom.skein.servicesTopic';
    throw new InvalidDeploySetting(setting, explicit ?? environment, `${setting}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
