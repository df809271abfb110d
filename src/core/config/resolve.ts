import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { InvalidServiceConfiguration, ServiceConfigurationNotFound } from '../../errors';
import type { ValidationFailure } from '../../errors';
import { parseOctueYaml } from './octue-yaml';
import { CONFIGURATION_PATH_OPTION, SERVICE_OPTIONS } from './options';
import type { ConfigurationNotice, OptionSpec, ServiceConfiguration } from './options';
import type { OptionOrigin } from './values';

/** An environment to read from: `process.env` in entry points, a plain object in tests. */
export type ConfigurationEnvironment = Readonly<Record<string, string | undefined>>;

/** Option values passed in code; they beat the environment and the file, and are checked the same way. */
export type ServiceConfigurationOverrides = { readonly [K in keyof ServiceConfiguration]?: ServiceConfiguration[K] };

/** Inputs to {@link resolveServiceConfiguration}. */
export interface ResolveServiceConfigurationParams {
  /** The `octue.yaml` service entry (`services[0]`), if there is a file. */
  readonly file?: Readonly<Record<string, unknown>>;
  /** The file's path; its directory anchors the file's relative paths. */
  readonly filePath?: string;
  /** The environment; nothing is read from `process.env` unless it is passed here. */
  readonly env?: ConfigurationEnvironment;
  /** Values passed in code. */
  readonly overrides?: ServiceConfigurationOverrides;
  /** The working directory, which anchors relative paths from the environment and code (default `process.cwd()`). */
  readonly cwd?: string;
}

/** A resolved configuration, where each option came from, and what is worth logging. */
export interface ResolvedServiceConfiguration {
  /** The configuration. */
  readonly configuration: ServiceConfiguration;
  /** Where each option's value came from. */
  readonly origins: { readonly [K in keyof ServiceConfiguration]: OptionOrigin | 'default' };
  /** Overrides and unused keys, to log. */
  readonly notices: readonly ConfigurationNotice[];
  /** The configuration file used, if any (absolute). */
  readonly path: string | undefined;
}

interface Candidate {
  readonly raw: unknown;
  readonly origin: OptionOrigin;
  readonly pointer: string;
}

function candidateFor(
  key: string,
  spec: OptionSpec<unknown>,
  params: ResolveServiceConfigurationParams,
): Candidate | undefined {
  const override = (params.overrides as Record<string, unknown> | undefined)?.[key];
  if (override !== undefined) {
    return { raw: override, origin: 'code', pointer: `/overrides/${key}` };
  }
  const fromEnv = spec.envVar === undefined ? undefined : params.env?.[spec.envVar];
  // Empty variables count as unset, as for Octue's service-id overrides.
  if (spec.envVar !== undefined && fromEnv !== undefined && fromEnv !== '') {
    return { raw: fromEnv, origin: 'env', pointer: `/env/${spec.envVar}` };
  }
  const fromFile = spec.fileKey === undefined ? undefined : params.file?.[spec.fileKey];
  if (spec.fileKey !== undefined && fromFile !== undefined && fromFile !== null) {
    return { raw: fromFile, origin: 'file', pointer: `/services/0/${spec.fileKey}` };
  }
  return undefined;
}

function where(spec: OptionSpec<unknown>, key: string): string {
  const ways = [
    spec.fileKey === undefined ? undefined : `'${spec.fileKey}' in octue.yaml`,
    spec.envVar === undefined ? undefined : `the ${spec.envVar} environment variable`,
    `the '${key}' option in code`,
  ].filter((way): way is string => way !== undefined);
  return ways.join(', ');
}

/**
 * Resolves a service configuration from the option table: for each option the value passed in code, else its
 * environment variable, else its `octue.yaml` key, else its default, each checked by the option's parser. Relative
 * paths from the file are resolved against the file's directory, others against `cwd`.
 * @param params - The file entry, environment and code values.
 * @returns The configuration, the origin of each option and the notices to log.
 * @throws InvalidServiceConfiguration listing every missing or invalid option (with pointers `/services/0/<key>`,
 *   `/env/<VARIABLE>` or `/overrides/<option>`).
 */
