import { joinCloudPath } from '../core/gs-path';
import type { ObjectStore } from '../core/ports/object-store';
import { Dataset, Manifest } from '../core/resources';
import { generateSlug } from '../core/service-id';
import type { Twine } from '../core/twine';
import type { Logger } from './logging';

/**
 * Whether an app produced output values. Octue checks `if self.output_values:`, so the untouched `{}` the Runner
 * starts with counts as none; Skein also treats `undefined` and `null` as none but, unlike Python, keeps `0`, `false`,
 * `''` and `[]` as real outputs.
 * @param values - The analysis's output values.
 * @returns `true` when there are outputs to validate and send.
 */
export function hasOutputValues(values: unknown): boolean {
  if (values === undefined || values === null) return false;
  // Compared structurally, not with `=== Object.prototype`, so objects made in another realm (a VM context) count.
  const prototype = typeof values === 'object' ? (Object.getPrototypeOf(values) as object | null) : undefined;
  const isPlainObject =
    !Array.isArray(values) &&
    (prototype === null || (prototype !== undefined && Object.getPrototypeOf(prototype) === null));
  return !(isPlainObject && Object.keys(values as object).length === 0);
}

/**
 * The outputs an analysis starts with, as Octue's `Twine.prepare` makes them: `{}` for an output_values strand, and
 * for an output_manifest strand a manifest with one empty dataset per dataset key (path and name = the key).
 * @param twine - The service's twine.
 * @returns The initial outputs (`undefined` for strands the twine lacks).
 */
export function prepareOutputs(twine: Twine): { outputValues: unknown; outputManifest: Manifest | undefined } {
  const spec = twine.strands.output_manifest;
  return {
    outputValues: twine.availableStrands.has('output_values') ? {} : undefined,
    outputManifest:
      spec === undefined
        ? undefined
        : new Manifest({
            datasets: Object.fromEntries(
              Object.keys(spec.datasets).map((key) => [key, new Dataset({ path: key, name: key })]),
            ),
          }),
  };
}

/** What {@link finaliseOutputs} needs. */
export interface FinaliseOutputsParams {
  readonly twine: Twine;
  readonly outputValues: unknown;
  /** A Manifest, its primitive, or nothing. */
  readonly outputManifest: unknown;
  readonly outputLocation: string | undefined;
  readonly uploadTo: string | undefined;
  readonly useSignedUrls: boolean;
  readonly objectStore: ObjectStore | undefined;
  readonly logger: Logger;
  /** Called once the outputs are valid, before uploading. */
  readonly onValidated: () => void;
}

/**
 * Validates an analysis's outputs and uploads its output datasets (see `Analysis.finalise`).
 * @param params - The outputs, the twine and where to upload.
 * @returns The output manifest (loaded from its primitive when the app gave one), with updated dataset paths.
 */
export async function finaliseOutputs(params: FinaliseOutputsParams): Promise<Manifest | undefined> {
  const { twine, logger } = params;
  const produced = hasOutputValues(params.outputValues);
  logger.info(produced ? 'The analysis produced output values.' : "The analysis didn't produce output values.");
  let manifest: Manifest | undefined;
  if (params.outputManifest instanceof Manifest) {
    manifest = params.outputManifest;
  } else if (params.outputManifest !== undefined && params.outputManifest !== null) {
    manifest = await Manifest.fromPrimitive(params.outputManifest, { store: params.objectStore });
  }
  logger.info(
    manifest === undefined
      ? "The analysis didn't produce an output manifest."
      : 'The analysis produced an output manifest.',
  );

  // A string output is passed as its JSON text so the twine does not take it for a path or JSON source.
  const values = typeof params.outputValues === 'string' ? JSON.stringify(params.outputValues) : params.outputValues;
  twine.validate({ outputValues: produced ? values : null, outputManifest: manifest ?? null }, { useDefaults: false });
  params.onValidated();
  logger.info('Validated outputs against the twine.');

  if (manifest === undefined) return manifest;
  const destination =
    params.uploadTo ??
    (params.outputLocation === undefined ? undefined : joinCloudPath(params.outputLocation, generateSlug()));
  if (destination === undefined) {
    logger.info('No output location was set in the service configuration - output datasets are not uploaded.');
    return manifest;
  }
  logger.info('Beginning upload of output datasets to %s...', destination);
  for (const [key, dataset] of Object.entries(manifest.datasets)) {
    await dataset.upload({ store: params.objectStore, cloudPath: joinCloudPath(destination, key) });
  }
  if (params.useSignedUrls) {
    await manifest.useSignedUrlsForDatasets({ store: params.objectStore });
  }
  logger.info('Finished uploading output datasets to %s.', destination);
  return manifest;
}
