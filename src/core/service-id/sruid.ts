import { randomUUID } from 'node:crypto';

import { InvalidServiceID } from '../../errors';
import { generateSlug } from './slug';

/**
 * Service ids and service revision unique identifiers (SRUIDs), as Octue defines them:
 * `<namespace>/<name>` and `<namespace>/<name>:<revision_tag>`.
 *
 * The patterns accept the same namespaces and names as Octue (`([a-z0-9])+(-([a-z0-9])+)*`), written without
 * nested quantifiers so that long invalid input cannot make the regular expression backtrack exponentially.
 *
 * Revision tags deliberately differ from Octue in one quirk: Octue's character class `[A-z0-9_]` also admits the six
 * ASCII characters between `Z` and `a` (`` [\]^_` ``). Skein accepts only `[A-Za-z0-9_]` (plus inner `.`/`-`), which
 * is the Docker tag format Octue documents. A tag with those characters could not name a container image or a
 * Pub/Sub subscription, so no working Octue service can have one.
 */

/** The namespace given to services that are not given one (Octue's `DEFAULT_NAMESPACE`). */
export const DEFAULT_NAMESPACE = 'default';

/** The SRUID a Child uses for itself when asking questions without its own service (Octue's `local/local:local`). */
export const LOCAL_SRUID = 'local/local:local';

/** The longest revision tag allowed (the Docker tag limit). */
export const MAX_REVISION_TAG_LENGTH = 128;

const NAMESPACE_OR_NAME = '[a-z0-9]+(?:-[a-z0-9]+)*';
const REVISION_TAG = '[A-Za-z0-9_]+(?:[-.]+[A-Za-z0-9_]+)*';
const NAMESPACE_OR_NAME_PATTERN = new RegExp(`^${NAMESPACE_OR_NAME}$`);
const REVISION_TAG_PATTERN = new RegExp(`^${REVISION_TAG}$`);
const SERVICE_ID_PATTERN = new RegExp(`^(${NAMESPACE_OR_NAME})/(${NAMESPACE_OR_NAME})(?::(.*))?$`);

const KEBAB_RULE =
  'It must be lower kebab case (only the letters a-z, the digits 0-9 and hyphens) and not begin or end with a hyphen.';
const TAG_RULE =
  'It can contain letters, digits, underscores, periods and hyphens, must begin and end with a letter, digit or ' +
  `underscore, and can be at most ${MAX_REVISION_TAG_LENGTH} characters long (the Docker tag format).`;

/** The parts of a service id; `revisionTag` is `undefined` for a tagless id (`namespace/name`). */
export interface ServiceIdParts {
  /** The group the service belongs to, e.g. `octue`. */
  readonly namespace: string;
  /** The service's name, e.g. `my-service`. */
  readonly name: string;
  /** The revision tag, e.g. `0.1.7`; `undefined` when the id has none. */
  readonly revisionTag: string | undefined;
}

/** The parts of an SRUID, which always has a revision tag. */
export interface SruidParts extends ServiceIdParts {
  /** The revision tag, e.g. `0.1.7`. */
  readonly revisionTag: string;
}

/**
 * Checks a namespace.
 * @param namespace - e.g. `octue`.
 * @throws InvalidServiceID when it is not lower kebab case.
 */
export function validateNamespace(namespace: string): void {
  if (!NAMESPACE_OR_NAME_PATTERN.test(namespace)) {
    throw new InvalidServiceID(`'${namespace}' is not a valid namespace for a service. ${KEBAB_RULE}`);
  }
}

/**
 * Checks a service name.
 * @param name - e.g. `my-service`.
 * @throws InvalidServiceID when it is not lower kebab case.
 */
export function validateName(name: string): void {
  if (!NAMESPACE_OR_NAME_PATTERN.test(name)) {
    throw new InvalidServiceID(`'${name}' is not a valid name for a service. ${KEBAB_RULE}`);
  }
}

/**
 * Checks a revision tag.
 * @param revisionTag - e.g. `1.9.4_beta`.
 * @throws InvalidServiceID when it is too long or has characters or an edge outside the Docker tag format.
 */
export function validateRevisionTag(revisionTag: string): void {
  // The length is checked first so that the pattern only ever sees short input.
  if (revisionTag.length > MAX_REVISION_TAG_LENGTH) {
    throw new InvalidServiceID(
      `The maximum length for a revision tag is ${MAX_REVISION_TAG_LENGTH} characters; received one of ` +
        `${revisionTag.length} characters ('${revisionTag.slice(0, 20)}…').`,
    );
  }
  if (!REVISION_TAG_PATTERN.test(revisionTag)) {
    throw new InvalidServiceID(`'${revisionTag}' is not a valid revision tag for a service. ${TAG_RULE}`);
  }
}

