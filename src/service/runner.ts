import { randomUUID } from 'node:crypto';

import { CLOUD_DIRECTORY_PATTERN } from '../core/config';
import type { ServiceConfiguration, ServiceRegistry } from '../core/config';
import { DEFAULT_SAVE_DIAGNOSTICS, isSaveDiagnostics, SAVE_DIAGNOSTICS_MODES } from '../core/events';
import type { ObjectStore } from '../core/ports/object-store';
import { SecretRedactor } from '../core/redaction';
import { Manifest, checkManifestLocations } from '../core/resources';
import type { LocationPolicy } from '../core/resources';
import { Twine } from '../core/twine';
import type { ChildRecord, JsonSource } from '../core/twine';
import { InvalidInputException } from '../errors';
import { Analysis } from './analysis';
import { isReturnedOutputs, loadApp } from './app-loading';
import type { AppSource, RunnableApp } from './app-loading';
import { instantiateChildren } from './children';
import type { Clock } from './clock';
import { resolveCredentials } from './credentials';
import type { MutableEnvironment } from './credentials';
import { Diagnostics } from './diagnostics';
import { LocalFiles } from './local-files';
import { locationPolicyFor } from './location-allowances';
import { createLogger, runWithLogContext } from './logging';
import type { Logger } from './logging';
import { prepareOutputs } from './outputs';
import type { ChildFactory, RunParams, SecretSource } from './types';

function isEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length === 0;
}

/** Loads something once and shares it between runs; a failed load is forgotten, so a later run tries again. */
class SharedLoad<T> {
  private loading: Promise<T> | undefined;

  get(load: () => Promise<T>): Promise<T> {
    if (this.loading === undefined) {
      const loading = load();
      this.loading = loading;
      loading.catch(() => {
        if (this.loading === loading) this.loading = undefined;
      });
    }
    return this.loading;
  }
}

/** What an {@link AnalysisExtension} may give back for one analysis. */
export interface AnalysisExtensionHandle {
  /** Called once the app has finished, whether or not it succeeded, to release what the extension holds. */
  release?(): Promise<void>;
  /**
   * Whether an error the app threw is the extension's normal way of ending it (e.g. federation's `AnalysisFinished`):
   * the Runner then carries on as if the app had returned.
   */
  endsNormally?(error: unknown): boolean;
}

/**
 * Adds a Skein extension's API to each analysis before its app runs (e.g. `analysis.federation`), from the run's
 * parameters (such as the question's extension attributes).
 */
export type AnalysisExtension = (
  analysis: Analysis,
  params: RunParams,
) => void | AnalysisExtensionHandle | Promise<void | AnalysisExtensionHandle>;

