import { formatAttributeFilter } from '../../core/ports/transport';
import type { BucketAdmin, DeployTarget, FunctionsApi, PubSubAdmin } from './deploy-target';
import type { DeployedFunction, DeployedSubscription, FunctionSpec, PushSubscriptionSpec, UploadTarget } from './types';

/** One request the in-memory target received: the port method and the resource it named. */
export interface RecordedDeployCall {
  /** The port method, e.g. `createFunction`. */
  readonly method: string;
  /** The resource (or upload URL) named. */
  readonly resource: string;
  /** The update mask, for updates. */
  readonly updateMask?: readonly string[];
}

/**
 * The deployment ports held in memory, with every call recorded: the unit-test twin of the Google adapters. Functions
 * get a URL `https://<id>-<project>.a.run.app` and, unless a runtime account is given, the account
 * `default-compute@<project>.iam.gserviceaccount.com`, as Google would fill in its default.
 */
export class InMemoryDeployTarget implements DeployTarget {
  /** Every call, in order. */
  readonly calls: RecordedDeployCall[] = [];
  /** Deployed functions with their latest spec, by name. */
  readonly functionSpecs = new Map<string, FunctionSpec>();
  /** Uploaded archives, by upload URL. */
  readonly uploads = new Map<string, Buffer>();
  /** Existing topics. */
  readonly topics = new Set<string>();
  /** Existing subscriptions (as last created or updated), by name. */
  readonly subscriptionSpecs = new Map<string, PushSubscriptionSpec>();
  /** Existing buckets with their location. */
  readonly bucketLocations = new Map<string, string>();
  private uploadCount = 0;

  /** @inheritDoc */
  readonly functions: FunctionsApi = {
    getFunction: async (name) => {
      this.record('getFunction', name);
      const spec = this.functionSpecs.get(name);
      return spec && this.deployed(spec);
    },
    generateUploadUrl: async (parent) => {
      this.record('generateUploadUrl', parent);
      this.uploadCount += 1;
      const object = `${parent.replace(/\//g, '-')}-${this.uploadCount}.zip`;
      const target: UploadTarget = {
        uploadUrl: `https://uploads.invalid/${object}`,
        storageSource: { bucket: 'gcf-v2-uploads', object },
      };
      return target;
    },
    uploadSource: async (uploadUrl, archive) => {
      this.record('uploadSource', uploadUrl);
      this.uploads.set(uploadUrl, archive);
    },
    createFunction: async (parent, functionId, spec) => {
      this.record('createFunction', `${parent}/functions/${functionId}`);
      this.functionSpecs.set(spec.name, spec);
      return this.deployed(spec);
    },
    updateFunction: async (spec, updateMask) => {
      this.calls.push({ method: 'updateFunction', resource: spec.name, updateMask: [...updateMask] });
      this.functionSpecs.set(spec.name, spec);
      return this.deployed(spec);
    },
    deleteFunction: async (name) => {
      this.record('deleteFunction', name);
      return this.functionSpecs.delete(name);
    },
  };

  /** @inheritDoc */
  readonly pubsub: PubSubAdmin = {
    topicExists: async (topic) => {
      this.record('topicExists', topic);
      return this.topics.has(topic);
    },
    createTopic: async (topic) => {
      this.record('createTopic', topic);
      this.topics.add(topic);
    },
    deleteTopic: async (topic) => {
      this.record('deleteTopic', topic);
      return this.topics.delete(topic);
    },
    getSubscription: async (name) => {
      this.record('getSubscription', name);
      const spec = this.subscriptionSpecs.get(name);
      return spec && describeSubscription(spec);
    },
    createSubscription: async (spec) => {
      this.record('createSubscription', spec.name);
      this.subscriptionSpecs.set(spec.name, spec);
    },
    updateSubscription: async (spec) => {
      this.record('updateSubscription', spec.name);
      this.subscriptionSpecs.set(spec.name, spec);
    },
    deleteSubscription: async (name) => {
      this.record('deleteSubscription', name);
      return this.subscriptionSpecs.delete(name);
    },
  };

  /** @inheritDoc */
  readonly buckets: BucketAdmin = {
    bucketExists: async (bucket) => {
      this.record('bucketExists', bucket);
      return this.bucketLocations.has(bucket);
    },
    createBucket: async (bucket, location) => {
      this.record('createBucket', bucket);
      this.bucketLocations.set(bucket, location);
    },
    deleteBucket: async (bucket) => {
      this.record('deleteBucket', bucket);
      return this.bucketLocations.delete(bucket);
    },
  };

  /** Nothing to release. */
  async close(): Promise<void> {}

  private record(method: string, resource: string): void {
    this.calls.push({ method, resource });
  }

  private deployed(spec: FunctionSpec): DeployedFunction {
    const [, project = '', , , , id = ''] = spec.name.split('/');
    return {
      name: spec.name,
      state: 'ACTIVE',
      environment: spec.environment,
      uri: `https://${id}-${project}.a.run.app`,
      serviceAccountEmail:
        spec.serviceConfig.serviceAccountEmail ?? `default-compute@${project}.iam.gserviceaccount.com`,
      updateTime: undefined,
    };
  }
}

function describeSubscription(spec: PushSubscriptionSpec): DeployedSubscription {
  return {
    name: spec.name,
    topic: spec.topic,
    filter: formatAttributeFilter(spec.filter),
    pushEndpoint: spec.pushEndpoint,
    pushServiceAccountEmail: spec.pushAuthentication.serviceAccountEmail,
    pushAudience: spec.pushAuthentication.audience,
    ackDeadlineSeconds: spec.ackDeadlineSeconds,
  };
}
