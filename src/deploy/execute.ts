import { formatAttributeFilter, parseAttributeFilter } from '../core/ports/transport';
import { DeployRequestFailed, DeployResourceConflict, DeploySourceError, InvalidDeploySetting } from '../errors';
import type { PlanStep, UpsertFunctionStep, UpsertSubscriptionStep } from './plan-types';
import type { DeployedFunction, DeployTarget, StorageSource } from './ports';

/** What a step did. */
export type StepOutcome = 'created' | 'updated' | 'unchanged' | 'uploaded' | 'deleted' | 'absent';

/** The result of one step. */
export interface StepResult {
  /** The step's id in its plan. */
  readonly id: number;
  /** The step's action. */
  readonly action: PlanStep['action'];
  /** The resource it was about. */
  readonly resource: string;
  /** What it did. */
  readonly outcome: StepOutcome;
  /** Extra facts worth showing, e.g. a function's URL. */
  readonly detail?: string;
}

/** Options for {@link executeSteps}. */
export interface ExecuteOptions {
  /** The source zip (needed by `upload-source` steps). */
  readonly archive?: Buffer;
  /** Told about each step as it finishes (for progress output). */
  readonly onStep?: (result: StepResult) => void;
}

/** What earlier steps produced for later ones. */
interface ExecutionState {
  readonly sources: Map<string, StorageSource>;
  readonly functions: Map<string, DeployedFunction>;
}

/**
 * Runs plan steps in order through the deployment ports, stopping at the first failure. Creating steps first look the
 * resource up and update it in place when it exists; deleting steps treat a missing resource as done, so both deploy
 * and remove can be run again after a partial failure.
 *
 * @param steps - The plan's `deploy` or `remove` steps.
 * @param target - The ports (Google Cloud, or a twin).
 * @param options - The source zip and a progress callback.
 * @returns One result per step.
 * @throws DeployRequestFailed when a request fails.
 * @throws DeployResourceConflict when an existing resource cannot be updated in place.
 * @throws DeploySourceError when an upload step has no archive.
 * @throws InvalidDeploySetting when no account to authenticate pushes with can be found.
 */
export async function executeSteps(
  steps: readonly PlanStep[],
  target: DeployTarget,
  options: ExecuteOptions = {},
): Promise<StepResult[]> {
  const state: ExecutionState = { sources: new Map(), functions: new Map() };
  const results: StepResult[] = [];
  for (const step of steps) {
    const { outcome, detail } = await runStep(step, target, state, options);
    const result: StepResult = {
      id: step.id,
      action: step.action,
      resource: step.resource,
      outcome,
      ...(detail === undefined ? {} : { detail }),
    };
    results.push(result);
    options.onStep?.(result);
  }
  return results;
}

async function runStep(
  step: PlanStep,
  target: DeployTarget,
  state: ExecutionState,
  options: ExecuteOptions,
): Promise<{ outcome: StepOutcome; detail?: string }> {
  switch (step.action) {
    case 'ensure-bucket':
      if (await target.buckets.bucketExists(step.resource)) return { outcome: 'unchanged' };
      await target.buckets.createBucket(step.resource, step.location);
      return { outcome: 'created' };
    case 'ensure-topic':
      if (await target.pubsub.topicExists(step.resource)) return { outcome: 'unchanged' };
      await target.pubsub.createTopic(step.resource);
      return { outcome: 'created' };
    case 'upload-source': {
      if (options.archive === undefined) {
        throw new DeploySourceError(step.resource, 'The source zip is needed to deploy: run serverless package first.');
      }
      const upload = await target.functions.generateUploadUrl(step.resource);
      await target.functions.uploadSource(upload.uploadUrl, options.archive);
      state.sources.set(step.function, upload.storageSource);
      return { outcome: 'uploaded', detail: `gs://${upload.storageSource.bucket}/${upload.storageSource.object}` };
    }
    case 'upsert-function':
      return upsertFunction(step, target, state);
    case 'upsert-subscription':
      return upsertSubscription(step, target, state);
    case 'delete-subscription':
      return deleted(await target.pubsub.deleteSubscription(step.resource));
    case 'delete-function':
      return deleted(await target.functions.deleteFunction(step.resource));
    case 'delete-topic':
      return deleted(await target.pubsub.deleteTopic(step.resource));
    case 'delete-bucket':
      return deleted(await target.buckets.deleteBucket(step.resource));
  }
}

