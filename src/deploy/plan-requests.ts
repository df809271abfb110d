import { SUBSCRIPTION_UPDATE_MASK } from '../cloud/deploy/subscription-mask';
import { OCTUE_SUBSCRIPTION_DEFAULTS } from '../cloud/pubsub/subscription-settings';
import { formatAttributeFilter } from '../core/ports/transport';
import type { PlannedRequest } from './plan-types';
import type { FunctionSpec } from './ports';

/**
 * The requests each kind of step makes, written as their REST equivalents (the Pub/Sub client speaks gRPC, whose
 * messages have the same fields). Pure: the plan and its summary are built from these, and the executor makes exactly
 * these requests through the ports.
 */

const FUNCTIONS = 'https://cloudfunctions.googleapis.com/v2';
const PUBSUB = 'https://pubsub.googleapis.com/v1';
const STORAGE = 'https://storage.googleapis.com/storage/v1';

/** Requests to make sure a bucket exists. */
export function ensureBucketRequests(project: string, bucket: string, location: string): PlannedRequest[] {
  return [
    { api: 'storage', rpc: 'buckets.get', http: `GET ${STORAGE}/b/${bucket}`, when: 'always' },
    {
      api: 'storage',
      rpc: 'buckets.insert',
      http: `POST ${STORAGE}/b?project=${project}`,
      when: 'if absent',
      body: {
        name: bucket,
        location,
        iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
      },
    },
  ];
}

/** Requests to make sure a topic exists. */
export function ensureTopicRequests(topic: string): PlannedRequest[] {
  return [
    { api: 'pubsub', rpc: 'GetTopic', http: `GET ${PUBSUB}/${topic}`, when: 'always' },
    { api: 'pubsub', rpc: 'CreateTopic', http: `PUT ${PUBSUB}/${topic}`, when: 'if absent', body: {} },
  ];
}

/** Requests to upload the source zip for one function. */
export function uploadSourceRequests(
  parent: string,
  stepId: number,
  archive: string,
  sizeBytes: number,
): PlannedRequest[] {
  return [
    {
      api: 'cloudfunctions',
      rpc: 'GenerateUploadUrl',
      http: `POST ${FUNCTIONS}/${parent}/functions:generateUploadUrl`,
      when: 'always',
      body: {},
    },
    {
      api: 'upload',
      rpc: 'PUT',
      http: `PUT {{uploadUrl from step ${stepId}}}`,
      when: 'always',
      body: `${archive} (${sizeBytes} bytes, content-type: application/zip)`,
    },
  ];
}

/** Requests to create or update a function. */
export function upsertFunctionRequests(
  parent: string,
  functionId: string,
  spec: FunctionSpec,
  updateMask: readonly string[],
  uploadStepId: number,
): PlannedRequest[] {
  const body = {
    ...spec,
    buildConfig: { ...spec.buildConfig, source: { storageSource: `{{storageSource from step ${uploadStepId}}}` } },
  };
  return [
    { api: 'cloudfunctions', rpc: 'GetFunction', http: `GET ${FUNCTIONS}/${spec.name}`, when: 'always' },
    {
      api: 'cloudfunctions',
      rpc: 'CreateFunction',
      http: `POST ${FUNCTIONS}/${parent}/functions?functionId=${functionId}`,
      when: 'if absent',
      body,
    },
    {
      api: 'cloudfunctions',
      rpc: 'UpdateFunction',
      http: `PATCH ${FUNCTIONS}/${spec.name}?updateMask=${updateMask.join(',')}`,
      when: 'if present',
      body,
    },
    {
      api: 'cloudfunctions',
      rpc: 'GetOperation',
      http: `GET ${FUNCTIONS}/${parent}/operations/{{operation}}`,
      when: 'while the operation runs',
    },
  ];
}

/** What the subscription steps need to describe their requests. */
export interface SubscriptionRequestParams {
  readonly name: string;
  readonly topic: string;
  readonly filter: Readonly<Record<string, string>>;
  readonly functionKey: string;
  readonly pushPath: string;
  readonly pushServiceAccount: string | undefined;
  readonly ackDeadlineSeconds: number;
  readonly labels: Readonly<Record<string, string>>;
}

/** Requests to create or update a filtered push subscription. */
export function upsertSubscriptionRequests(params: SubscriptionRequestParams): PlannedRequest[] {
  const uri = `{{uri of ${params.functionKey}}}`;
  const pushConfig = {
    pushEndpoint: `${uri}${params.pushPath}`,
    oidcToken: {
      serviceAccountEmail: params.pushServiceAccount ?? `{{runtime service account of ${params.functionKey}}}`,
      audience: uri,
    },
  };
  const settings = {
    ackDeadlineSeconds: params.ackDeadlineSeconds,
    messageRetentionDuration: `${OCTUE_SUBSCRIPTION_DEFAULTS.messageRetentionSeconds}s`,
    retryPolicy: {
      minimumBackoff: `${OCTUE_SUBSCRIPTION_DEFAULTS.minimumRetryBackoffSeconds}s`,
      maximumBackoff: `${OCTUE_SUBSCRIPTION_DEFAULTS.maximumRetryBackoffSeconds}s`,
    },
  };
  return [
    { api: 'pubsub', rpc: 'GetSubscription', http: `GET ${PUBSUB}/${params.name}`, when: 'always' },
    {
      api: 'pubsub',
      rpc: 'CreateSubscription',
      http: `PUT ${PUBSUB}/${params.name}`,
      when: 'if absent',
      body: {
        topic: params.topic,
        filter: formatAttributeFilter(params.filter),
        pushConfig,
        ...settings,
        expirationPolicy: {},
        enableMessageOrdering: true,
        labels: params.labels,
      },
    },
    {
      api: 'pubsub',
      rpc: 'UpdateSubscription',
      http: `PATCH ${PUBSUB}/${params.name}`,
      when: 'if present',
      body: { subscription: { pushConfig, ...settings }, updateMask: SUBSCRIPTION_UPDATE_MASK.join(',') },
    },
  ];
}

/** The request deleting a resource. */
export function deleteRequests(kind: 'subscription' | 'function' | 'bucket' | 'topic', name: string): PlannedRequest[] {
  switch (kind) {
    case 'subscription':
      return [{ api: 'pubsub', rpc: 'DeleteSubscription', http: `DELETE ${PUBSUB}/${name}`, when: 'always' }];
    case 'topic':
      return [{ api: 'pubsub', rpc: 'DeleteTopic', http: `DELETE ${PUBSUB}/${name}`, when: 'always' }];
    case 'bucket':
      return [{ api: 'storage', rpc: 'buckets.delete', http: `DELETE ${STORAGE}/b/${name}`, when: 'always' }];
    case 'function': {
      const parent = name.split('/functions/')[0] ?? name;
      return [
        { api: 'cloudfunctions', rpc: 'DeleteFunction', http: `DELETE ${FUNCTIONS}/${name}`, when: 'always' },
        {
          api: 'cloudfunctions',
          rpc: 'GetOperation',
          http: `GET ${FUNCTIONS}/${parent}/operations/{{operation}}`,
          when: 'while the operation runs',
        },
      ];
    }
  }
}
