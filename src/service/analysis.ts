import { randomUUID } from 'node:crypto';

import { crc32cHash } from '../core/hashing/crc32c';
import { encodeOctueJson } from '../core/json/octue-json';
import type { ObjectStore } from '../core/ports/object-store';
import type { Manifest } from '../core/resources';
import { Twine } from '../core/twine';
import type { JsonSource } from '../core/twine';
import { systemClock } from './clock';
import type { Clock, TimerHandle } from './clock';
import { sendEstimatedSecondsRemaining, sendStatusText } from './essential-monitors';
import type { EstimatedSecondsRemainingMessage, StatusTextMessage } from './essential-monitors';
import { createLogger } from './logging';
import type { Logger } from './logging';
import { LocalFiles } from './local-files';
import { finaliseOutputs } from './outputs';
import type { ChildLike } from './types';

/** The hashes of an analysis's configuration and inputs (CRC32C, base64), `undefined` for absent strands. */
export interface StrandHashes {
  readonly configurationValuesHash: string | undefined;
  readonly configurationManifestHash: string | undefined;
  readonly inputValuesHash: string | undefined;
  readonly inputManifestHash: string | undefined;
}

/** Everything an Analysis is built from. */
export interface AnalysisInit {
  /** The service's twine (a Twine, or anything `new Twine()` takes). */
  readonly twine: Twine | JsonSource;
  /** The analysis id (the question uuid when answering); default a new UUID. */
  readonly id?: string;
  readonly configurationValues?: unknown;
  readonly configurationManifest?: Manifest;
  readonly inputValues?: unknown;
  readonly inputManifest?: Manifest;
  /** Initial output values (the Runner starts them as `{}` when the twine has an output_values strand). */
  readonly outputValues?: unknown;
  /** Initial output manifest (the Runner prepares one empty dataset per output dataset key). */
  readonly outputManifest?: Manifest;
  /** The children by their twine key. */
  readonly children?: Readonly<Record<string, ChildLike>>;
  /** The twine's credentials by name. */
  readonly credentials?: Readonly<Record<string, string>>;
  /** Receives each validated monitor message (the service sends it to the parent). */
  readonly handleMonitorMessage?: (data: unknown) => void;
  /** The cloud directory output datasets are uploaded to (each analysis in a new subdirectory). */
  readonly outputLocation?: string;
  /** Put signed URLs rather than `gs://` paths in the output manifest. */
  readonly useSignedUrlsForOutputDatasets?: boolean;
  /** The object store for uploads and signed URLs. */
  readonly objectStore?: ObjectStore;
  /** The SRUID of the service running the analysis (used as `service` in essential monitor messages). */
  readonly serviceId?: string;
  /** Precomputed hashes (see {@link Analysis.create}); values hashes are computed when left out. */
  readonly hashes?: Partial<StrandHashes>;
  /** Library logger; the app's logger is its sibling named `app`. */
  readonly logger?: Logger;
  /** Clock for periodic monitor messages and monitor timestamps. */
  readonly clock?: Clock;
  /** The analysis's local files (the Runner deletes them afterwards when `deleteLocalFiles` is on). */
  readonly localFiles?: LocalFiles;
}

/** Options of {@link Analysis.finalise}. */
export interface FinaliseOptions {
  /** Upload output datasets here instead of a new subdirectory of the output location. */
  readonly uploadOutputDatasetsTo?: string;
  /** Use signed URLs in the output manifest; default the analysis's `useSignedUrlsForOutputDatasets`. */
  readonly useSignedUrls?: boolean;
}

/**
 * Hashes values as CRC32C (base64) of their Octue JSON with sorted keys. (Octue hashes the Python repr of sorted
 * items instead, so these hashes identify inputs within Skein but do not equal Octue's.)
 * @param values - Any JSON value.
 * @returns The hash, or `undefined` for absent or unencodable values.
 */
export function hashValues(values: unknown): string | undefined {
  if (values === undefined || values === null) return undefined;
  try {
    return crc32cHash(encodeOctueJson(values, { sortKeys: true }));
  } catch {
    return undefined;
  }
}

