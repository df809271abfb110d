/**
 * The deployment settings: `serverless.yml` (after Serverless resolved its variables) and the command-line options,
 * checked and with every default applied. Everything the plan needs, and nothing else.
 */

/** The raw configuration the settings are read from: the parts of Serverless's service object Skein uses. */
export interface DeployConfigInput {
  /** `service:` from serverless.yml. */
  readonly service: string;
  /** `provider:` (name, runtime, project, region, stage, memorySize, timeout, environment, labels, …). */
  readonly provider: Readonly<Record<string, unknown>>;
  /** `functions:` by key. */
  readonly functions: Readonly<Record<string, unknown>>;
  /** `custom:` (Skein reads `custom.skein`). */
  readonly custom?: Readonly<Record<string, unknown>>;
  /** Command-line options; `--project`, `--region` and `--stage` win over serverless.yml. */
  readonly options?: { readonly project?: string; readonly region?: string; readonly stage?: string };
}

/** A bucket deploy makes sure exists. */
export interface BucketSettings {
  /** The bucket's name. */
  readonly name: string;
  /** Its location, the region in capitals (e.g. `EUROPE-WEST1`). */
  readonly location: string;
  /** Whether `remove` deletes it (only when empty). */
  readonly owned: boolean;
}

/** One deployed service. */
export interface FunctionSettings {
  /** The key under `functions:`, e.g. `csvStats`. */
  readonly key: string;
  /** The Cloud Functions id, e.g. `skein-examples-dev-csv-stats`. */
  readonly functionId: string;
  /** The export of the built `functions/index.js` it runs (`handler:`). */
  readonly entryPoint: string;
  /** The service revision it answers as, e.g. `skein-examples/csv-stats:0.1.0`. */
  readonly sruid: string;
  /** Its twine, relative to the service directory, when declared. */
  readonly twine: string | undefined;
  /** Memory in MiB. */
  readonly memoryMb: number;
  /** Request timeout in seconds. */
  readonly timeoutSeconds: number;
  /** Environment variables from serverless.yml (provider's, overridden by the function's). */
  readonly environment: Readonly<Record<string, string>>;
  /** Instances kept warm. */
  readonly minInstances: number | undefined;
  /** Upper bound on instances. */
  readonly maxInstances: number | undefined;
  /** The runtime service account; Google's default when unset. */
  readonly serviceAccountEmail: string | undefined;
  /** Free text for the console. */
  readonly description: string | undefined;
}

/** Everything a plan is built from. */
export interface DeploySettings {
  /** `service:`. */
  readonly service: string;
  /** The stage, e.g. `dev`. */
  readonly stage: string;
  /** The Google Cloud project id. */
  readonly project: string;
  /** The region, e.g. `europe-west1`. */
  readonly region: string;
  /** The runtime, e.g. `nodejs22`. */
  readonly runtime: string;
  /** The services topic (short name) every question travels on, and whether `remove` deletes it. */
  readonly servicesTopic: { readonly name: string; readonly owned: boolean };
  /** Where output datasets go. */
  readonly outputBucket: BucketSettings;
  /** Where crash diagnostics go. */
  readonly diagnosticsBucket: BucketSettings;
  /** The account Pub/Sub authenticates pushes as; each function's runtime account when unset. */
  readonly pushServiceAccount: string | undefined;
  /** Labels put on every function and subscription. */
  readonly labels: Readonly<Record<string, string>>;
  /** The files and directories (relative to the service directory) that make up the source zip. */
  readonly sourceInclude: readonly string[];
  /** The services, in serverless.yml order. */
  readonly functions: readonly FunctionSettings[];
}
