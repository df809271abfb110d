import type { ManifestPrimitive } from '../../core/events';
import type { ObjectStore } from '../../core/ports/object-store';
import { Manifest } from '../../core/resources';
import { FileLocationError } from '../../errors';

/**
 * Loads a question's input manifest and refuses local data unless it is allowed: the child runs elsewhere and can
 * only read what is in the cloud (Octue's `allow_local_files` check, made before anything is published).
 * @param input - A Manifest, its primitive, or nothing.
 * @param options - Whether local files are allowed, and the store for loading `gs://` datasets.
 * @returns The manifest, or `undefined` when there is none.
 * @throws FileLocationError when a dataset or file is local and `allowLocalFiles` is false; loading errors of the
 *   manifest's datasets (e.g. `InvalidManifestException`).
 */
export async function loadInputManifest(
  input: Manifest | ManifestPrimitive | null | undefined,
  options: { allowLocalFiles: boolean; objectStore?: ObjectStore },
): Promise<Manifest | undefined> {
  if (input === undefined || input === null) return undefined;
  const store = options.objectStore;
  const manifest =
    input instanceof Manifest ? input : await Manifest.fromPrimitive(input, store === undefined ? {} : { store });
  if (!options.allowLocalFiles && !manifest.allDatasetsAreInCloud) {
    const local = Object.entries(manifest.datasets)
      .filter(([, dataset]) => !dataset.allFilesAreInCloud)
      .map(([key]) => `'${key}'`);
    throw new FileLocationError(
      `The input manifest's dataset(s) ${local.join(', ')} have files that are not in the cloud. Upload every dataset ` +
        'and file to the cloud and update the manifest with their cloud locations before asking a service to analyse ' +
        'them, or pass allowLocalFiles: true if the child can read these local files.',
    );
  }
  return manifest;
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
