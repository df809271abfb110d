import { DEFAULT_FLOW_CONTROL } from '../ports/transport';
import { SERVICE_NAMESPACE_ENV, SERVICE_NAME_ENV, SERVICE_REVISION_TAG_ENV } from '../service-id';
import {
  booleanValue,
  cloudDirectoryValue,
  federationProjectValue,
  hostListValue,
  kebabValue,
  namespaceValue,
  nonNegativeIntegerValue,
  pathListValue,
  pathValue,
  positiveIntegerValue,
  positiveNumberValue,
  registriesValue,
  stringListValue,
  stringValue,
  strandDataValue,
} from './values';
import type { OptionParser, ServiceRegistry } from './values';

/**
 * The variable naming where exactly-once claims are written; deploy sets it on every function (instances must share
 * their claims), so it is named here once for both.
 */
export const CLAIMS_LOCATION_ENV = 'SKEIN_CLAIMS_LOCATION';

/** Event-driven Cloud Run functions live at most 9 minutes, so federated waits are bounded by this by default. */
export const DEFAULT_FEDERATION_RUN_DEADLINE_SECONDS = 540;

/** The variable naming the federation mailbox root; deploy sets it on every function, so it is named here once. */
export const FEDERATION_MAILBOX_ROOT_ENV = 'SKEIN_FEDERATION_MAILBOX_ROOT';

/**
 * A service's configuration: the fields of an `octue.yaml` service entry (Octue's `ServiceConfiguration`) plus the
 * few options Skein adds. Every field is declared once in {@link SERVICE_OPTIONS}.
 */
export interface ServiceConfiguration {
  /** The service's namespace, e.g. `acme` (lower kebab case; `example` is refused). */
  readonly namespace: string;
  /** The service's name, e.g. `wind-speed`. */
  readonly name: string;
  /** The revision tag; `undefined` means a slug is generated when the SRUID is made. */
  readonly revisionTag: string | undefined;
  /** Absolute path of the directory holding the app module. */
  readonly appSourcePath: string;
  /** Absolute path of the twine. */
  readonly twinePath: string;
  /** Where crash diagnostics are saved (`gs://…`); `undefined` disables saving them. */
  readonly diagnosticsCloudPath: string | undefined;
  /** Registries for resolving child revision tags, highest priority first. */
  readonly serviceRegistries: readonly ServiceRegistry[] | undefined;
  /** The BigQuery event store table, e.g. `octue_twined.service-events`. */
  readonly eventStoreTableId: string | undefined;
  /** Delete files downloaded during an analysis once it ends. */
  readonly deleteLocalFiles: boolean;
  /** The configuration values (data, a JSON string or an absolute `.json` path). */
  readonly configurationValues: unknown;
  /** The configuration manifest (data, a JSON string or an absolute `.json` path). */
  readonly configurationManifest: unknown;
  /** The default children (children 0.2.0 data, a JSON string or an absolute `.json` path). */
  readonly children: unknown;
  /** Where output datasets are uploaded (`gs://…`); `undefined` leaves them where the app wrote them. */
  readonly outputLocation: string | undefined;
  /** Put signed URLs rather than `gs://` paths in output manifests. */
  readonly useSignedUrlsForOutputDatasets: boolean;
  /** (Skein) Seconds between heartbeats while answering; Octue's 120 by default. */
  readonly heartbeatIntervalSeconds: number;
  /**
   * (Skein) Where exactly-once claims are written (`gs://bucket/.skein/claims`); `undefined` falls back to claims kept
   * in this process only.
   */
  readonly claimsLocation: string | undefined;
  /** (Skein) The Google Cloud project, for Secret Manager and children without a project. */
  readonly projectId: string | undefined;
  /**
   * (Skein) Directories the local paths in a question's input manifest, or in the output manifest of a child's answer,
   * may be in (after symlinks are resolved). Default none: no message can make a deployed service read its own files.
   */
  readonly allowedLocalRoots: readonly string[];
  /**
   * (Skein) Hosts whose `http(s)://` URLs input manifests (and children's output manifests) may name besides signed
   * Cloud Storage URLs; default none.
   */
  readonly allowedUrlHosts: readonly string[];
  /** (Skein) Buckets the `gs://` paths of input (and children's output) manifests may name; `undefined`: any. */
  readonly allowedBuckets: readonly string[] | undefined;
  /**
   * (Skein) When serving from a subscription (`skein start`), the most questions leased at once (being answered, or
   * received and waiting); a flood of any kind then costs bounded memory.
   */
  readonly maxOutstandingMessages: number;
  /** (Skein) When serving from a subscription, the most bytes of questions leased at once. */
  readonly maxOutstandingBytes: number;
  /**
   * (Skein) When serving from a subscription and it is lost (deleted, e.g. by an emulator restart, or its stream ended
   * for good), how many times to re-create it and subscribe again, with exponential backoff from 1 s up to 30 s,
   * before stopping with an error; 0 stops at once.
   */
  readonly subscriptionRecoveryAttempts: number;
  /**
   * (Skein) The federation project: the scope that owns "local" intermediate data across analyses (FLAME's project,
   * never the Google Cloud project implicitly). Setting it enables federation (`skein/federation`) for the service;
   * `undefined` leaves it off.
   */
  readonly federationProject: string | undefined;
  /**
   * (Skein) The directory federation mailboxes (and final results and intermediate data) live under, e.g.
   * `gs://bucket/.skein/federation`; `undefined`: `.skein/federation` in the bucket of the claims location, else of
   * the output location (see `federationMailboxRoot`).
   */
  readonly federationMailboxRoot: string | undefined;
  /**
   * (Skein) How long one federated run may wait in total, in seconds: otherwise unbounded waits end this long after
   * the federation started (minus a margin). Default 540, the 9 minutes an event-driven function lives; a service
   * served by `skein start` on a long-lived host may raise it.
   */
  readonly federationRunDeadlineSeconds: number;
}

