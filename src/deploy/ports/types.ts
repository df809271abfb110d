/**
 * The data the deployment ports exchange. They mirror the few fields of the Cloud Functions v2, Pub/Sub and Cloud
 * Storage resources Skein manages; the adapters in src/cloud/deploy declare the same shapes on their side (the cloud
 * layer may not import src/deploy), and the compiler checks the two agree where the adapters are wired to the port.
 */

/** Where uploaded source lives: what `generateUploadUrl` returns and a function's `buildConfig.source` takes. */
export interface StorageSource {
  /** The bucket Google chose for the upload. */
  readonly bucket: string;
  /** The object in that bucket. */
  readonly object: string;
  /** The object's generation, when Google gives one (int64 as a string). */
  readonly generation?: string;
}

/** A signed upload URL and the storage source it fills. */
export interface UploadTarget {
  /** PUT the zip here (with `content-type: application/zip`). */
  readonly uploadUrl: string;
  /** Pass this as the function's `buildConfig.source.storageSource`. */
  readonly storageSource: StorageSource;
}

/** The build half of a Cloud Functions v2 function. */
export interface FunctionBuildSpec {
  /** e.g. `nodejs22`. */
  readonly runtime: string;
  /** The exported name functions-framework serves, e.g. `csvStats`. */
  readonly entryPoint: string;
  /** The uploaded source; filled in when the plan is executed. */
  readonly source?: { readonly storageSource: StorageSource };
}

/** The run half of a Cloud Functions v2 function (the underlying Cloud Run service). */
export interface FunctionServiceSpec {
  /** e.g. `512Mi`. */
  readonly availableMemory: string;
  /** Request timeout. */
  readonly timeoutSeconds: number;
  /** Runtime environment variables. */
  readonly environmentVariables: Readonly<Record<string, string>>;
  /** Upper bound on instances, when set. */
  readonly maxInstanceCount?: number;
  /** Instances kept warm, when set. */
  readonly minInstanceCount?: number;
  /**
   * Requests one instance handles at once. Always 1: each question runs alone in its instance, so a flood of pushes
   * scales out (up to `maxInstanceCount`) instead of piling up in one instance's memory.
   */
  readonly maxInstanceRequestConcurrency: 1;
  /** The runtime service account; Google's default (the Compute Engine default account) when unset. */
  readonly serviceAccountEmail?: string;
  /** Who may reach the function over the network; Pub/Sub push needs `ALLOW_ALL` (IAM still checks the caller). */
  readonly ingressSettings: 'ALLOW_ALL';
  /** Send all traffic to the newest revision on every deploy. */
  readonly allTrafficOnLatestRevision: true;
}

/** A Cloud Functions v2 function as Skein creates or updates it. */
export interface FunctionSpec {
  /** `projects/<p>/locations/<r>/functions/<id>`. */
  readonly name: string;
  /** Free text shown in the console. */
  readonly description: string;
  /** Always a 2nd-gen function. */
  readonly environment: 'GEN_2';
  /** Resource labels. */
  readonly labels: Readonly<Record<string, string>>;
  /** How the function is built. */
  readonly buildConfig: FunctionBuildSpec;
  /** How it runs. */
  readonly serviceConfig: FunctionServiceSpec;
}

/** What Skein reads back about a deployed function. */
export interface DeployedFunction {
  /** `projects/<p>/locations/<r>/functions/<id>`. */
  readonly name: string;
  /** e.g. `ACTIVE`, `DEPLOYING`, `FAILED`. */
  readonly state: string;
  /** `GEN_1` or `GEN_2`. */
  readonly environment: string;
  /** The Cloud Run service URL (`https://…run.app`); push subscriptions post here. */
  readonly uri: string | undefined;
  /** The account the function runs as (Google fills in its default). */
  readonly serviceAccountEmail: string | undefined;
  /** When it was last updated (RFC 3339), when known. */
  readonly updateTime: string | undefined;
}

/** OIDC authentication on push requests. */
export interface PushAuthentication {
  /** The account whose identity token Pub/Sub attaches. */
  readonly serviceAccountEmail: string;
  /** The token's audience: the function's URL. */
  readonly audience: string;
}

/** A filtered push subscription as Skein creates or updates it. */
export interface PushSubscriptionSpec {
  /** `projects/<p>/subscriptions/<name>`. */
  readonly name: string;
  /** `projects/<p>/topics/<topic>`. */
  readonly topic: string;
  /** Attribute equality conditions (ANDed), e.g. `{recipient: 'a/b:1.0.0', sender_type: 'PARENT'}`. */
  readonly filter: Readonly<Record<string, string>>;
  /** The function's URL plus `/projects/<p>/topics/<topic>`. */
  readonly pushEndpoint: string;
  /** OIDC authentication for the pushes. */
  readonly pushAuthentication: PushAuthentication;
  /** Seconds Pub/Sub waits for the function to answer before pushing again. */
  readonly ackDeadlineSeconds: number;
  /** Resource labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/** What Skein reads back about an existing subscription. */
export interface DeployedSubscription {
  /** `projects/<p>/subscriptions/<name>`. */
  readonly name: string;
  /** `projects/<p>/topics/<topic>` (`_deleted-topic_` when its topic was deleted). */
  readonly topic: string;
  /** The filter in Pub/Sub syntax (`''` for none). */
  readonly filter: string;
  /** The push endpoint (`undefined` for a pull subscription). */
  readonly pushEndpoint: string | undefined;
  /** The OIDC account, when pushes are authenticated. */
  readonly pushServiceAccountEmail: string | undefined;
  /** The OIDC audience, when set. */
  readonly pushAudience: string | undefined;
  /** The ack deadline. */
  readonly ackDeadlineSeconds: number | undefined;
}
