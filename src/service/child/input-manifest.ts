import path from 'node:path';

import type { ManifestPrimitive } from '../../core/events';
import type { ObjectStore } from '../../core/ports/object-store';
import { Manifest, checkManifestLocations, isLocalLocation, manifestPrimitiveLocations } from '../../core/resources';
import { FileLocationError } from '../../errors';
import { locationPolicyFor } from '../location-allowances';

/** Options of {@link loadInputManifest}. */
export interface InputManifestOptions {
  /** Whether local paths (and `file://` URLs) may be sent, for a child that reads this machine's files. */
  readonly allowLocalFiles: boolean;
  /** The store for loading `gs://` datasets; its signed URLs are accepted too. */
  readonly objectStore?: ObjectStore;
  /** Hosts whose unsigned `http(s)://` URLs may be fetched while loading a manifest primitive (default none). */
  readonly allowedUrlHosts?: readonly string[];
}

/**
 * Loads a question's input manifest and refuses local data unless it is allowed: the child runs elsewhere and can
 * only read what is in the cloud (Octue's `allow_local_files` check, made before anything is published). The check
 * is made on what would be sent, before a primitive is loaded: a `file://` URL counts as local, as does a dataset
 * given as a local directory. A primitive is then loaded under a location policy, so loading it fetches no URL but
 * signed Cloud Storage URLs (and those of `allowedUrlHosts`).
 * @param input - A Manifest, its primitive, or nothing.
 * @param options - Whether local files are allowed, the store for loading `gs://` datasets, and allowed URL hosts.
 * @returns The manifest, or `undefined` when there is none.
 * @throws FileLocationError when a dataset or file is local and `allowLocalFiles` is false; UrlHostNotAllowed for an
 *   unsigned URL at a host not allowed; loading errors of the manifest's datasets (e.g. `InvalidManifestException`).
 */
export async function loadInputManifest(
  input: Manifest | ManifestPrimitive | null | undefined,
  options: InputManifestOptions,
): Promise<Manifest | undefined> {
  if (input === undefined || input === null) return undefined;
  if (input instanceof Manifest) {
    if (!options.allowLocalFiles) refuseLocalLocations(input.toPrimitive(), input);
    return input;
  }
  if (!options.allowLocalFiles) refuseLocalLocations(input);
  const store = options.objectStore;
  const locationPolicy = locationPolicyFor(
    {
      // With local files allowed, any local path may be loaded: they are the asking code's own files.
      allowedLocalRoots: options.allowLocalFiles ? [path.parse(process.cwd()).root] : [],
      allowedUrlHosts: options.allowedUrlHosts,
    },
    store,
  );
  await checkManifestLocations(input, locationPolicy);
  return Manifest.fromPrimitive(input, store === undefined ? { locationPolicy } : { store, locationPolicy });
}

// What is sent decides: a dataset's path (or its files' paths when a file list defines it). A loaded manifest's
// datasets must also have every file in the cloud, as Octue requires.
function refuseLocalLocations(primitive: unknown, manifest?: Manifest): void {
  const keys = new Set(
    manifestPrimitiveLocations(primitive)
      .filter(([, location]) => isLocalLocation(location))
      .map(([key]) => `'${key}'`),
  );
  for (const [key, dataset] of Object.entries(manifest?.datasets ?? {})) {
    if (!dataset.allFilesAreInCloud) keys.add(`'${key}'`);
  }
  if (keys.size === 0) return;
  throw new FileLocationError(
    `The input manifest's dataset(s) ${[...keys].join(', ')} have files that are not in the cloud. Upload every ` +
      'dataset and file to the cloud and update the manifest with their cloud locations before asking a service to ' +
      'analyse them, or pass allowLocalFiles: true if the child can read these local files.',
  );
}

/**
 * Serialises an input manifest for the question, first replacing each cloud dataset's path with a signed URL so the
 * child can read it without access to the bucket (done in place, as Octue does; datasets already at URLs and local
 * datasets are left as they are).
 * @param manifest - The loaded manifest.
 * @param objectStore - The store that signs the URLs; default the store the datasets were loaded with.
 * @returns The manifest's primitive.
 * @throws The store's errors, e.g. `UrlSigningFailed`; InvalidInputException when a cloud dataset has no store.
 */
export async function signedManifestPrimitive(
  manifest: Manifest,
  objectStore: ObjectStore | undefined,
): Promise<ManifestPrimitive> {
  await manifest.useSignedUrlsForDatasets(objectStore === undefined ? {} : { store: objectStore });
  const { id, name, datasets } = manifest.toPrimitive();
  return { id, name, datasets };
}
