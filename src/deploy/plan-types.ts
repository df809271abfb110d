import type { FunctionSpec } from './ports';
import type { DeploySettings } from './settings';

/** The plan file's format tag; a plan with another tag is refused. */
export const PLAN_FORMAT = 'skein-deploy-plan/1';

/** One API request a step makes, written as its REST equivalent so a reader can check it against Google's docs. */
export interface PlannedRequest {
  /** Which API: `storage`, `pubsub`, `cloudfunctions`, or `upload` (the signed-URL PUT). */
  readonly api: 'storage' | 'pubsub' | 'cloudfunctions' | 'upload';
  /** The method, e.g. `CreateFunction`. */
  readonly rpc: string;
  /** Verb and URL, e.g. `GET https://cloudfunctions.googleapis.com/v2/projects/p/locations/r/functions/f`. */
  readonly http: string;
  /** When it is sent: every time, only if the resource is missing, only if it exists, or while an operation runs. */
  readonly when: 'always' | 'if absent' | 'if present' | 'while the operation runs';
  /** The JSON body, with `{{…}}` placeholders for values only known while deploying (e.g. the function's URL). */
  readonly body?: unknown;
}

/** Fields every step has. */
interface StepBase {
  /** 1-based position in its list. */
  readonly id: number;
  /** The resource the step is about (a full resource name, a bucket name or an upload parent). */
  readonly resource: string;
  /** The requests it makes, in order. */
  readonly requests: readonly PlannedRequest[];
}

/** Make sure a bucket exists (create it if absent). */
export interface EnsureBucketStep extends StepBase {
  readonly action: 'ensure-bucket';
  /** `outputs` or `diagnostics`. */
  readonly role: string;
  /** Where to create it. */
  readonly location: string;
}

/** Make sure the services topic exists. */
export interface EnsureTopicStep extends StepBase {
  readonly action: 'ensure-topic';
}

/** Get a signed upload URL and PUT the source zip there. */
export interface UploadSourceStep extends StepBase {
  readonly action: 'upload-source';
  /** The function (key under `functions:`) whose source this is. */
  readonly function: string;
}

/** Create the function, or update it in place with an update mask. */
export interface UpsertFunctionStep extends StepBase {
  readonly action: 'upsert-function';
  /** The function's key. */
  readonly function: string;
  /** `projects/<p>/locations/<r>`. */
  readonly parent: string;
  /** The function's id. */
  readonly functionId: string;
  /** The resource (without source; the upload step supplies it). */
  readonly spec: FunctionSpec;
  /** snake_case paths sent with an update. */
  readonly updateMask: readonly string[];
}

/** Create the function's filtered push subscription, or update its push config and settings. */
export interface UpsertSubscriptionStep extends StepBase {
  readonly action: 'upsert-subscription';
  /** The function (key) whose URL the subscription pushes to. */
  readonly function: string;
  /** That function's full name. */
  readonly functionName: string;
  /** `projects/<p>/topics/<topic>`. */
  readonly topic: string;
  /** The filter's attribute conditions. */
  readonly filter: Readonly<Record<string, string>>;
  /** Appended to the function's URL: `/projects/<p>/topics/<topic>` (functions-framework reads the topic from it). */
  readonly pushPath: string;
  /** The OIDC account; `undefined` = the function's runtime account. */
  readonly pushServiceAccount: string | undefined;
  /** The ack deadline. */
  readonly ackDeadlineSeconds: number;
  /** Labels. */
  readonly labels: Readonly<Record<string, string>>;
}

/** Delete something `remove` owns (a missing resource is not an error). */
export interface DeleteStep extends StepBase {
  readonly action: 'delete-subscription' | 'delete-function' | 'delete-bucket' | 'delete-topic';
}

/** Any deploy or remove step. */
export type PlanStep =
  EnsureBucketStep | EnsureTopicStep | UploadSourceStep | UpsertFunctionStep | UpsertSubscriptionStep | DeleteStep;

/** The source zip a plan deploys. */
export interface SourceArchiveInfo {
  /** The zip's file name, in the package directory. */
  readonly archive: string;
  /** Its size. */
  readonly sizeBytes: number;
  /** Its SHA-256, hex. */
  readonly sha256: string;
  /** The paths inside it, sorted. */
  readonly files: readonly string[];
}

/** One service of the plan, for readers and for `info`. */
export interface PlannedService {
  /** The key under `functions:`. */
  readonly key: string;
  /** The SRUID it answers as. */
  readonly sruid: string;
  /** `projects/<p>/locations/<r>/functions/<id>`. */
  readonly functionName: string;
  /** `projects/<p>/subscriptions/<name>`. */
  readonly subscriptionName: string;
  /** The directory its federation mailboxes live in (used when the service enables federation). */
  readonly federationMailboxRoot: string;
}

/**
 * Everything `serverless deploy` and `serverless remove` would do, written by `serverless package`: the settings it
 * was planned from (service, stage, project, region, runtime, services topic) and the steps.
 */
export interface DeployPlan extends Pick<
  DeploySettings,
  'service' | 'stage' | 'project' | 'region' | 'runtime' | 'servicesTopic'
> {
  /** {@link PLAN_FORMAT}. */
  readonly format: typeof PLAN_FORMAT;
  /** The buckets and whether remove deletes them. */
  readonly buckets: readonly { readonly role: string; readonly name: string; readonly owned: boolean }[];
  /** The source zip. */
  readonly source: SourceArchiveInfo;
  /** The services. */
  readonly services: readonly PlannedService[];
  /** `serverless deploy`'s steps, in order. */
  readonly deploy: readonly PlanStep[];
  /** `serverless remove`'s steps, in order. */
  readonly remove: readonly PlanStep[];
  /** What the deployer must know (permissions, limits). */
  readonly notes: readonly string[];
}
