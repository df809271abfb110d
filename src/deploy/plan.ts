import { OCTUE_SUBSCRIPTION_DEFAULTS } from '../cloud/pubsub/subscription-settings';
import { FEDERATION_MAILBOX_ROOT_ENV } from '../core/config';
import { childSubscription } from '../core/topology';
import {
  buildFunctionSpec,
  functionEnvironment,
  functionResourceName,
  functionUpdateMask,
  locationName,
} from './function-spec';
import {
  deleteRequests,
  ensureBucketRequests,
  ensureTopicRequests,
  upsertFunctionRequests,
  upsertSubscriptionRequests,
  uploadSourceRequests,
} from './plan-requests';
import { PLAN_FORMAT } from './plan-types';
import type { DeployPlan, PlannedService, PlanStep, SourceArchiveInfo } from './plan-types';
import type { DeploySettings } from './settings';

/** Distributive omit, so each step kind keeps its own fields. */
type StepWithoutId = PlanStep extends infer S ? (S extends PlanStep ? Omit<S, 'id'> : never) : never;

/**
 * Builds the deployment plan: every request `serverless deploy` and `serverless remove` would make, in order. Pure:
 * the same settings and source always give the same plan.
 *
 * Deploy: make sure the output and diagnostics buckets and the services topic exist; then for each service upload the
 * source zip to a signed URL, create the function (or update it in place with an update mask) and create its filtered
 * push subscription (or update its push config). Remove: delete every subscription, then every function, then the
 * topic and buckets only if the settings mark them owned.
 *
 * @param settings - The checked settings.
 * @param source - The source zip the functions are built from.
 * @returns The plan.
 * @throws InvalidDeploySetting when a function's environment overrides a derived variable.
 * @throws InvalidResourceName when a subscription name derived from an SRUID is not a valid Pub/Sub name.
 */
export function buildDeployPlan(settings: DeploySettings, source: SourceArchiveInfo): DeployPlan {
  const resources = plannedResources(settings);
  const { topic, buckets } = resources;
  const parent = locationName(settings);
  const deploy: StepWithoutId[] = [
    ...buckets.map((b): StepWithoutId => ({
      action: 'ensure-bucket',
      resource: b.name,
      role: b.role,
      location: b.location,
      requests: ensureBucketRequests(settings.project, b.name, b.location),
    })),
    { action: 'ensure-topic', resource: topic, requests: ensureTopicRequests(topic) },
  ];
  for (const [index, fn] of settings.functions.entries()) {
    const service = resources.services[index];
    if (service === undefined) continue;
    const spec = buildFunctionSpec(settings, fn);
    const updateMask = functionUpdateMask(spec);
    const uploadStepId = deploy.length + 1;
    const subscription = {
      name: service.subscriptionName,
      topic,
      filter: service.filter,
      functionKey: fn.key,
      pushPath: `/${topic}`,
      pushServiceAccount: settings.pushServiceAccount,
      ackDeadlineSeconds: OCTUE_SUBSCRIPTION_DEFAULTS.ackDeadlineSeconds,
      labels: { ...settings.labels, 'skein-function': spec.labels['skein-function'] ?? fn.key.toLowerCase() },
    };
    deploy.push(
      {
        action: 'upload-source',
        resource: parent,
        function: fn.key,
        requests: uploadSourceRequests(parent, uploadStepId, source.archive, source.sizeBytes),
      },
      {
        action: 'upsert-function',
        resource: spec.name,
        function: fn.key,
        parent,
        functionId: fn.functionId,
        spec,
        updateMask,
        requests: upsertFunctionRequests(parent, fn.functionId, spec, updateMask, uploadStepId),
      },
      {
        action: 'upsert-subscription',
        resource: subscription.name,
        function: fn.key,
        functionName: spec.name,
        topic,
        filter: subscription.filter,
        pushPath: subscription.pushPath,
        pushServiceAccount: subscription.pushServiceAccount,
        ackDeadlineSeconds: subscription.ackDeadlineSeconds,
        labels: subscription.labels,
        requests: upsertSubscriptionRequests(subscription),
      },
    );
  }
  const services = resources.services.map(({ key, sruid, functionName, subscriptionName }, index) => {
    const fn = settings.functions[index];
    const environment = fn === undefined ? {} : functionEnvironment(settings, fn);
    return {
      key,
      sruid,
      functionName,
      subscriptionName,
      federationMailboxRoot: environment[FEDERATION_MAILBOX_ROOT_ENV] ?? '',
    };
  });
  return {
    format: PLAN_FORMAT,
    service: settings.service,
    stage: settings.stage,
    project: settings.project,
    region: settings.region,
    runtime: settings.runtime,
    servicesTopic: { name: topic, owned: settings.servicesTopic.owned },
    buckets: buckets.map((b) => ({ role: b.role, name: b.name, owned: b.owned })),
    source,
    services,
    deploy: numbered(deploy),
    remove: buildRemoveSteps(settings),
    notes: planNotes(settings, services),
  };
}