/** Something about the configuration worth logging (core code does no logging; the caller logs these). */
export interface ConfigurationNotice {
  /** How loudly to log it. */
  readonly level: 'info' | 'warning';
  /** The text to log. */
  readonly message: string;
}

/** How one option is given and checked: its `octue.yaml` key, its environment variable, its default and its parser. */
export interface OptionSpec<T> {
  /** The key in an `octue.yaml` service entry; absent when the option cannot be set in the file. */
  readonly fileKey?: string;
  /** The environment variable that overrides the file; absent when there is none. */
  readonly envVar?: string;
  /** Whether a value must be given somewhere (otherwise the default applies). */
  readonly required?: boolean;
  /** The value when none is given. */
  readonly defaultValue: T;
  /** Whether the default is a path to resolve against the configuration's directory. */
  readonly defaultIsPath?: boolean;
  /** Turns a raw value into the option's value, or explains why it cannot. */
  readonly parse: OptionParser<Exclude<T, undefined>>;
  /** One line saying what the option is for (used in error messages and documentation). */
  readonly summary: string;
}

/** Every option of {@link ServiceConfiguration}, exactly once each (the mapped type makes a missing one an error). */
export type ServiceOptionTable = { readonly [K in keyof ServiceConfiguration]-?: OptionSpec<ServiceConfiguration[K]> };

/**
 * The option table. Precedence for each option: a value passed in code, then its environment variable, then the
 * `octue.yaml` key, then the default. (Octue lets `OCTUE_SERVICE_NAMESPACE` and `OCTUE_SERVICE_NAME` beat the file in
 * the same way.)
 */