export function resolveServiceConfiguration(params: ResolveServiceConfigurationParams): ResolvedServiceConfiguration {
  const cwd = params.cwd ?? process.cwd();
  const path = params.filePath === undefined ? undefined : resolve(cwd, params.filePath);
  const fileDirectory = path === undefined ? cwd : dirname(path);
  const failures: ValidationFailure[] = [];
  const notices: ConfigurationNotice[] = [];
  const values: Record<string, unknown> = {};
  const origins: Record<string, OptionOrigin | 'default'> = {};

  for (const [key, option] of Object.entries(SERVICE_OPTIONS)) {
    const spec = option as OptionSpec<unknown>;
    const candidate = candidateFor(key, spec, params);
    if (candidate === undefined) {
      if (spec.required) {
        const pointer = spec.fileKey === undefined ? `/env/${spec.envVar ?? key}` : `/services/0/${spec.fileKey}`;
        failures.push({
          pointer,
          message: `${spec.summary} is required: give ${where(spec, key)}`,
          keyword: 'required',
        });
      }
      values[key] = spec.defaultIsPath ? resolve(fileDirectory, spec.defaultValue as string) : spec.defaultValue;
      origins[key] = 'default';
      continue;
    }
    const directory = candidate.origin === 'file' ? fileDirectory : cwd;
    const parsed = spec.parse(candidate.raw, { origin: candidate.origin, directory });
    if (!parsed.ok) {
      failures.push({ pointer: candidate.pointer, message: `${spec.summary} ${parsed.problem}` });
      continue;
    }
    values[key] = parsed.value;
    origins[key] = candidate.origin;
    const fileValue = spec.fileKey === undefined ? undefined : params.file?.[spec.fileKey];
    if (candidate.origin === 'env' && fileValue !== undefined && fileValue !== candidate.raw) {
      notices.push({
        level: 'warning',
        message:
          `The ${spec.fileKey ?? key} in the service configuration ${JSON.stringify(fileValue)} has been overridden ` +
          `by the \`${spec.envVar ?? ''}\` environment variable ${JSON.stringify(candidate.raw)}.`,
      });
    }
  }

  if (failures.length > 0) {
    throw new InvalidServiceConfiguration(
      `The service configuration${path === undefined ? '' : ` '${path}'`} is invalid:`,
      { path, failures },
    );
  }
  return {
    configuration: values as unknown as ServiceConfiguration,
    origins: origins as ResolvedServiceConfiguration['origins'],
    notices,
    path,
  };
}

/** Inputs to {@link loadServiceConfiguration}. */
export interface LoadServiceConfigurationParams {
  /** The file; default `OCTUE_SERVICE_CONFIGURATION_PATH` from `env`, else `octue.yaml` (relative to `cwd`). */
  readonly path?: string;
  /** The environment; nothing is read from `process.env` unless it is passed here. */
  readonly env?: ConfigurationEnvironment;
  /** Values passed in code. */
  readonly overrides?: ServiceConfigurationOverrides;
  /** The working directory (default `process.cwd()`). */
  readonly cwd?: string;
  /** Resolve from the environment and code alone when the file does not exist (default false). */
  readonly allowNotFound?: boolean;
}

/**
 * Reads an `octue.yaml` file and resolves the service configuration from it, the environment and code values (see
 * {@link resolveServiceConfiguration}).
 * @param params - Where the file is, the environment and code values.
 * @returns The resolved configuration, with the file's notices first.
 * @throws ServiceConfigurationNotFound when the file cannot be read (unless `allowNotFound` and it does not exist);
 *   InvalidServiceConfiguration when it or an option is invalid.
 */
export function loadServiceConfiguration(params: LoadServiceConfigurationParams = {}): ResolvedServiceConfiguration {
  const cwd = params.cwd ?? process.cwd();
  const fromEnv = params.env?.[CONFIGURATION_PATH_OPTION.envVar];
  const path = resolve(cwd, params.path ?? (fromEnv || CONFIGURATION_PATH_OPTION.defaultValue));
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (params.allowNotFound && (error as NodeJS.ErrnoException).code === 'ENOENT') {
      return resolveServiceConfiguration({ env: params.env, overrides: params.overrides, cwd });
    }
    throw new ServiceConfigurationNotFound(path, error);
  }
  const { entry, notices } = parseOctueYaml(text, path);
  const resolved = resolveServiceConfiguration({
    file: entry,
    filePath: path,
    env: params.env,
    overrides: params.overrides,
    cwd,
  });
  return { ...resolved, notices: [...notices, ...resolved.notices] };
}

/**
 * Resolves a few options from the environment alone (their variables, else their defaults), for commands that ask
 * rather than serve and so have no service configuration, e.g. the location allowances of `skein ask`.
 * @param keys - The options to resolve.
 * @param params - The environment, and the directory relative paths are resolved against (default `process.cwd()`).
 * @returns The options' values.
 * @throws InvalidServiceConfiguration listing every invalid variable (pointers `/env/<VARIABLE>`).
 */
export function resolveEnvironmentOptions<K extends keyof ServiceConfiguration>(
  keys: readonly K[],
  params: { readonly env: ConfigurationEnvironment; readonly cwd?: string },
): Pick<ServiceConfiguration, K> {
  const directory = params.cwd ?? process.cwd();
  const failures: ValidationFailure[] = [];
  const values: Partial<Record<K, unknown>> = {};
  for (const key of keys) {
    const spec = SERVICE_OPTIONS[key] as OptionSpec<unknown>;
    const raw = spec.envVar === undefined ? undefined : params.env[spec.envVar];
    if (raw === undefined || raw === '') {
      values[key] = spec.defaultValue;
      continue;
    }
    const parsed = spec.parse(raw, { origin: 'env', directory });
    if (parsed.ok) values[key] = parsed.value;
    else failures.push({ pointer: `/env/${spec.envVar ?? key}`, message: `${spec.summary} ${parsed.problem}` });
  }
  if (failures.length > 0) throw new InvalidServiceConfiguration('The environment is invalid:', { failures });
  return values as Pick<ServiceConfiguration, K>;
}
