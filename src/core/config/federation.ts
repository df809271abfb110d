import { formatCloudPath, parseCloudPath } from '../gs-path';
import type { ServiceConfiguration } from './options';

/** Where, in a bucket, federation mailboxes live unless configured otherwise. */
export const FEDERATION_DIRECTORY = '.skein/federation';

/**
 * The federation mailbox root a service uses: the configured one, else {@link FEDERATION_DIRECTORY} in the bucket of
 * its claims location, else of its output location. Mailboxes need nothing but a bucket the service already writes,
 * so a deployed service needs no extra resource; the claims bucket comes first because it is the deployment's own
 * (never handed out to parents), while output buckets may be shared with them.
 * @param configuration - The service configuration.
 * @returns The `gs://` directory, or `undefined` when no bucket is configured at all.
 */
export function federationMailboxRoot(
  configuration: Pick<ServiceConfiguration, 'federationMailboxRoot' | 'claimsLocation' | 'outputLocation'>,
): string | undefined {
  if (configuration.federationMailboxRoot !== undefined) return configuration.federationMailboxRoot;
  const base = configuration.claimsLocation ?? configuration.outputLocation;
  return base === undefined ? undefined : formatCloudPath(parseCloudPath(base).bucket, FEDERATION_DIRECTORY);
}