export const SERVICE_OPTIONS: ServiceOptionTable = {
  namespace: {
    fileKey: 'namespace',
    envVar: SERVICE_NAMESPACE_ENV,
    required: true,
    defaultValue: '',
    parse: namespaceValue,
    summary: 'the namespace of the service',
  },
  name: {
    fileKey: 'name',
    envVar: SERVICE_NAME_ENV,
    required: true,
    defaultValue: '',
    parse: kebabValue,
    summary: 'the name of the service',
  },
  revisionTag: {
    envVar: SERVICE_REVISION_TAG_ENV,
    defaultValue: undefined,
    parse: stringValue,
    summary: 'the revision tag of the service',
  },
  appSourcePath: {
    fileKey: 'app_source_path',
    envVar: 'SKEIN_APP_SOURCE_PATH',
    defaultValue: '.',
    defaultIsPath: true,
    parse: pathValue,
    summary: "the directory holding the app module, relative to the configuration file's directory",
  },
  twinePath: {
    fileKey: 'twine_path',
    envVar: 'SKEIN_TWINE_PATH',
    defaultValue: 'twine.json',
    defaultIsPath: true,
    parse: pathValue,
    summary: "the twine file, relative to the configuration file's directory",
  },
  diagnosticsCloudPath: {
    fileKey: 'diagnostics_cloud_path',
    envVar: 'SKEIN_DIAGNOSTICS_CLOUD_PATH',
    defaultValue: undefined,
    parse: cloudDirectoryValue,
    summary: 'the cloud directory crash diagnostics are saved in',
  },
  serviceRegistries: {
    fileKey: 'service_registries',
    envVar: 'SKEIN_SERVICE_REGISTRIES',
    defaultValue: undefined,
    parse: registriesValue,
    summary: 'the service registries, highest priority first',
  },
  eventStoreTableId: {
    fileKey: 'event_store_table_id',
    envVar: 'SKEIN_EVENT_STORE_TABLE_ID',
    defaultValue: undefined,
    parse: stringValue,
    summary: 'the BigQuery event store table',
  },
  deleteLocalFiles: {
    fileKey: 'delete_local_files',
    envVar: 'SKEIN_DELETE_LOCAL_FILES',
    defaultValue: false,
    parse: booleanValue,
    summary: 'whether to delete files downloaded during an analysis',
  },
  configurationValues: {
    fileKey: 'configuration_values',
    envVar: 'SKEIN_CONFIGURATION_VALUES',
    defaultValue: undefined,
    parse: strandDataValue,
    summary: 'the configuration values',
  },
  configurationManifest: {
    fileKey: 'configuration_manifest',
    envVar: 'SKEIN_CONFIGURATION_MANIFEST',
    defaultValue: undefined,
    parse: strandDataValue,
    summary: 'the configuration manifest',
  },
  children: {
    fileKey: 'children',
    envVar: 'SKEIN_CHILDREN',
    defaultValue: undefined,
    parse: strandDataValue,
    summary: 'the default children',
  },
  outputLocation: {
    fileKey: 'output_location',
    envVar: 'SKEIN_OUTPUT_LOCATION',
    defaultValue: undefined,
    parse: cloudDirectoryValue,
    summary: 'the cloud directory output datasets are uploaded to',
  },
  useSignedUrlsForOutputDatasets: {
    fileKey: 'use_signed_urls_for_output_datasets',
    envVar: 'SKEIN_USE_SIGNED_URLS_FOR_OUTPUT_DATASETS',
    defaultValue: false,
    parse: booleanValue,
    summary: 'whether output manifests carry signed URLs',
  },
  heartbeatIntervalSeconds: {
    fileKey: 'heartbeat_interval_seconds',
    envVar: 'SKEIN_HEARTBEAT_INTERVAL_SECONDS',
    defaultValue: 120,
    parse: positiveNumberValue,
    summary: 'the seconds between heartbeats while answering',
  },
  claimsLocation: {
    fileKey: 'claims_location',
    envVar: CLAIMS_LOCATION_ENV,
    defaultValue: undefined,
    parse: cloudDirectoryValue,
    summary: 'the cloud directory exactly-once question claims are written in',
  },
  projectId: {
    envVar: 'GOOGLE_CLOUD_PROJECT',
    defaultValue: undefined,
    parse: stringValue,
    summary: 'the Google Cloud project',
  },
  allowedLocalRoots: {
    fileKey: 'allowed_local_roots',
    envVar: 'SKEIN_ALLOWED_LOCAL_ROOTS',
    defaultValue: [],
    parse: pathListValue,
    summary: "the directories local paths in received manifests (questions' and answers') may be in (default none)",
  },
  allowedUrlHosts: {
    fileKey: 'allowed_url_hosts',
    envVar: 'SKEIN_ALLOWED_URL_HOSTS',
    defaultValue: [],
    parse: hostListValue,
    summary: 'the hosts received manifests may name URLs at, besides signed Cloud Storage URLs (default none)',
  },
  allowedBuckets: {
    fileKey: 'allowed_buckets',
    envVar: 'SKEIN_ALLOWED_BUCKETS',
    defaultValue: undefined,
    parse: stringListValue,
    summary: "the buckets gs:// paths in received manifests (questions' and answers') may name (default any)",
  },
  maxOutstandingMessages: {
    fileKey: 'max_outstanding_messages',
    envVar: 'SKEIN_MAX_OUTSTANDING_MESSAGES',
    defaultValue: DEFAULT_FLOW_CONTROL.maxMessages,
    parse: positiveIntegerValue,
    summary: 'the most questions leased at once when serving from a subscription',
  },
  maxOutstandingBytes: {
    fileKey: 'max_outstanding_bytes',
    envVar: 'SKEIN_MAX_OUTSTANDING_BYTES',
    defaultValue: DEFAULT_FLOW_CONTROL.maxBytes,
    parse: positiveIntegerValue,
    summary: 'the most bytes of questions leased at once when serving from a subscription',
  },
  subscriptionRecoveryAttempts: {
    fileKey: 'subscription_recovery_attempts',
    envVar: 'SKEIN_SUBSCRIPTION_RECOVERY_ATTEMPTS',
    defaultValue: 5,
    parse: nonNegativeIntegerValue,
    summary: 'how many times a lost subscription is re-created before serving stops with an error',
  },
  federationProject: {
    fileKey: 'federation_project',
    envVar: 'SKEIN_FEDERATION_PROJECT',
    defaultValue: undefined,
    parse: federationProjectValue,
    summary: 'the federation project owning local intermediate data (setting it enables federated analyses)',
  },
  federationMailboxRoot: {
    fileKey: 'federation_mailbox_root',
    envVar: FEDERATION_MAILBOX_ROOT_ENV,
    defaultValue: undefined,
    parse: cloudDirectoryValue,
    summary:
      'the cloud directory federation mailboxes live in (default .skein/federation in the claims, else output, bucket)',
  },
  federationRunDeadlineSeconds: {
    fileKey: 'federation_run_deadline_seconds',
    envVar: 'SKEIN_FEDERATION_RUN_DEADLINE_SECONDS',
    defaultValue: DEFAULT_FEDERATION_RUN_DEADLINE_SECONDS,
    parse: positiveNumberValue,
    summary: 'the seconds a federated run may wait in total (default 540: event-driven functions live 9 minutes)',
  },
};

/** The environment variable naming the configuration file (Octue's), and the file used when it is unset. */
export const CONFIGURATION_PATH_OPTION = {
  envVar: 'OCTUE_SERVICE_CONFIGURATION_PATH',
  defaultValue: 'octue.yaml',
  summary: 'the service configuration file',
} as const;

/** The `octue.yaml` keys Skein reads, for spotting unused ones. */
export const SERVICE_FILE_KEYS: ReadonlySet<string> = new Set(
  Object.values(SERVICE_OPTIONS as Record<string, OptionSpec<unknown>>).flatMap((spec) =>
    spec.fileKey === undefined ? [] : [spec.fileKey],
  ),
);
