import type { ObjectStore } from '../core/ports/object-store';
import { LocationPolicy } from '../core/resources';

/**
 * What the manifests a service receives may name, beyond signed Cloud Storage URLs (always accepted): the same three
 * settings (`allowed_local_roots`, `allowed_url_hosts`, `allowed_buckets`) apply to the input manifests of questions a
 * service answers and to the output manifests of answers its children send. Every field defaults to the safe choice.
 */
export interface LocationAllowances {
  /**
   * Directories local paths (and `file://` URLs) may be in, after symlinks are resolved. Default none: no message can
   * make this process read its own files. In-process trees allow exactly the directories their messages name.
   */
  readonly allowedLocalRoots?: readonly string[];
  /** Hosts (`host` or `host:port`) whose unsigned `http(s)://` URLs may be fetched. Default none. */
  readonly allowedUrlHosts?: readonly string[];
  /** Buckets `gs://` paths may name; default any (the credentials are the limit). */
  readonly allowedBuckets?: readonly string[];
}

/**
 * Makes the location policy for manifests received over the wire: the allowances given, plus the URLs the object
 * store signs (its `signedUrlBase`), so a tree on a GCS-compatible server or a local store works without allowing
 * any other host.
 * @param allowances - The allowed local roots, URL hosts and buckets.
 * @param store - The object store whose signed URLs are accepted, if any.
 * @returns The policy.
 */
export function locationPolicyFor(allowances: LocationAllowances, store: ObjectStore | undefined): LocationPolicy {
  const signedUrlBase = store?.signedUrlBase;
  return new LocationPolicy({
    allowedLocalRoots: allowances.allowedLocalRoots,
    allowedUrlHosts: allowances.allowedUrlHosts,
    allowedBuckets: allowances.allowedBuckets,
    storageEndpoints: signedUrlBase === undefined ? [] : [signedUrlBase],
  });
}