/**
 * Splits a service id (`namespace/name`) or SRUID (`namespace/name:revision_tag`) into its validated parts.
 * @param serviceId - The id to split.
 * @param options - `requireRevisionTag`: reject tagless ids (i.e. require an SRUID).
 * @returns The namespace, name and revision tag (`undefined` when there is none).
 * @throws InvalidServiceID when the id or any of its parts is malformed, or has no tag while one is required.
 */
export function parseServiceId(serviceId: string, options: { requireRevisionTag?: boolean } = {}): ServiceIdParts {
  const match = SERVICE_ID_PATTERN.exec(serviceId);
  if (match === null) {
    throw new InvalidServiceID(
      `'${serviceId}' is not a valid service id. It must be <namespace>/<name> or <namespace>/<name>:<revision_tag>; ` +
        `the namespace and name must be lower kebab case (only a-z, 0-9 and hyphens, not beginning or ending with a ` +
        `hyphen). ${TAG_RULE}`,
      { serviceId },
    );
  }
  const [, namespace = '', name = '', revisionTag] = match;
  if (revisionTag === undefined) {
    if (options.requireRevisionTag === true) {
      throw new InvalidServiceID(
        `'${serviceId}' has no revision tag: a service revision unique identifier (SRUID) must be ` +
          `<namespace>/<name>:<revision_tag>.`,
        { serviceId },
      );
    }
    return { namespace, name, revisionTag: undefined };
  }
  try {
    validateRevisionTag(revisionTag);
  } catch (error) {
    throw new InvalidServiceID(`'${serviceId}' is not a valid SRUID: ${(error as Error).message}`, {
      serviceId,
      cause: error,
    });
  }
  return { namespace, name, revisionTag };
}

/**
 * Splits an SRUID (`namespace/name:revision_tag`) into its validated parts.
 * @param sruid - The SRUID.
 * @returns The namespace, name and revision tag.
 * @throws InvalidServiceID when the SRUID is malformed or has no revision tag.
 */
export function parseSruid(sruid: string): SruidParts {
  return parseServiceId(sruid, { requireRevisionTag: true }) as SruidParts;
}

/**
 * Checks an SRUID.
 * @param sruid - The SRUID.
 * @throws InvalidServiceID when it is malformed or has no revision tag.
 */
export function validateSruid(sruid: string): void {
  parseSruid(sruid);
}

/**
 * Whether a string is a valid SRUID.
 * @param value - The candidate.
 * @returns `true` for a well-formed `namespace/name:revision_tag`.
 */
export function isValidSruid(value: string): boolean {
  try {
    parseSruid(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Joins validated parts into a service id or SRUID.
 * @param parts - The namespace, name and optional revision tag.
 * @returns `namespace/name:revision_tag`, or `namespace/name` when there is no tag.
 * @throws InvalidServiceID when any part is malformed.
 */
export function formatServiceId(parts: ServiceIdParts): string {
  validateNamespace(parts.namespace);
  validateName(parts.name);
  if (parts.revisionTag === undefined) {
    return `${parts.namespace}/${parts.name}`;
  }
  validateRevisionTag(parts.revisionTag);
  return `${parts.namespace}/${parts.name}:${parts.revisionTag}`;
}

/** Parts for {@link createSruid}; each one left out gets a default. */
export interface CreateSruidOptions {
  /** Defaults to {@link DEFAULT_NAMESPACE}. */
  readonly namespace?: string;
  /** Defaults to a fresh UUID4. */
  readonly name?: string;
  /** Defaults to a random two-word slug such as `brave-otter`. */
  readonly revisionTag?: string;
}

/**
 * Creates a valid SRUID, filling in missing parts as Octue's `create_sruid` does: `default/<uuid4>:<two-word slug>`.
 * @param options - Any parts to use instead of the defaults (empty strings count as missing, as in Octue).
 * @returns The SRUID.
 * @throws InvalidServiceID when a given part is malformed.
 */
export function createSruid(options: CreateSruidOptions = {}): string {
  const namespace = options.namespace || DEFAULT_NAMESPACE;
  const name = options.name || randomUUID();
  const revisionTag = options.revisionTag || generateSlug();
  return formatServiceId({ namespace, name, revisionTag });
}