/** Everything a Runner is built from (Octue's `Runner` arguments plus the ports Skein injects). */
export interface RunnerOptions {
  /** The app: a function, a class with `run()`, a module, or an app directory. */
  readonly app: AppSource;
  /** The twine: a Twine, an object, JSON text or a `.json` path (default `twine.json`, as Octue). */
  readonly twine?: Twine | JsonSource;
  readonly configurationValues?: unknown;
  readonly configurationManifest?: unknown;
  /** The default children (children 0.2.0 records); a question's children replace them. */
  readonly children?: unknown;
  /** Where output datasets are uploaded; must match `^gs://[a-z\d][a-z\d_./-]*$`. */
  readonly outputLocation?: string;
  readonly useSignedUrlsForOutputDatasets?: boolean;
  /** Where crash diagnostics are saved. */
  readonly diagnosticsCloudPath?: string;
  /** The Google Cloud project (passed on to the secret source's adapter and children by the caller). */
  readonly projectId?: string;
  /** The SRUID of the service running the app. */
  readonly serviceId?: string;
  readonly serviceRegistries?: readonly ServiceRegistry[];
  /**
   * Once an analysis has finished successfully, delete the files downloaded during it and the temporary directories
   * made for it (Octue's `delete_local_files`; default false): files downloaded through `analysis.objectStore` or as
   * datafiles of its input and configuration manifests (with the temporary directory Skein made for each download),
   * and directories from `analysis.createTemporaryDirectory()`. The configuration manifest is then loaded for each
   * analysis, so that a later analysis never sees the deleted copies of an earlier one.
   */
  readonly deleteLocalFiles?: boolean;
  /** The object store for manifests, output uploads and diagnostics. */
  readonly objectStore?: ObjectStore;
  /**
   * Directories the local paths (and `file://` URLs) in a question's input manifest may be in, after symlinks are
   * resolved. Default none: a question can never make the service read its own files, which is what a deployed
   * service wants. In-process trees allow exactly the directories their parents send. The configuration manifest is
   * the service's own and is not checked; an input manifest given as a `Manifest` instance was built by the caller's
   * own code and is not checked either. The output manifests of the answers the analyses' children send are held to
   * the same roots (given to the child factory).
   */
  readonly allowedLocalRoots?: readonly string[];
  /**
   * Hosts (`host` or `host:port`) whose `http(s)://` URLs an input manifest (or a child's answer) may name, besides
   * signed Cloud Storage URLs (always accepted, at `storage.googleapis.com` and at the object store's own endpoint).
   * Default none.
   */
  readonly allowedUrlHosts?: readonly string[];
  /**
   * Buckets an input manifest's (or a child's answer's) `gs://` paths may name; default any (the service's credentials
   * are the limit).
   */
  readonly allowedBuckets?: readonly string[];
  /** Where credentials missing from the environment are looked up. */
  readonly secretSource?: SecretSource;
  /** Makes the children an app asks (e.g. the Pub/Sub Child). */
  readonly childFactory?: ChildFactory;
  /** The environment credentials are read from and written to; default `process.env`. */
  readonly env?: MutableEnvironment;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Extensions that add their API to each analysis (e.g. federation's `federationExtension`). */
  readonly analysisExtensions?: readonly AnalysisExtension[];
}

/**
 * Runs a service's app for each question (Octue's `Runner`): validates the configuration when built, then per run
 * the inputs, credentials and children; builds the Analysis; runs the app; finalises the outputs if the app did not;
 * and saves crash diagnostics as the question's `save_diagnostics` asks.
 */
export class Runner {
  /** The service's twine. */
  readonly twine: Twine;
  /** The SRUID of the service, if given. */
  readonly serviceId: string | undefined;
  private readonly options: RunnerOptions;
  private readonly logger: Logger;
  private readonly configuration: { values: unknown; manifest: unknown };
  private readonly configurationManifest = new SharedLoad<Manifest | undefined>();
  /** What the locations in a question's input manifest may be. */
  readonly inputLocations: LocationPolicy;
  private readonly app = new SharedLoad<RunnableApp>();

  /**
   * @param options - The app, twine, configuration and ports.
   * @throws InvalidInputException for an output location outside GCS; the twine's errors for a bad twine or
   *   configuration (InvalidTwine…, TwineValueException, InvalidValuesContents, InvalidManifestContents, …).
   */
  constructor(options: RunnerOptions) {
    if (options.outputLocation !== undefined && !CLOUD_DIRECTORY_PATTERN.test(options.outputLocation)) {
      throw new InvalidInputException(
        `The output location must be a Google Cloud Storage path e.g. 'gs://bucket-name/output_directory'; ` +
          `received '${options.outputLocation}'.`,
      );
    }
    this.options = options;
    this.serviceId = options.serviceId;
    this.logger = (options.logger ?? createLogger()).child('runner');
    this.twine = options.twine instanceof Twine ? options.twine : new Twine(options.twine ?? 'twine.json');
    const validated = this.twine.validate({
      configurationValues: options.configurationValues,
      configurationManifest: options.configurationManifest,
    });
    this.configuration = { values: validated.configurationValues, manifest: validated.configurationManifest };
    this.inputLocations = locationPolicyFor(options, options.objectStore);
    this.logger.debug('Configuration validated.');
  }

