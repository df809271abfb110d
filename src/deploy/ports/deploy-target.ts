import type { DeployedFunction, DeployedSubscription, FunctionSpec, PushSubscriptionSpec, UploadTarget } from './types';

/**
 * The Cloud Functions v2 API, one method per request. Implemented in src/cloud/deploy over `FunctionServiceClient`
 * (REST transport) and by an in-memory twin for unit tests. Long-running operations are awaited inside each method.
 */
export interface FunctionsApi {
  /**
   * `GetFunction`.
   * @returns The function, or `undefined` when it does not exist.
   */
  getFunction(name: string): Promise<DeployedFunction | undefined>;
  /** `GenerateUploadUrl` in `parent` (`projects/<p>/locations/<r>`). */
  generateUploadUrl(parent: string): Promise<UploadTarget>;
  /** PUTs the source zip to a signed upload URL. */
  uploadSource(uploadUrl: string, archive: Buffer): Promise<void>;
  /** `CreateFunction` (long-running; resolves once the function is deployed). */
  createFunction(parent: string, functionId: string, spec: FunctionSpec): Promise<DeployedFunction>;
  /** `UpdateFunction` with an update mask of snake_case field paths (long-running). */
  updateFunction(spec: FunctionSpec, updateMask: readonly string[]): Promise<DeployedFunction>;
  /**
   * `DeleteFunction` (long-running).
   * @returns `false` when the function did not exist.
   */
  deleteFunction(name: string): Promise<boolean>;
}

/** The Pub/Sub administration requests deploy makes (topics and subscriptions by full resource name). */
export interface PubSubAdmin {
  /** Whether the topic exists (`GetTopic`). */
  topicExists(topic: string): Promise<boolean>;
  /** `CreateTopic`. */
  createTopic(topic: string): Promise<void>;
  /**
   * `DeleteTopic`.
   * @returns `false` when the topic did not exist.
   */
  deleteTopic(topic: string): Promise<boolean>;
  /**
   * `GetSubscription`.
   * @returns The subscription, or `undefined` when it does not exist.
   */
  getSubscription(name: string): Promise<DeployedSubscription | undefined>;
  /** `CreateSubscription`. */
  createSubscription(spec: PushSubscriptionSpec): Promise<void>;
  /** `UpdateSubscription` of the push config, ack deadline, retry and retention settings, expiration and labels. */
  updateSubscription(spec: PushSubscriptionSpec): Promise<void>;
  /**
   * `DeleteSubscription`.
   * @returns `false` when the subscription did not exist.
   */
  deleteSubscription(name: string): Promise<boolean>;
}

/** The Cloud Storage bucket requests deploy makes. */
export interface BucketAdmin {
  /** Whether the bucket exists (`buckets.get`). */
  bucketExists(bucket: string): Promise<boolean>;
  /** `buckets.insert` with uniform bucket-level access and public access prevention. */
  createBucket(bucket: string, location: string): Promise<void>;
  /**
   * `buckets.delete` (only empty buckets can be deleted).
   * @returns `false` when the bucket did not exist.
   */
  deleteBucket(bucket: string): Promise<boolean>;
}

/** Everything a deployment talks to. */
export interface DeployTarget {
  readonly functions: FunctionsApi;
  readonly pubsub: PubSubAdmin;
  readonly buckets: BucketAdmin;
  /** Releases the clients. */
  close(): Promise<void>;
}
