/** Environment variable that overrides the service configuration's namespace. */
export const SERVICE_NAMESPACE_ENV = 'OCTUE_SERVICE_NAMESPACE';
/** Environment variable that overrides the service configuration's name. */
export const SERVICE_NAME_ENV = 'OCTUE_SERVICE_NAME';
/** Environment variable that gives the service's revision tag (the configuration file cannot). */
export const SERVICE_REVISION_TAG_ENV = 'OCTUE_SERVICE_REVISION_TAG';

/** An environment to read from: `process.env` in entry points, a plain object in tests. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Inputs to {@link resolveSruidParts}. */
export interface ResolveSruidPartsParams {
  /** The namespace and name from the service configuration (`octue.yaml`). */
  readonly configuration: { readonly namespace: string; readonly name: string };
  /** The environment holding any `OCTUE_SERVICE_*` overrides. */
  readonly env: Environment;
  /** A revision tag given explicitly (the CLI's `--revision-tag`); it beats the environment. */
  readonly revisionTag?: string;
}

/** The resolved parts, plus a note for each override so the caller can log it. */
export interface ResolvedSruidParts {
  /** The namespace to use. */
  readonly namespace: string;
  /** The name to use. */
  readonly name: string;
  /** The revision tag to use; `undefined` when none was given (then a slug is generated, see `createSruid`). */
  readonly revisionTag: string | undefined;
  /** Overrides that happened, with the texts Octue logs (namespace/name ones are warnings, the tag one is info). */
  readonly notices: readonly { readonly level: 'warning' | 'info'; readonly message: string }[];
}

/**
 * Picks the service's namespace, name and revision tag with Octue's precedence: `OCTUE_SERVICE_NAMESPACE` and
 * `OCTUE_SERVICE_NAME` beat the configuration; an explicit `revisionTag` beats `OCTUE_SERVICE_REVISION_TAG`; with
 * neither, the tag is left `undefined`. Empty variables count as unset. The parts are not validated here; pass them
 * to `createSruid`, which validates them and fills in a missing tag.
 * @param params - The configuration, the environment and any explicit revision tag.
 * @returns The parts and the notices to log (this module does no logging itself).
 */
export function resolveSruidParts(params: ResolveSruidPartsParams): ResolvedSruidParts {
  const { configuration, env } = params;
  const notices: { level: 'warning' | 'info'; message: string }[] = [];
  const namespaceOverride = env[SERVICE_NAMESPACE_ENV];
  const nameOverride = env[SERVICE_NAME_ENV];
  const tagFromEnv = env[SERVICE_REVISION_TAG_ENV];

  let namespace = configuration.namespace;
  if (namespaceOverride && namespaceOverride !== configuration.namespace) {
    notices.push({
      level: 'warning',
      message:
        `The namespace in the service configuration '${configuration.namespace}' has been overridden by the ` +
        `\`${SERVICE_NAMESPACE_ENV}\` environment variable '${namespaceOverride}'.`,
    });
    namespace = namespaceOverride;
  }

  let name = configuration.name;
  if (nameOverride && nameOverride !== configuration.name) {
    notices.push({
      level: 'warning',
      message:
        `The name in the service configuration '${configuration.name}' has been overridden by the ` +
        `\`${SERVICE_NAME_ENV}\` environment variable '${nameOverride}'.`,
    });
    name = nameOverride;
  }

  let revisionTag: string | undefined;
  if (params.revisionTag) {
    revisionTag = params.revisionTag;
  } else if (tagFromEnv) {
    notices.push({
      level: 'info',
      message: `Service revision tag '${tagFromEnv}' provided by \`${SERVICE_REVISION_TAG_ENV}\` environment variable.`,
    });
    revisionTag = tagFromEnv;
  }

  return { namespace, name, revisionTag, notices };
}
