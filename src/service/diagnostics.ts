import { joinCloudPath } from '../core/gs-path';
import { decodeOctueJson, encodeOctueJson } from '../core/json/octue-json';
import { setOwnProperty } from '../core/json/own-property';
import type { ObjectStore } from '../core/ports/object-store';
import type { SecretRedactor } from '../core/redaction';
import { Dataset } from '../core/resources';
import type { LocationPolicy } from '../core/resources';
import { ResourceLocationNotAllowed } from '../errors';
import { generateSlug } from '../core/service-id';
import type { RecordedQuestion } from './children';
import type { Logger } from './logging';

/** The kinds of data diagnostics keep: values are saved as JSON, manifests with copies of their datasets. */
type DataKind = 'configuration' | 'input';

// A copy through Octue JSON (which keeps Sets and Dates): what is saved later is exactly what was added now.
function snapshot(value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  try {
    return decodeOctueJson(encodeOctueJson(value));
  } catch {
    return value;
  }
}

// Octue saves JSON strings as the data they hold (`_attempt_deserialise_json`), and other strings as they are.
function asData(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

/**
 * The crash diagnostics of one analysis, saved in Octue's layout so Octue's tools read them:
 * `<cloud path>/<analysis id>/` holds `configuration_values.json`, `configuration_manifest.json` (with its datasets
 * copied to `configuration_manifest_datasets/<key>/`), `input_values.json`, `input_manifest.json` (datasets in
 * `input_manifest_datasets/<key>/`) and `questions.json` (every question asked to a child, in order, with the events
 * received). Data is snapshotted when added, before the app can change it. Upload failures are logged, never thrown.
 * The input manifest's datasets are copied under the same location policy the question was loaded with, so
 * diagnostics never copy a file the question itself was not allowed to read (a refused dataset is left as the
 * reference the question sent, uncopied).
 * With a redactor, the analysis's secrets are removed from every JSON file written (values, manifests and the
 * questions with their events); the files of copied datasets are copied as they are (they are the question's and the
 * configuration's data, not something the analysis wrote).
 */
export class Diagnostics {
  /** The analysis the diagnostics belong to. */
  analysisId: string | undefined;
  private readonly data: Partial<Record<`${DataKind}_${'values' | 'manifest'}`, unknown>> = {};
  private readonly questions: RecordedQuestion[] = [];

  /**
   * @param params - The diagnostics directory (none: uploads are skipped with a warning), the store, a logger, what
   *   the input manifest's locations may be (default: unchecked) and the analysis's secrets (read when uploading, so
   *   secrets added after construction are redacted too).
   */
  constructor(
    private readonly params: {
      readonly cloudPath: string | undefined;
      readonly objectStore: ObjectStore | undefined;
      readonly logger: Logger;
      readonly inputLocations?: LocationPolicy;
      readonly redactor?: SecretRedactor;
    },
  ) {}

  /**
   * Adds data; values and manifests are copied now. Leaving a field out keeps what was added before.
   * @param data - The analysis id, configuration and inputs.
   */
  addData(data: {
    analysisId?: string;
    configurationValues?: unknown;
    configurationManifest?: unknown;
    inputValues?: unknown;
    inputManifest?: unknown;
  }): void {
    if (data.analysisId) this.analysisId = data.analysisId;
    const fields = {
      configuration_values: data.configurationValues,
      configuration_manifest: data.configurationManifest,
      input_values: data.inputValues,
      input_manifest: data.inputManifest,
    } as const;
    for (const [name, value] of Object.entries(fields)) {
      const copy = snapshot(value);
      if (copy !== undefined) this.data[name as keyof typeof fields] = copy;
    }
  }

  /**
   * Records a question asked to a child.
   * @param question - The recorded question.
   */
  addQuestion(question: RecordedQuestion): void {
    this.questions.push(question);
  }

  /** The questions recorded so far. */
  get recordedQuestions(): readonly RecordedQuestion[] {
    return this.questions;
  }

  /**
   * Uploads everything added. Without a diagnostics path this only logs a warning; upload failures are logged.
   * @returns The directory written to, or `undefined` when nothing was uploaded.
   */
  async upload(): Promise<string | undefined> {
    const { cloudPath, objectStore, logger } = this.params;
    if (cloudPath === undefined) {
      logger.warning(
        "Cannot upload diagnostics as the child doesn't have the `diagnostics_cloud_path` field set in its service " +
          'configuration (`octue.yaml` file).',
      );
      return undefined;
    }
    const directory = joinCloudPath(cloudPath, this.analysisId ?? generateSlug(3));
    try {
      if (objectStore === undefined) throw new Error('No object store was configured to upload diagnostics with.');
      logger.info('Uploading diagnostics to %s.', directory);
      await this.uploadTo(directory, objectStore);
      logger.info('Diagnostics uploaded.');
      return directory;
    } catch (error) {
      logger.exception('Failed to upload diagnostics.', error);
      return undefined;
    }
  }

  private async uploadTo(directory: string, store: ObjectStore): Promise<void> {
    const redactor = this.params.redactor;
    const write = (name: string, value: unknown): Promise<unknown> => {
      const text = encodeOctueJson(value);
      const content = redactor === undefined ? text : redactor.redactJson(text);
      return store.upload(joinCloudPath(directory, name), content, { contentType: 'application/json' });
    };
    for (const kind of ['configuration', 'input'] as const) {
      const values = this.data[`${kind}_values`];
      if (values !== undefined) await write(`${kind}_values.json`, asData(values));
      const manifest = this.data[`${kind}_manifest`];
      if (manifest !== undefined) {
        await write(`${kind}_manifest.json`, await this.copyManifest(kind, asData(manifest), directory, store));
      }
    }
    await write('questions.json', this.questions);
  }

  // Copies each dataset of a manifest into the diagnostics directory and points the manifest at the copies.
  private async copyManifest(
    kind: DataKind,
    manifest: unknown,
    directory: string,
    store: ObjectStore,
  ): Promise<unknown> {
    const record = manifest as { datasets?: Record<string, unknown> };
    if (typeof record !== 'object' || record === null || typeof record.datasets !== 'object' || !record.datasets) {
      return manifest;
    }
    const datasets: Record<string, unknown> = {};
    const locationPolicy = kind === 'input' ? this.params.inputLocations : undefined;
    for (const [key, value] of Object.entries(record.datasets)) {
      const target = joinCloudPath(directory, `${kind}_manifest_datasets`, key);
      let dataset: Dataset;
      try {
        dataset = await Dataset.fromPrimitive(value, { store, locationPolicy });
      } catch (error) {
        if (!(error instanceof ResourceLocationNotAllowed)) throw error;
        this.params.logger.warning('Not copying dataset %s to the diagnostics: %s', key, error.message);
        datasets[key] = value;
        continue;
      }
      await dataset.upload({ store, cloudPath: target });
      setOwnProperty(datasets, key, target);
    }
    return { ...record, datasets };
  }
}
