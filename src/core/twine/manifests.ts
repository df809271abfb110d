import { InvalidManifestContents } from '../../errors';
import type { ValidationFailure } from '../../errors';
import { validateManifestSchema } from '../generated/twine-validators';
import { joinPointer, validateWithPrecompiled, validateWithSchema } from '../json-schema';
import { datasetOf, isManifestLike, plainTags } from './manifest-like';
import type { DatafileLike, ManifestLike } from './manifest-like';
import { loadJsonSource } from './sources';
import type { ManifestStrand } from './strands';
import type { ManifestStrandSpecification } from './types';

/** Manifest strands whose files' tags are checked against their dataset's `file_tags_template` (as Octue does). */
const TAG_CHECKED_STRANDS: ReadonlySet<ManifestStrand> = new Set(['configuration_manifest', 'input_manifest']);

type ManifestData = { readonly datasets: Readonly<Record<string, unknown>> };

function checkShape(strand: ManifestStrand, data: unknown): ManifestData {
  const result = validateWithPrecompiled(validateManifestSchema, data);
  if (!result.valid) {
    throw new InvalidManifestContents(`The ${strand} is not a valid manifest (Octue manifest 0.1.0 shape).`, {
      strand,
      failures: result.failures,
      cause: result.errors,
    });
  }
  return data as ManifestData;
}

function checkExpectedDatasets(strand: ManifestStrand, spec: ManifestStrandSpecification, data: ManifestData): void {
  const missing = Object.entries(spec.datasets)
    .filter(([key, dataset]) => dataset.optional !== true && !Object.prototype.hasOwnProperty.call(data.datasets, key))
    .map(([key]) => key);
  if (missing.length > 0) {
    throw new InvalidManifestContents(
      missing.map((key) => `A dataset named '${key}' is expected in the ${strand} but is missing.`).join(' '),
      {
        strand,
        failures: missing.map((key) => ({
          pointer: joinPointer('/datasets', key),
          message: `is expected by the twine's ${strand} strand but is missing`,
          keyword: 'required',
        })),
      },
    );
  }
}

/** A file whose tags are checked, with its position in its dataset's file list. */
interface IndexedFile {
  readonly index: number;
  readonly file: DatafileLike;
}

function lastSegment(path: string): string {
  return path.split('/').pop() ?? path;
}

// Files of a manifest instance come from its datasets; files of manifest data are the serialised file objects that
// carry tags (path strings have none to check), named by the last segment of their path.
function filesOf(manifest: ManifestLike | undefined, data: ManifestData, key: string): IndexedFile[] {
  if (manifest !== undefined) {
    return [...(datasetOf(manifest, key)?.files ?? [])].map((file, index) => ({ index, file }));
  }
  const dataset = data.datasets[key];
  const files = typeof dataset === 'object' && dataset !== null ? (dataset as { files?: unknown }).files : undefined;
  return (Array.isArray(files) ? (files as unknown[]) : []).flatMap((file, index) => {
    if (typeof file !== 'object' || file === null || !('tags' in file)) {
      return [];
    }
    const { path, tags } = file as { path?: unknown; tags: Record<string, unknown> };
    return [{ index, file: { name: lastSegment(String(path ?? '')), tags } }];
  });
}

function checkFileTags(
  strand: ManifestStrand,
  spec: ManifestStrandSpecification,
  data: ManifestData,
  manifest: ManifestLike | undefined,
): void {
  const failures: ValidationFailure[] = [];
  const causes: unknown[] = [];
  const affected: string[] = [];
  for (const [key, dataset] of Object.entries(spec.datasets)) {
    const template = dataset.file_tags_template;
    if (template === undefined) {
      continue;
    }
    for (const { index, file } of filesOf(manifest, data, key)) {
      const result = validateWithSchema(template, plainTags(file.tags));
      if (result.valid) {
        continue;
      }
      affected.push(`'${file.name}' in dataset '${key}'`);
      causes.push(...result.errors);
      for (const failure of result.failures) {
        failures.push({
          ...failure,
          pointer: joinPointer('/datasets', key, 'files', index, 'tags') + failure.pointer,
          message: `${failure.message} (datafile '${file.name}' in dataset '${key}')`,
        });
      }
    }
  }
  if (failures.length > 0) {
    throw new InvalidManifestContents(
      `The tags of ${affected.length === 1 ? 'a datafile' : `${affected.length} datafiles`} in the ${strand} do not ` +
        `satisfy their dataset's file_tags_template. The affected datafile${affected.length === 1 ? ' is' : 's are'} ` +
        `${affected.join(', ')}. Add the missing properties to the datafiles as tags to fix this.`,
      { strand, failures, cause: causes },
    );
  }
}

/**
 * Validates a manifest for a manifest strand: its shape against the manifest schema, then that every non-optional
 * dataset the twine lists is present, then (configuration and input manifests only) every file's tags against its
 * dataset's `file_tags_template`.
 * @param strand - The manifest strand.
 * @param spec - The twine's entry for the strand.
 * @param source - A manifest instance (anything with `toPrimitive()`), manifest data, a JSON string or a `.json` path.
 * @returns The manifest instance itself, or the loaded manifest data.
 * @throws InvalidManifestJson or TwineFileNotFound when the source cannot be loaded.
 * @throws InvalidManifestContents (with every failing pointer) when any check fails.
 */
export function validateManifestData(
  strand: ManifestStrand,
  spec: ManifestStrandSpecification,
  source: unknown,
): unknown {
  const manifest = isManifestLike(source) ? source : undefined;
  const data = checkShape(strand, manifest === undefined ? loadJsonSource(source, strand) : manifest.toPrimitive());
  checkExpectedDatasets(strand, spec, data);
  if (TAG_CHECKED_STRANDS.has(strand)) {
    checkFileTags(strand, spec, data, manifest);
  }
  return manifest ?? data;
}
