import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import type { protos } from '@google-cloud/secret-manager';

import { Crc32c } from '../../core/hashing/crc32c';
import type { SecretSource } from '../../core/ports/secrets';
import { InvalidInputException, SecretAccessError } from '../../errors';
import { classifySecretFailure } from './client-errors';
import type { SecretFailure } from './client-errors';

/** The Secret Manager client's own options (endpoint, transport, credentials, …). */
type SecretManagerClientOptions = NonNullable<ConstructorParameters<typeof SecretManagerServiceClient>[0]>;

/**
 * Options for {@link SecretManagerSource}: the project the secrets live in, plus any option of the official client,
 * passed through unchanged — e.g. `apiEndpoint` and `port` for another endpoint, `fallback: true` (with
 * `protocol: 'http'`) for its REST transport instead of gRPC, `credentials` / `keyFilename` for a service account.
 */
export interface SecretManagerSourceOptions extends SecretManagerClientOptions {
  /** The Google Cloud project whose secrets are read (id or number), e.g. `my-project`. */
  readonly projectId: string;
}

/** What the client resolves an access request with. */
type AccessResponse = protos.google.cloud.secretmanager.v1.IAccessSecretVersionResponse;

/** Secret ids Secret Manager accepts; anything else would change the resource path, so it is refused up front. */
const SECRET_ID = /^[A-Za-z0-9_-]{1,255}$/;

/** A decoder that fails on bytes that are not UTF-8, so a binary secret is reported rather than silently mangled. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads credentials from Google Cloud Secret Manager, as Octue's Runner does: each from
 * `projects/<project>/secrets/<NAME>/versions/latest`, through the official client. A secret that does not exist
 * reads as `undefined` (the twine's credential check then names it); the payload's CRC32C is checked when Secret
 * Manager sends one; every other failure is a {@link SecretAccessError} with the client's error as `cause`.
 *
 * @example
 * ```ts
 * const secretSource = new SecretManagerSource({ projectId: 'my-project' });
 * const runner = new Runner({ app, twine, secretSource });
 * // …
 * await secretSource.close();
 * ```
 */
export class SecretManagerSource implements SecretSource {
  /** The project whose secrets are read. */
  readonly projectId: string;
  /** The underlying client. */
  readonly client: SecretManagerServiceClient;
  private closed = false;

  /**
   * @param options - The project, and any options for the official client.
   * @throws InvalidInputException when `projectId` is missing, empty or not a single path segment.
   */
  constructor(options: SecretManagerSourceOptions) {
    const projectId: unknown = options?.projectId;
    if (typeof projectId !== 'string' || projectId.trim() === '' || projectId.includes('/')) {
      throw new InvalidInputException(
        `SecretManagerSource needs the Google Cloud project whose secrets it reads; got projectId ${JSON.stringify(projectId)}. ` +
          "Pass it as 'projectId' (e.g. the service's project from its configuration).",
      );
    }
    this.projectId = projectId;
    this.client = new SecretManagerServiceClient(options);
  }

  /**
   * Reads the latest version of a secret.
   * @param name - The secret's id, e.g. `MYAPI_SECRET_KEY`.
   * @returns The secret's value as UTF-8 text, or `undefined` when Secret Manager has no such secret (or version).
   * @throws InvalidInputException when `name` is not a valid secret id (letters, digits, `_` and `-`; 1–255).
   * @throws SecretAccessError when the secret cannot be read (permission denied, unavailable, disabled version), its
   *   payload fails its CRC32C check, it is not UTF-8 text, or the source was closed.
   */
  async getSecret(name: string): Promise<string | undefined> {
    if (typeof name !== 'string' || !SECRET_ID.test(name)) {
      throw new InvalidInputException(
        `${JSON.stringify(name)} is not a valid Secret Manager secret id: use 1 to 255 letters, digits, '_' or '-'.`,
      );
    }
    const context = { secretName: name, projectId: this.projectId };
    if (this.closed) {
      // The client only marks itself closed once it has connected, so an unused source is refused here too.
      throw new SecretAccessError(
        `Cannot read secret '${name}': this SecretManagerSource (project '${this.projectId}') was closed. Make a new one.`,
        context,
      );
    }
    const response = await this.accessLatest(name);
    if (response === undefined) return undefined;
    const { payload } = response;
    if (payload?.data === undefined || payload.data === null) {
      throw new SecretAccessError(
        `Secret Manager returned no payload for secret '${name}' in project '${this.projectId}'.`,
        context,
      );
    }
    const data = typeof payload.data === 'string' ? Buffer.from(payload.data, 'base64') : payload.data;
    checkChecksum(data, payload.dataCrc32c, context);
    try {
      return utf8.decode(data);
    } catch (error) {
      throw new SecretAccessError(
        `Secret '${name}' in project '${this.projectId}' is not UTF-8 text, so it cannot be used as a credential.`,
        { ...context, cause: error },
      );
    }
  }

  /**
   * Asks Secret Manager for the secret's latest version.
   * @returns The response, or `undefined` when there is no such secret or version (NOT_FOUND).
   * @throws SecretAccessError for any other failure.
   */
  private async accessLatest(name: string): Promise<AccessResponse | undefined> {
    try {
      const [response] = await this.client.accessSecretVersion({
        name: this.client.secretVersionPath(this.projectId, name, 'latest'),
      });
      return response;
    } catch (error) {
      const failure = classifySecretFailure(error);
      if (failure.kind === 'not-found') return undefined;
      throw new SecretAccessError(accessFailureMessage(name, this.projectId, failure), {
        secretName: name,
        projectId: this.projectId,
        cause: error,
      });
    }
  }

  /** Closes the client's connections; reading a secret afterwards throws SecretAccessError. */
  async close(): Promise<void> {
    this.closed = true;
    await this.client.close();
  }
}

/**
 * Checks the payload against the CRC32C Secret Manager computed when the version was added (an int64, which the
 * client hands over as a decimal string, a number or a Long). Versions added without one carry none.
 */
function checkChecksum(
  data: Uint8Array,
  expected: { toString(): string } | null | undefined,
  context: { secretName: string; projectId: string },
): void {
  if (expected === undefined || expected === null) return;
  const hasher = new Crc32c();
  hasher.update(data);
  const actual = String(hasher.digest());
  if (actual !== expected.toString()) {
    throw new SecretAccessError(
      `Secret '${context.secretName}' in project '${context.projectId}' arrived corrupted: its CRC32C is ${actual} ` +
        `but Secret Manager reported ${expected.toString()}. Try again; if it persists, add a new version of the secret.`,
      context,
    );
  }
}

/** Says why a secret could not be read, with the fix for a denied permission. */
function accessFailureMessage(name: string, projectId: string, failure: SecretFailure): string {
  const { reason } = failure;
  if (failure.kind === 'permission-denied') {
    return (
      `Permission to read secret '${name}' in project '${projectId}' was denied: ${reason} ` +
      "Grant the service's account the Secret Manager Secret Accessor role (roles/secretmanager.secretAccessor)."
    );
  }
  return `Could not read secret '${name}' from Secret Manager in project '${projectId}': ${reason}`;
}