  /**
   * Builds a runner from a service configuration (`octue.yaml`), as Octue's `Runner.from_configuration`.
   * @param configuration - The resolved configuration.
   * @param options - The ports and any overrides.
   * @returns The runner.
   */
  static fromConfiguration(
    configuration: ServiceConfiguration,
    options: Partial<RunnerOptions> & { readonly serviceId?: string } = {},
  ): Runner {
    return new Runner({
      app: configuration.appSourcePath,
      twine: configuration.twinePath,
      configurationValues: configuration.configurationValues,
      configurationManifest: configuration.configurationManifest,
      children: configuration.children,
      outputLocation: configuration.outputLocation,
      useSignedUrlsForOutputDatasets: configuration.useSignedUrlsForOutputDatasets,
      diagnosticsCloudPath: configuration.diagnosticsCloudPath,
      projectId: configuration.projectId,
      serviceRegistries: configuration.serviceRegistries,
      deleteLocalFiles: configuration.deleteLocalFiles,
      allowedLocalRoots: configuration.allowedLocalRoots,
      allowedUrlHosts: configuration.allowedUrlHosts,
      allowedBuckets: configuration.allowedBuckets,
      ...options,
    });
  }

  /**
   * Runs one analysis.
   * @param params - The question's inputs, children, lineage, diagnostics mode and handlers.
   * @returns The finalised analysis.
   * @throws InvalidInputException for an unknown `saveDiagnostics`; the twine's errors for invalid inputs,
   *   credentials (CredentialNotFound) or children; AppNotFound / InvalidApp; whatever the app throws; output
   *   validation and upload errors from finalising.
   */
  async run(params: RunParams = {}): Promise<Analysis> {
    const saveDiagnostics = params.saveDiagnostics ?? DEFAULT_SAVE_DIAGNOSTICS;
    if (!isSaveDiagnostics(saveDiagnostics)) {
      throw new InvalidInputException(
        `saveDiagnostics must be one of ${SAVE_DIAGNOSTICS_MODES.join(', ')}; received '${String(saveDiagnostics)}'.`,
      );
    }
    const analysisId = params.analysisId || randomUUID();
    const redactor = params.redactor ?? new SecretRedactor();
    try {
      return await runWithLogContext({ analysisId, sinks: params.logSinks, redactor }, () =>
        this.runAnalysis(analysisId, params, saveDiagnostics, redactor),
      );
    } catch (error) {
      // Callers print and log what the app threw (`skein run`, the Service): without the analysis's secrets.
      throw redactor.redactValue(error);
    }
  }

