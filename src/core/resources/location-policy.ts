import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { BucketNotAllowed, LocalPathNotAllowed, UrlHostNotAllowed } from '../../errors';
import { isCloudPath, parseCloudPath } from '../gs-path';

/** The origin of Google Cloud Storage's XML API, where signed URLs point (`https://storage.googleapis.com/<bucket>/…`). */
export const CLOUD_STORAGE_ORIGIN = 'https://storage.googleapis.com';

/** Options of a {@link LocationPolicy}; every field defaults to the safe choice for a deployed service. */
export interface LocationPolicyOptions {
  /**
   * Directories local paths and `file://` URLs may lie in, checked after resolving symlinks (of the roots too).
   * Default none: no local path is read, which is what a deployed service wants. In-process trees (the embedded
   * default, tests) name exactly the directories their parents send.
   */
  readonly allowedLocalRoots?: readonly string[];
  /**
   * Hosts whose `http(s)://` URLs may be fetched besides signed Cloud Storage URLs: `host` (default port only) or
   * `host:port`, compared case-insensitively. Default none.
   */
  readonly allowedUrlHosts?: readonly string[];
  /** Buckets `gs://` paths may name; default: any bucket (the service's credentials are the limit). */
  readonly allowedBuckets?: readonly string[];
  /**
   * Where the service's own object store signs URLs besides {@link CLOUD_STORAGE_ORIGIN}: an `http(s)` origin (a
   * GCS-compatible server) whose signed URLs are accepted, or a `file://` directory URL (the local object store) whose
   * files are accepted as `file://` URLs.
   */
  readonly storageEndpoints?: readonly string[];
}

// A URL signed by Cloud Storage carries its signature in the query: V4 (`X-Goog-Signature`) or V2 (`Signature` with
// `GoogleAccessId` and `Expires`). Anything else at the storage host is an unsigned request made with no credentials.
function isSignedQuery(url: URL): boolean {
  const query = url.searchParams;
  if (query.has('X-Goog-Signature') && query.has('X-Goog-Credential')) return true;
  return query.has('Signature') && query.has('GoogleAccessId') && query.has('Expires');
}

