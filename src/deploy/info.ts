import type { PlannedResources } from './plan';
import type { DeployedFunction, DeployedSubscription, DeployTarget } from './ports';

/** What `serverless info` found. */
export interface DeploymentInfo {
  /** The services topic and whether it exists. */
  readonly topic: { readonly name: string; readonly exists: boolean };
  /** Each bucket and whether it exists. */
  readonly buckets: readonly { readonly role: string; readonly name: string; readonly exists: boolean }[];
  /** Each service with its function and subscription as deployed (`undefined` when missing). */
  readonly services: readonly {
    readonly key: string;
    readonly sruid: string;
    readonly functionName: string;
    readonly subscriptionName: string;
    readonly function: DeployedFunction | undefined;
    readonly subscription: DeployedSubscription | undefined;
  }[];
}

/**
 * Looks up every resource a deployment manages (read-only requests: GetTopic, buckets.get, GetFunction,
 * GetSubscription).
 * @param resources - The deployment's resources, from `plannedResources`.
 * @param target - The ports.
 * @returns What exists and how it is configured.
 * @throws DeployRequestFailed when a request fails for another reason than "not found".
 */
export async function describeDeployment(resources: PlannedResources, target: DeployTarget): Promise<DeploymentInfo> {
  const topicExists = await target.pubsub.topicExists(resources.topic);
  const buckets = [];
  for (const bucket of resources.buckets) {
    buckets.push({ role: bucket.role, name: bucket.name, exists: await target.buckets.bucketExists(bucket.name) });
  }
  const services = [];
  for (const service of resources.services) {
    services.push({
      key: service.key,
      sruid: service.sruid,
      functionName: service.functionName,
      subscriptionName: service.subscriptionName,
      function: await target.functions.getFunction(service.functionName),
      subscription: await target.pubsub.getSubscription(service.subscriptionName),
    });
  }
  return { topic: { name: resources.topic, exists: topicExists }, buckets, services };
}

/**
 * Formats deployment info for the terminal.
 * @param info - What {@link describeDeployment} found.
 * @returns Lines of text, without a trailing newline.
 */
export function formatDeploymentInfo(info: DeploymentInfo): string {
  const lines = [
    `services topic: ${info.topic.name} (${info.topic.exists ? 'exists' : 'missing'})`,
    ...info.buckets.map((b) => `${b.role} bucket: gs://${b.name} (${b.exists ? 'exists' : 'missing'})`),
    'functions:',
  ];
  for (const service of info.services) {
    const fn = service.function;
    lines.push(
      `  ${service.key} (${service.sruid})`,
      fn === undefined
        ? `    function: ${service.functionName} (not deployed)`
        : `    function: ${fn.name} ${fn.state}${fn.uri === undefined ? '' : ` ${fn.uri}`}` +
            `${fn.updateTime === undefined ? '' : ` updated ${fn.updateTime}`}`,
      service.subscription === undefined
        ? `    subscription: ${service.subscriptionName} (missing)`
        : `    subscription: ${service.subscription.name} → ${service.subscription.pushEndpoint ?? '(pull)'}` +
            `${service.subscription.pushServiceAccountEmail === undefined ? '' : ` as ${service.subscription.pushServiceAccountEmail}`}`,
    );
  }
  return lines.join('\n');
}