function deleted(existed: boolean): { outcome: StepOutcome } {
  return { outcome: existed ? 'deleted' : 'absent' };
}

async function upsertFunction(
  step: UpsertFunctionStep,
  target: DeployTarget,
  state: ExecutionState,
): Promise<{ outcome: StepOutcome; detail?: string }> {
  const storageSource = state.sources.get(step.function);
  const spec =
    storageSource === undefined
      ? step.spec
      : { ...step.spec, buildConfig: { ...step.spec.buildConfig, source: { storageSource } } };
  const existing = await target.functions.getFunction(step.spec.name);
  if (existing !== undefined && existing.environment === 'GEN_1') {
    throw new DeployResourceConflict(
      step.spec.name,
      `${step.spec.name} is a 1st-gen function, which cannot be updated to a 2nd-gen one in place: delete it ` +
        `(gcloud functions delete ${step.functionId} --region=<region>) or give functions.${step.function}.name ` +
        'another name.',
    );
  }
  const deployed =
    existing === undefined
      ? await target.functions.createFunction(step.parent, step.functionId, spec)
      : await target.functions.updateFunction(spec, step.updateMask);
  if (deployed.uri === undefined) {
    throw new DeployRequestFailed(
      `${step.spec.name} was deployed but has no URL (state ${deployed.state}); check its build logs in the console.`,
      {
        api: 'cloudfunctions',
        operation: existing === undefined ? 'CreateFunction' : 'UpdateFunction',
        resource: step.spec.name,
      },
    );
  }
  state.functions.set(step.function, deployed);
  return { outcome: existing === undefined ? 'created' : 'updated', detail: deployed.uri };
}

async function upsertSubscription(
  step: UpsertSubscriptionStep,
  target: DeployTarget,
  state: ExecutionState,
): Promise<{ outcome: StepOutcome; detail?: string }> {
  const fn = state.functions.get(step.function) ?? (await target.functions.getFunction(step.functionName));
  if (fn?.uri === undefined) {
    throw new DeployResourceConflict(
      step.functionName,
      `The subscription ${step.resource} pushes to ${step.functionName}, which is not deployed: deploy the whole plan.`,
    );
  }
  const serviceAccountEmail = step.pushServiceAccount ?? fn.serviceAccountEmail;
  if (serviceAccountEmail === undefined) {
    throw new InvalidDeploySetting(
      'custom.skein.pushServiceAccount',
      undefined,
      `${step.functionName} reports no runtime service account to authenticate pushes with: set ` +
        'custom.skein.pushServiceAccount.',
    );
  }
  const spec = {
    name: step.resource,
    topic: step.topic,
    filter: step.filter,
    pushEndpoint: `${fn.uri.replace(/\/+$/, '')}${step.pushPath}`,
    pushAuthentication: { serviceAccountEmail, audience: fn.uri },
    ackDeadlineSeconds: step.ackDeadlineSeconds,
    labels: step.labels,
  };
  const existing = await target.pubsub.getSubscription(step.resource);
  if (existing === undefined) {
    await target.pubsub.createSubscription(spec);
    return { outcome: 'created', detail: spec.pushEndpoint };
  }
  if (existing.topic !== step.topic || !sameFilter(existing.filter, step.filter)) {
    throw new DeployResourceConflict(
      step.resource,
      `The subscription ${step.resource} exists on topic ${existing.topic} with filter '${existing.filter}', but this ` +
        `deployment needs topic ${step.topic} and filter '${formatAttributeFilter(step.filter)}'; neither can be ` +
        `changed in place. Delete it (gcloud pubsub subscriptions delete ${step.resource}) and deploy again.`,
    );
  }
  await target.pubsub.updateSubscription(spec);
  return { outcome: 'updated', detail: spec.pushEndpoint };
}

function sameFilter(text: string, wanted: Readonly<Record<string, string>>): boolean {
  let parsed: Readonly<Record<string, string>> | undefined;
  try {
    parsed = parseAttributeFilter(text);
  } catch {
    return false;
  }
  const have = Object.entries(parsed ?? {}).sort();
  const want = Object.entries(wanted).sort();
  return JSON.stringify(have) === JSON.stringify(want);
}