/** Whether `location` is on this machine: a plain path (absolute or relative) or a `file://` URL. */
export function isLocalLocation(location: string): boolean {
  return !isCloudPath(location) && !/^https?:\/\//i.test(location);
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

// The real path of `target`; for a path that does not exist (yet), the real path of its nearest existing ancestor
// joined with the rest, so a missing file under a symlinked directory is judged by where it would really be.
async function realPath(target: string): Promise<string> {
  const absolute = path.resolve(target);
  let existing = absolute;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await fs.realpath(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return absolute;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * Which locations a manifest received over the wire may name, checked before anything is read there: a question
 * must not make the service read its own files or fetch arbitrary URLs, nor may a child's answer make its parent.
 * Local paths and `file://` URLs must be under an allowed root (after symlinks are resolved); `http(s)://` URLs must be
 * signed Cloud Storage URLs (at {@link CLOUD_STORAGE_ORIGIN} or a configured storage endpoint) or at an allowed host;
 * `gs://` paths must name an allowed bucket when a list is given. The default policy refuses every local path and
 * every unsigned URL.
 *
 * @example
 * ```ts
 * const policy = new LocationPolicy({ allowedLocalRoots: ['/srv/shared-data'] });
 * await policy.check('/etc/passwd'); // throws LocalPathNotAllowed
 * ```
 */
export class LocationPolicy {
  private readonly localRoots: readonly string[];
  private readonly storeRoots: readonly string[];
  private readonly urlHosts: ReadonlySet<string>;
  private readonly buckets: ReadonlySet<string> | undefined;
  private readonly endpointOrigins: ReadonlySet<string>;
  private realRoots: Promise<{ local: string[]; store: string[] }> | undefined;

  /** @param options - Allowed local roots, URL hosts, buckets and storage endpoints (see {@link LocationPolicyOptions}). */
  constructor(options: LocationPolicyOptions = {}) {
    this.localRoots = (options.allowedLocalRoots ?? []).map((root) => path.resolve(root));
    this.urlHosts = new Set((options.allowedUrlHosts ?? []).map((host) => host.trim().toLowerCase()));
    this.buckets = options.allowedBuckets === undefined ? undefined : new Set(options.allowedBuckets);
    const endpoints = options.storageEndpoints ?? [];
    this.storeRoots = endpoints.filter((e) => e.startsWith('file:')).map((e) => fileURLToPath(e));
    this.endpointOrigins = new Set(endpoints.filter((e) => /^https?:\/\//i.test(e)).map((e) => new URL(e).origin));
  }

  /**
   * Checks one location (a local path, `file://` URL, `http(s)://` URL or `gs://` path) without reading it.
   * @param location - The location as the manifest gives it.
   * @throws LocalPathNotAllowed, UrlHostNotAllowed or BucketNotAllowed when the location is refused.
   */
  async check(location: string): Promise<void> {
    if (isCloudPath(location)) return this.checkBucket(location);
    if (/^https?:\/\//i.test(location)) return this.checkUrl(location);
    return this.checkLocal(location);
  }

  private checkBucket(location: string): void {
    if (this.buckets === undefined) return;
    let bucket: string | undefined;
    try {
      bucket = parseCloudPath(location).bucket;
    } catch {
      bucket = undefined;
    }
    if (bucket === undefined || !this.buckets.has(bucket)) {
      throw new BucketNotAllowed(
        `The manifest names '${location}', in bucket '${bucket ?? '(invalid)'}', which is not read from here. Use a ` +
          'bucket the receiving service allows (allowed_buckets) or a signed URL.',
        { location, bucket },
      );
    }
  }

  private checkUrl(location: string): void {
    let url: URL | undefined;
    try {
      url = new URL(location);
    } catch {
      url = undefined;
    }
    const host = url?.host.toLowerCase();
    // Credentials in a URL (`http://a@b/`) are never legitimate here and make the host easy to misread.
    if (url !== undefined && host !== undefined && url.username === '' && url.password === '') {
      if (this.urlHosts.has(host)) return;
      const cloudStorage =
        url.protocol === 'https:' && url.port === '' && /(^|\.)storage\.googleapis\.com$/.test(url.hostname);
      if ((cloudStorage || this.endpointOrigins.has(url.origin)) && isSignedQuery(url)) return;
    }
    throw new UrlHostNotAllowed(
      `The manifest names a URL at host '${host ?? '(unparsable)'}', which is neither a signed Cloud Storage URL nor ` +
        'a host the receiving service fetches from (allowed_url_hosts). Nothing was requested from it.',
      { location, host },
    );
  }

  private async checkLocal(location: string): Promise<void> {
    let filePath: string | undefined = location;
    const isFileUrl = /^file:/i.test(location);
    if (isFileUrl) {
      try {
        filePath = fileURLToPath(location);
      } catch {
        filePath = undefined;
      }
    }
    const roots = await this.resolvedRoots();
    const allowed = isFileUrl ? [...roots.local, ...roots.store] : roots.local;
    if (filePath !== undefined && allowed.length > 0) {
      const real = await realPath(filePath);
      if (allowed.some((root) => isInside(root, real))) return;
    }
    throw new LocalPathNotAllowed(
      `The manifest names the local location '${location}', which is not read here: manifests in questions and ` +
        'answers must name cloud locations (gs:// paths or signed URLs), or local paths under a root the receiving ' +
        'service allows (allowed_local_roots).',
      { location },
    );
  }

  // The roots' own symlinks are resolved once, so a root given through a symlink (e.g. /tmp on macOS) still matches.
  private resolvedRoots(): Promise<{ local: string[]; store: string[] }> {
    this.realRoots ??= (async () => ({
      local: await Promise.all(this.localRoots.map(realPath)),
      store: await Promise.all(this.storeRoots.map(realPath)),
    }))();
    return this.realRoots;
  }
}