/**
 * What an app receives (Octue's `Analysis`): every strand of the question and configuration, their hashes, the
 * children, monitor messages, and the outputs the app sets (`outputValues`, `outputManifest`). `finalise()` validates
 * the outputs against the twine and uploads output datasets; the Runner calls it when the app did not.
 */
export class Analysis {
  /** The analysis id (the question uuid when answering). */
  readonly id: string;
  /** The service's twine. */
  readonly twine: Twine;
  readonly configurationValues: unknown;
  readonly configurationManifest: Manifest | undefined;
  readonly inputValues: unknown;
  readonly inputManifest: Manifest | undefined;
  /** The output values; set them in the app. */
  outputValues: unknown;
  /** The output manifest; add datasets to it (or replace it) in the app. */
  outputManifest: Manifest | undefined;
  /** The children by their twine key. */
  readonly children: Readonly<Record<string, ChildLike>>;
  /** The twine's credentials by name (also in the environment). */
  readonly credentials: Readonly<Record<string, string>>;
  readonly configurationValuesHash: string | undefined;
  readonly configurationManifestHash: string | undefined;
  readonly inputValuesHash: string | undefined;
  readonly inputManifestHash: string | undefined;
  /** The cloud directory output datasets go to. */
  readonly outputLocation: string | undefined;
  readonly useSignedUrlsForOutputDatasets: boolean;
  /** The object store used for uploads. */
  readonly objectStore: ObjectStore | undefined;
  /** The SRUID of the service running the analysis, if known. */
  readonly serviceId: string | undefined;
  /** The logger for the app (named `app`); within a service its records are forwarded to the parent. */
  readonly logger: Logger;
  private readonly libraryLogger: Logger;
  private readonly clock: Clock;
  private readonly handleMonitorMessage: ((data: unknown) => void) | undefined;
  private readonly periodicTimers = new Set<TimerHandle>();
  private readonly localFiles: LocalFiles;
  private isFinalised = false;

  /**
   * @param init - Strands, children, handlers and options (see {@link AnalysisInit}).
   * @throws The errors of `new Twine()` when `init.twine` is not a Twine.
   */
  constructor(init: AnalysisInit) {
    this.twine = init.twine instanceof Twine ? init.twine : new Twine(init.twine);
    this.id = init.id || randomUUID();
    this.configurationValues = init.configurationValues;
    this.configurationManifest = init.configurationManifest;
    this.inputValues = init.inputValues;
    this.inputManifest = init.inputManifest;
    this.outputValues = init.outputValues;
    this.outputManifest = init.outputManifest;
    this.children = init.children ?? {};
    this.credentials = init.credentials ?? {};
    this.configurationValuesHash = init.hashes?.configurationValuesHash ?? hashValues(init.configurationValues);
    this.inputValuesHash = init.hashes?.inputValuesHash ?? hashValues(init.inputValues);
    this.configurationManifestHash = init.hashes?.configurationManifestHash;
    this.inputManifestHash = init.hashes?.inputManifestHash;
    this.outputLocation = init.outputLocation;
    this.useSignedUrlsForOutputDatasets = init.useSignedUrlsForOutputDatasets ?? false;
    this.objectStore = init.objectStore;
    this.serviceId = init.serviceId;
    this.libraryLogger = (init.logger ?? createLogger()).withName('skein.analysis');
    this.logger = this.libraryLogger.withName('app');
    this.clock = init.clock ?? systemClock;
    this.handleMonitorMessage = init.handleMonitorMessage;
    this.localFiles = init.localFiles ?? new LocalFiles();
  }

  /**
   * Builds an analysis and computes the hashes of its manifests (which may read file metadata from the store).
   * @param init - As for the constructor.
   * @returns The analysis.
   */
  static async create(init: AnalysisInit): Promise<Analysis> {
    const store = init.objectStore;
    const hashOf = async (manifest: Manifest | undefined): Promise<string | undefined> =>
      manifest === undefined ? undefined : manifest.hash({ store });
    const [configurationManifestHash, inputManifestHash] = await Promise.all([
      init.hashes?.configurationManifestHash ?? hashOf(init.configurationManifest),
      init.hashes?.inputManifestHash ?? hashOf(init.inputManifest),
    ]);
    return new Analysis({ ...init, hashes: { ...init.hashes, configurationManifestHash, inputManifestHash } });
  }

