import { validateSruid } from '../core/service-id';
import { InvalidDeploySetting } from '../errors';
import { checkFunctionId, checkServiceAccount, toKebabCase } from './google-names';
import type { FunctionSettings } from './settings';
import { isRawObject, readOptionalInteger, readOptionalString, readStringMap } from './values';
import type { RawObject } from './values';

/** Memory bounds of Cloud Run functions, in MiB. */
const MEMORY_BOUNDS = { min: 128, max: 32768, unit: 'MiB' } as const;

/**
 * Pub/Sub push waits at most 600 s (the largest ack deadline) for an answer before pushing again, so a function that
 * runs longer would be sent the same question twice.
 */
export const MAX_TIMEOUT_SECONDS = 600;

const TIMEOUT_BOUNDS = {
  min: 1,
  max: MAX_TIMEOUT_SECONDS,
  unit: 'seconds',
  why: 'A push subscription waits at most 600 s for the function to answer before it pushes the question again.',
} as const;
const INSTANCE_BOUNDS = { min: 0, max: 1000, unit: 'instances' } as const;

/** Defaults for what neither the function nor the provider sets. */
export const FUNCTION_DEFAULTS = { memoryMb: 256, timeoutSeconds: 540 } as const;

// Cloud Run sets these itself; a deploy that sets them is refused by the API.
const RESERVED_ENV = new Set([
  'FUNCTION_TARGET',
  'FUNCTION_SIGNATURE_TYPE',
  'K_SERVICE',
  'K_REVISION',
  'K_CONFIGURATION',
  'PORT',
]);
const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ENTRY_POINT_PATTERN = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** What the function settings are read with. */
export interface ReadFunctionsParams {
  /** `functions:` by key. */
  readonly functions: Readonly<Record<string, unknown>>;
  /** `provider:`, for the shared memory, timeout, environment and instance settings. */
  readonly provider: RawObject;
  /** `service:`. */
  readonly service: string;
  /** The stage. */
  readonly stage: string;
}

/**
 * Reads and checks every function under `functions:`.
 * @param params - The raw functions, provider, service and stage.
 * @returns One settings object per function, in declaration order.
 * @throws InvalidDeploySetting for a missing or malformed value, two functions with the same SRUID or id, or none.
 */
export function readFunctions(params: ReadFunctionsParams): FunctionSettings[] {
  const entries = Object.entries(params.functions);
  if (entries.length === 0) {
    throw new InvalidDeploySetting('functions', params.functions, 'serverless.yml declares no functions to deploy.');
  }
  const result = entries.map(([key, raw]) => readFunction(key, raw, params));
  for (const field of ['sruid', 'functionId'] as const) {
    const seen = new Map<string, string>();
    for (const fn of result) {
      const other = seen.get(fn[field]);
      if (other !== undefined) {
        throw new InvalidDeploySetting(
          `functions.${fn.key}`,
          fn[field],
          `functions.${other} and functions.${fn.key} both use ${field === 'sruid' ? 'the SRUID' : 'the function name'} ` +
            `'${fn[field]}'; each deployed service needs its own${field === 'sruid' ? ' (its push subscription is named after it)' : ''}.`,
        );
      }
      seen.set(fn[field], fn.key);
    }
  }
  return result;
}

function readFunction(key: string, raw: unknown, params: ReadFunctionsParams): FunctionSettings {
  const at = `functions.${key}`;
  if (!isRawObject(raw)) throw new InvalidDeploySetting(at, raw, `${at} must be a mapping.`);
  const { provider } = params;
  const entryPoint = readOptionalString(raw.handler, `${at}.handler`);
  if (entryPoint === undefined || !ENTRY_POINT_PATTERN.test(entryPoint)) {
    throw new InvalidDeploySetting(
      `${at}.handler`,
      raw.handler,
      `${at}.handler must name an export of functions/index.ts (e.g. ${key}); got ${JSON.stringify(raw.handler)}.`,
    );
  }
  const serviceAccount =
    readOptionalString(raw.serviceAccount, `${at}.serviceAccount`) ??
    readOptionalString(provider.serviceAccount, 'provider.serviceAccount');
  return {
    key,
    functionId: checkFunctionId(
      toKebabCase(readOptionalString(raw.name, `${at}.name`) ?? `${params.service}-${params.stage}-${key}`),
      `${at}.name`,
    ),
    entryPoint,
    sruid: readSruid(raw.sruid, `${at}.sruid`),
    twine: readOptionalString(raw.twine, `${at}.twine`),
    memoryMb:
      readOptionalInteger(raw.memorySize, `${at}.memorySize`, MEMORY_BOUNDS) ??
      readOptionalInteger(provider.memorySize, 'provider.memorySize', MEMORY_BOUNDS) ??
      FUNCTION_DEFAULTS.memoryMb,
    timeoutSeconds:
      readOptionalInteger(raw.timeout, `${at}.timeout`, TIMEOUT_BOUNDS) ??
      readOptionalInteger(provider.timeout, 'provider.timeout', TIMEOUT_BOUNDS) ??
      FUNCTION_DEFAULTS.timeoutSeconds,
    environment: readEnvironment(provider.environment, raw.environment, at),
    minInstances:
      readOptionalInteger(raw.minInstances, `${at}.minInstances`, INSTANCE_BOUNDS) ??
      readOptionalInteger(provider.minInstances, 'provider.minInstances', INSTANCE_BOUNDS),
    maxInstances:
      readOptionalInteger(raw.maxInstances, `${at}.maxInstances`, INSTANCE_BOUNDS) ??
      readOptionalInteger(provider.maxInstances, 'provider.maxInstances', INSTANCE_BOUNDS),
    serviceAccountEmail:
      serviceAccount === undefined ? undefined : checkServiceAccount(serviceAccount, `${at}.serviceAccount`),
    description: readOptionalString(raw.description, `${at}.description`),
  };
}

function readSruid(value: unknown, setting: string): string {
  const sruid = readOptionalString(value, setting);
  if (sruid === undefined) {
    throw new InvalidDeploySetting(
      setting,
      value,
      `${setting} is missing: give the service revision the function answers as, e.g. my-namespace/my-service:0.1.0.`,
    );
  }
  try {
    validateSruid(sruid);
  } catch (error) {
    throw new InvalidDeploySetting(setting, value, `${setting}: ${(error as Error).message}`, { cause: error });
  }
  return sruid;
}

function readEnvironment(providerEnv: unknown, functionEnv: unknown, at: string): Record<string, string> {
  const merged = {
    ...readStringMap(providerEnv, 'provider.environment'),
    ...readStringMap(functionEnv, `${at}.environment`),
  };
  for (const name of Object.keys(merged)) {
    if (!ENV_NAME_PATTERN.test(name) || RESERVED_ENV.has(name) || name.startsWith('X_GOOGLE_')) {
      throw new InvalidDeploySetting(
        `${at}.environment.${name}`,
        merged[name],
        `'${name}' cannot be set as an environment variable of a Cloud Run function: names are letters, digits and ` +
          'underscores not starting with a digit, and FUNCTION_TARGET, FUNCTION_SIGNATURE_TYPE, K_SERVICE, K_REVISION, ' +
          'K_CONFIGURATION, PORT and X_GOOGLE_* are reserved.',
      );
    }
  }
  return merged;
}