  private async runAnalysis(
    analysisId: string,
    params: RunParams,
    saveDiagnostics: string,
    redactor: SecretRedactor,
  ): Promise<Analysis> {
    const { options, twine } = this;
    const deleteLocalFiles = options.deleteLocalFiles ?? false;
    const localFiles = new LocalFiles();
    const store = deleteLocalFiles ? localFiles.trackDownloads(options.objectStore) : options.objectStore;
    const diagnostics = new Diagnostics({
      cloudPath: options.diagnosticsCloudPath,
      objectStore: store,
      // Diagnostics copy only what the question could read: a Manifest instance is the caller's own, like loading it.
      inputLocations: params.inputManifest instanceof Manifest ? undefined : this.inputLocations,
      logger: this.logger.withName('skein.diagnostics'),
      redactor,
    });
    diagnostics.addData({
      analysisId,
      configurationValues: options.configurationValues,
      configurationManifest: options.configurationManifest,
      inputValues: params.inputValues,
      inputManifest: params.inputManifest,
    });

    const credentials = await resolveCredentials({
      twine,
      env: options.env ?? process.env,
      secretSource: options.secretSource,
      logger: this.logger,
      redactor,
    });
    const inputs = twine.validate({
      inputValues: params.inputValues,
      inputManifest: params.inputManifest,
      // As Octue (`children or self.children`), an empty list from the question keeps the configured children.
      children: isEmptyList(params.children) ? options.children : (params.children ?? options.children),
    });
    const inputManifest = await this.loadManifest('input_manifest', inputs.inputManifest, store);
    const loadConfigurationManifest = (): Promise<Manifest | undefined> =>
      this.loadManifest('configuration_manifest', this.configuration.manifest, store);
    // Shared between analyses, unless each analysis deletes what it downloaded.
    const configurationManifest = deleteLocalFiles
      ? await loadConfigurationManifest()
      : await this.configurationManifest.get(loadConfigurationManifest);
    localFiles.watchManifests([inputManifest, configurationManifest]);
    this.logger.debug('Inputs validated.');

    const children = instantiateChildren({
      records: (inputs.children ?? []) as ChildRecord[],
      factory: options.childFactory,
      // The children's answers are held to the same allowances as the questions this service answers.
      context: {
        serviceId: options.serviceId,
        serviceRegistries: options.serviceRegistries,
        allowedLocalRoots: options.allowedLocalRoots,
        allowedUrlHosts: options.allowedUrlHosts,
        allowedBuckets: options.allowedBuckets,
      },
      parentQuestionUuid: analysisId,
      originatorQuestionUuid: params.originatorQuestionUuid || analysisId,
      originator: params.originator,
      record: (question) => diagnostics.addQuestion(question),
    });

    const analysis = await Analysis.create({
      twine,
      id: analysisId,
      configurationValues: this.configuration.values,
      configurationManifest,
      inputValues: inputs.inputValues,
      inputManifest,
      ...prepareOutputs(twine),
      children,
      credentials,
      handleMonitorMessage: params.handleMonitorMessage,
      outputLocation: options.outputLocation,
      useSignedUrlsForOutputDatasets: options.useSignedUrlsForOutputDatasets,
      objectStore: store,
      serviceId: options.serviceId,
      logger: options.logger,
      clock: options.clock,
      localFiles,
    });

    const crashed = async (error: unknown, what: string): Promise<never> => {
      this.logger.warning(what);
      if (saveDiagnostics !== 'SAVE_DIAGNOSTICS_OFF') await diagnostics.upload();
      throw error;
    };
    const handles: AnalysisExtensionHandle[] = [];
    try {
      for (const extend of options.analysisExtensions ?? []) {
        const handle = await extend(analysis, params);
        if (handle !== undefined) handles.push(handle);
      }
      const app = await this.app.get(() => loadApp(options.app));
      const returned = await app(analysis);
      if (isReturnedOutputs(returned)) {
        if ('outputValues' in returned) analysis.outputValues = returned.outputValues;
        if ('outputManifest' in returned) analysis.outputManifest = returned.outputManifest as Manifest | undefined;
      }
    } catch (error) {
      if (!handles.some((handle) => handle.endsNormally?.(error) === true)) await crashed(error, 'App failed.');
    } finally {
      analysis.stopPeriodicMonitorMessages();
      await Promise.all(handles.map((handle) => handle.release?.().catch(() => undefined)));
      // The analysis asks nothing more: free the children's answer subscriptions now rather than after their linger.
      await Promise.all(Object.values(children).map((child) => child.close?.().catch(() => undefined)));
    }
    // Unlike Octue, outputs that fail validation (or upload) also count as a crash for diagnostics.
    try {
      if (!analysis.finalised) await analysis.finalise();
    } catch (error) {
      await crashed(error, 'The outputs could not be finalised.');
    }
    if (saveDiagnostics === 'SAVE_DIAGNOSTICS_ON') await diagnostics.upload();
    // As Octue, only after a successful analysis: a crashed one keeps its files for investigation.
    if (deleteLocalFiles) await localFiles.delete(this.logger);
    return analysis;
  }

  // Turns validated manifest data into a Manifest (loading its datasets), then checks its files' tags.
  private async loadManifest(
    strand: 'input_manifest' | 'configuration_manifest',
    data: unknown,
    store: ObjectStore | undefined,
  ): Promise<Manifest | undefined> {
    if (data === undefined || data === null) return undefined;
    if (data instanceof Manifest) {
      this.twine.validateManifest(strand, data);
      return data;
    }
    // A question's manifest is hostile until checked: every location it names is checked before any is read, and
    // again while loading for the files that stored or signed metadata lists.
    const locationPolicy = strand === 'input_manifest' ? this.inputLocations : undefined;
    if (locationPolicy) await checkManifestLocations(data, locationPolicy);
    const manifest = await Manifest.fromPrimitive(data, { store, locationPolicy });
    this.twine.validateManifest(strand, manifest);
    return manifest;
  }
}