  /** Whether the outputs have been validated (and output datasets uploaded). */
  get finalised(): boolean {
    return this.isFinalised;
  }

  /**
   * Sends a monitor message to the parent, after checking it against the twine's `monitor_message_schema`.
   * @param data - Any JSON value.
   * @throws InvalidMonitorMessage when the schema refuses it; StrandNotFound when the twine has no such schema.
   */
  sendMonitorMessage(data: unknown): void {
    this.twine.validateMonitorMessage(data, { useDefaults: false });
    if (this.handleMonitorMessage === undefined) {
      this.libraryLogger.warning('Attempted to send a monitor message but no handler is specified.');
      return;
    }
    this.handleMonitorMessage(data);
  }

  /**
   * Sends a fresh monitor message every period until the analysis ends (the Runner stops them) or the returned
   * function is called. A message that fails to build or validate is logged and skipped.
   * @param createMonitorMessage - Makes each message.
   * @param periodSeconds - Seconds between messages (default 60, as Octue); the first is sent after one period.
   * @returns A function that stops this periodic message.
   */
  setUpPeriodicMonitorMessage(createMonitorMessage: () => unknown, periodSeconds = 60): () => void {
    const handle = this.clock.setInterval(() => {
      try {
        this.sendMonitorMessage(createMonitorMessage());
      } catch (error) {
        this.libraryLogger.exception('A periodic monitor message could not be sent.', error);
      }
    }, periodSeconds * 1000);
    this.periodicTimers.add(handle);
    this.libraryLogger.info('Periodic monitor message set up to send every %ss.', periodSeconds);
    return () => {
      this.clock.clearInterval(handle);
      this.periodicTimers.delete(handle);
    };
  }

  /** Stops every periodic monitor message. */
  stopPeriodicMonitorMessages(): void {
    for (const handle of this.periodicTimers) this.clock.clearInterval(handle);
    this.periodicTimers.clear();
  }

  /**
   * Sends an essential status-text monitor message and logs the text.
   * @param text - The status.
   * @returns The message sent.
   */
  sendStatusText(text: string): StatusTextMessage {
    const message = sendStatusText(this, text, this.serviceName(), this.clock.now());
    this.logger.info(text);
    return message;
  }

  /**
   * Sends an essential estimated-seconds-remaining monitor message.
   * @param seconds - The estimate.
   * @returns The message sent.
   */
  sendEstimatedSecondsRemaining(seconds: number): EstimatedSecondsRemainingMessage {
    return sendEstimatedSecondsRemaining(this, seconds, this.serviceName(), this.clock.now());
  }

  /**
   * Makes a temporary directory for the app's own files. When the Runner's `deleteLocalFiles` is on, it is deleted
   * with its contents once the analysis has finished (Octue's `RegisteredTemporaryDirectory`); otherwise it stays.
   * @returns Its absolute path.
   */
  createTemporaryDirectory(): Promise<string> {
    return this.localFiles.createTemporaryDirectory();
  }

  /**
   * Validates the output values and manifest against the twine and, when there is an output manifest and somewhere
   * to put it, uploads each output dataset to `<output location>/<new slug>/<dataset key>` (or
   * `<uploadOutputDatasetsTo>/<dataset key>`), optionally replacing their paths with signed URLs.
   * @param options - Where to upload, and whether to sign.
   * @throws InvalidValuesContents, InvalidManifestContents, TwineValueException, StrandNotFound for bad outputs;
   *   storage errors from the upload.
   */
  async finalise(options: FinaliseOptions = {}): Promise<void> {
    this.outputManifest = await finaliseOutputs({
      twine: this.twine,
      outputValues: this.outputValues,
      outputManifest: this.outputManifest,
      outputLocation: this.outputLocation,
      uploadTo: options.uploadOutputDatasetsTo,
      useSignedUrls: options.useSignedUrls ?? this.useSignedUrlsForOutputDatasets,
      objectStore: this.objectStore,
      logger: this.libraryLogger,
      onValidated: () => {
        this.isFinalised = true;
      },
    });
  }

  private serviceName(): string {
    return this.serviceId ?? 'unknown-service';
  }
}