/**
 * The steps of `serverless remove`: delete every subscription (so nothing is pushed to a function being deleted),
 * then every function, then the services topic and the buckets only if the settings mark them owned. Pure.
 * @param settings - The checked settings.
 * @returns The steps, numbered from 1.
 * @throws InvalidResourceName when a subscription name derived from an SRUID is not a valid Pub/Sub name.
 */
export function buildRemoveSteps(settings: DeploySettings): PlanStep[] {
  const { topic, buckets, services } = plannedResources(settings);
  return numbered([
    ...services.map((s): StepWithoutId => deleteStep('subscription', s.subscriptionName)),
    ...services.map((s): StepWithoutId => deleteStep('function', s.functionName)),
    ...(settings.servicesTopic.owned ? [deleteStep('topic', topic)] : []),
    ...buckets.filter((b) => b.owned).map((b) => deleteStep('bucket', b.name)),
  ]);
}

/** The resources a deployment manages, by full name (what `info` describes). */
export interface PlannedResources {
  /** `projects/<p>/topics/<topic>`. */
  readonly topic: string;
  /** The output and diagnostics buckets. */
  readonly buckets: readonly {
    readonly role: string;
    readonly name: string;
    readonly location: string;
    readonly owned: boolean;
  }[];
  /** Each service with its function, subscription and filter. */
  readonly services: readonly (Omit<PlannedService, 'federationMailboxRoot'> & {
    readonly filter: Readonly<Record<string, string>>;
  })[];
}

/**
 * Names every resource a deployment manages. Pure.
 * @param settings - The checked settings.
 * @returns The topic, buckets and per-service function and subscription names.
 * @throws InvalidResourceName when a subscription name derived from an SRUID is not a valid Pub/Sub name.
 */
export function plannedResources(settings: DeploySettings): PlannedResources {
  return {
    topic: `projects/${settings.project}/topics/${settings.servicesTopic.name}`,
    buckets: [
      { role: 'outputs', ...settings.outputBucket },
      { role: 'diagnostics', ...settings.diagnosticsBucket },
    ],
    services: settings.functions.map((fn) => {
      // The child subscription Octue's `Service.serve` would make: named after the SRUID, filtered to its questions.
      const child = childSubscription(fn.sruid);
      return {
        key: fn.key,
        sruid: fn.sruid,
        functionName: functionResourceName(settings, fn.functionId),
        subscriptionName: `projects/${settings.project}/subscriptions/${child.name}`,
        filter: child.filter ?? {},
      };
    }),
  };
}

function deleteStep(kind: 'subscription' | 'function' | 'bucket' | 'topic', name: string): StepWithoutId {
  return { action: `delete-${kind}`, resource: name, requests: deleteRequests(kind, name) };
}

function numbered(steps: readonly StepWithoutId[]): PlanStep[] {
  return steps.map((step, index) => ({ ...step, id: index + 1 }) as PlanStep);
}

function planNotes(settings: DeploySettings, services: readonly PlannedService[]): string[] {
  const account = settings.pushServiceAccount ?? "each function's runtime service account";
  const example = services[0];
  const exampleId = example?.functionName.split('/').pop() ?? '<function>';
  return [
    `Pub/Sub pushes questions with an OIDC token for ${account}; that account needs roles/run.invoker on each ` +
      `function, e.g. gcloud functions add-invoker-policy-binding ${exampleId} --region=${settings.region} ` +
      `--member=serviceAccount:<account>.`,
    'Functions reached by a push subscription run with the http signature: each entry point must be registered with ' +
      'functions.cloudEvent(name, handler) (functions-framework then turns the push envelope into a CloudEvent) or ' +
      'handle the raw push envelope itself.',
    (settings.servicesTopic.owned
      ? 'remove deletes the services topic (custom.skein.ownsServicesTopic); '
      : 'remove keeps the services topic, which every service on the network shares; ') +
      (settings.outputBucket.owned
        ? 'it deletes the output and diagnostics buckets if they are empty (custom.skein.ownsBuckets).'
        : 'it keeps the output and diagnostics buckets, which hold data (set custom.skein.ownsBuckets to delete them).'),
    'Federated analyses (services with SKEIN_FEDERATION_PROJECT set) keep their mailboxes, final results and ' +
      'intermediate data under the federation mailbox root above, in the diagnostics bucket: no other resource. An ' +
      'event-driven function runs at most 9 minutes, so a federated analysis must end within one question or be ' +
      'split into several (see the README).',
  ];
}
