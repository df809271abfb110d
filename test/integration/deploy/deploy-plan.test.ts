import { randomBytes } from 'node:crypto';

import { PubSub } from '@google-cloud/pubsub';
import { Storage } from '@google-cloud/storage';

import { executeSteps } from '../../../src/deploy/execute';
import { createGoogleDeployTarget } from '../../../src/deploy/google-target';
import { describeDeployment } from '../../../src/deploy/info';
import { buildDeployPlan, buildRemoveSteps, plannedResources } from '../../../src/deploy/plan';
import type { DeployPlan, UpsertFunctionStep } from '../../../src/deploy/plan-types';
import type { DeployTarget } from '../../../src/deploy/ports';
import { readDeploySettings } from '../../../src/deploy/read-settings';
import { createTestServiceAccount } from '../../../src/emulators/service-account';
import { DeployResourceConflict } from '../../../src/errors';
import { configInput, SOURCE_INFO } from '../../unit/deploy/config-input';
import { startFunctionsApiDouble } from '../../helpers/functions-api-double';
import type { FunctionsApiDouble } from '../../helpers/functions-api-double';

const ARCHIVE = Buffer.from('PK source zip');

/**
 * Each test deploys into a project of its own, which keeps its topics, subscriptions and buckets apart from other
 * tests' on the shared emulator and GCS server.
 */
function freshNames(): { project: string; topic: string; csvSubscription: string; csvFunction: string } {
  const project = `skein-deploy-${randomBytes(4).toString('hex')}`;
  return {
    project,
    topic: `projects/${project}/topics/main.octue.twined.services`,
    csvSubscription: `projects/${project}/subscriptions/skein-examples.csv-stats.0-1-0`,
    csvFunction: `projects/${project}/locations/europe-west1/functions/skein-examples-dev-csv-stats`,
  };
}

function settingsFor(project: string, skein: Record<string, unknown> = {}): ReturnType<typeof readDeploySettings> {
  return readDeploySettings(configInput({ provider: { project }, skein }));
}

/** The Cloud Functions requests a plan says deploy makes for the branch taken (create or update), in order. */
function plannedFunctionCalls(plan: DeployPlan, branch: 'if absent' | 'if present'): string[] {
  return plan.deploy.flatMap((step) =>
    step.requests
      .filter((r) => r.api === 'cloudfunctions' && (r.when === 'always' || r.when === branch))
      .map((r) => {
        const [verb = '', url = ''] = r.http.split(' ');
        return `${verb} ${new URL(url).pathname}`;
      }),
  );
}

describe('Function: executeSteps on Google Cloud adapters', () => {
  let double: FunctionsApiDouble;
  let target: DeployTarget;
  let pubsub: PubSub;
  let storage: Storage;
  let names: ReturnType<typeof freshNames>;

  beforeAll(async () => {
    double = await startFunctionsApiDouble();
    pubsub = new PubSub({ projectId: 'skein-deploy-tests' });
    storage = new Storage({ projectId: 'skein-deploy-tests', apiEndpoint: process.env.SKEIN_TEST_GCS_URL });
  });

  beforeEach(() => {
    names = freshNames();
    double.requests.length = 0;
    target = createGoogleDeployTarget({
      projectId: names.project,
      functionsApiEndpoint: double.url,
      storageApiEndpoint: process.env.SKEIN_TEST_GCS_URL,
      credentials: createTestServiceAccount({ projectId: names.project }).credentials,
    });
  });

  afterEach(async () => {
    await target.close();
  });

  afterAll(async () => {
    await pubsub.close();
    await double.stop();
  });

  it('deploys, re-deploys in place, describes and removes the services', async () => {
    // First deploy: everything is created.
    const { project, topic, csvSubscription, csvFunction } = names;
    const first = buildDeployPlan(settingsFor(project), SOURCE_INFO);
    const created = await executeSteps(first.deploy, target, { archive: ARCHIVE });

    expect(created.map((r) => r.outcome)).toEqual([
      'created',
      'created',
      'created',
      'uploaded',
      'created',
      'created',
      'uploaded',
      'created',
      'created',
    ]);
    expect(double.apiCalls()).toEqual(plannedFunctionCalls(first, 'if absent'));
    expect([...double.uploads.values()]).toEqual([ARCHIVE, ARCHIVE]);
    const create = double.requests.find((r) => r.query.functionId === 'skein-examples-dev-csv-stats');
    expect(create?.body).toMatchObject({
      buildConfig: {
        runtime: 'nodejs22',
        entryPoint: 'csvStats',
        source: { storageSource: { bucket: 'gcf-v2-uploads-double' } },
      },
      serviceConfig: {
        availableMemory: '1024Mi',
        environmentVariables: { OCTUE_SERVICE_NAME: 'csv-stats', GOOGLE_CLOUD_PROJECT: project },
      },
    });

    const [topicExists] = await pubsub.topic(topic).exists();
    expect(topicExists).toBe(true);
    const [subscription] = await pubsub.subscription(csvSubscription).getMetadata();
    expect(subscription).toMatchObject({
      topic: topic,
      filter: 'attributes.recipient = "skein-examples/csv-stats:0.1.0" AND attributes.sender_type = "PARENT"',
      ackDeadlineSeconds: 600,
      enableMessageOrdering: true,
      pushConfig: {
        pushEndpoint: `https://skein-examples-dev-csv-stats-double.a.run.app/${topic}`,
        oidcToken: {
          serviceAccountEmail: '123456789-compute@developer.gserviceaccount.com',
          audience: 'https://skein-examples-dev-csv-stats-double.a.run.app',
        },
      },
      labels: expect.objectContaining({ 'managed-by': 'skein' }),
    });
    for (const bucket of first.buckets) {
      const [exists] = await storage.bucket(bucket.name).exists();
      expect(exists).toBe(true);
    }

    // Re-deploy with a push account: functions are patched with their update mask, subscriptions updated in place.
    double.requests.length = 0;
    const second = buildDeployPlan(
      settingsFor(project, { pushServiceAccount: `pusher@${project}.iam.gserviceaccount.com` }),
      SOURCE_INFO,
    );
    const updated = await executeSteps(second.deploy, target, { archive: ARCHIVE });

    expect(updated.map((r) => r.outcome)).toEqual([
      'unchanged',
      'unchanged',
      'unchanged',
      'uploaded',
      'updated',
      'updated',
      'uploaded',
      'updated',
      'updated',
    ]);
    expect(double.apiCalls()).toEqual(plannedFunctionCalls(second, 'if present'));
    const patch = double.requests.find((r) => r.method === 'PATCH' && r.path.endsWith('skein-examples-dev-csv-stats'));
    expect(patch?.query.updateMask).toBe((second.deploy[4] as UpsertFunctionStep).updateMask.join(','));
    const [resubscribed] = await pubsub.subscription(csvSubscription).getMetadata();
    expect(resubscribed.pushConfig?.oidcToken?.serviceAccountEmail).toBe(`pusher@${project}.iam.gserviceaccount.com`);

    // Info reads everything back.
    const info = await describeDeployment(plannedResources(settingsFor(project)), target);
    expect(info.topic.exists).toBe(true);
    expect(info.buckets.every((b) => b.exists)).toBe(true);
    expect(info.services.map((s) => [s.function?.state, s.subscription?.pushServiceAccountEmail])).toEqual([
      ['ACTIVE', `pusher@${project}.iam.gserviceaccount.com`],
      ['ACTIVE', `pusher@${project}.iam.gserviceaccount.com`],
    ]);

    // Remove deletes the subscriptions and functions and keeps the shared topic and the buckets.
    double.requests.length = 0;
    const removed = await executeSteps(buildRemoveSteps(settingsFor(project)), target);

    expect(removed.map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'delete-subscription:deleted',
      'delete-subscription:deleted',
      'delete-function:deleted',
      'delete-function:deleted',
    ]);
    expect(double.apiCalls()).toEqual([
      `DELETE /v2/${csvFunction}`,
      `DELETE /v2/projects/${project}/locations/europe-west1/functions/skein-examples-dev-aggregator`,
    ]);
    expect(double.functions.size).toBe(0);
    const [subscriptionExists] = await pubsub.subscription(csvSubscription).exists();
    expect(subscriptionExists).toBe(false);
    const [topicKept] = await pubsub.topic(topic).exists();
    expect(topicKept).toBe(true);
  });

  it('deletes the owned topic and empty buckets on remove', async () => {
    const settings = settingsFor(names.project, { ownsServicesTopic: true, ownsBuckets: true });
    await executeSteps(buildDeployPlan(settings, SOURCE_INFO).deploy, target, { archive: ARCHIVE });

    const removed = await executeSteps(buildRemoveSteps(settings), target);

    expect(removed.slice(4).map((r) => `${r.action}:${r.outcome}`)).toEqual([
      'delete-topic:deleted',
      'delete-bucket:deleted',
      'delete-bucket:deleted',
    ]);
    const [topicExists] = await pubsub.topic(names.topic).exists();
    expect(topicExists).toBe(false);
    const [bucketExists] = await storage.bucket(settings.outputBucket.name).exists();
    expect(bucketExists).toBe(false);
  });

  it('refuses to take over an existing subscription of the same name on another topic', async () => {
    const settings = settingsFor(names.project);
    const [otherTopic] = await pubsub.createTopic(`projects/${names.project}/topics/other-topic`);
    await otherTopic.createSubscription(names.csvSubscription);

    const failure = executeSteps(buildDeployPlan(settings, SOURCE_INFO).deploy, target, { archive: ARCHIVE });

    await expect(failure).rejects.toBeInstanceOf(DeployResourceConflict);
    await expect(failure).rejects.toThrow(/exists on topic projects\/.*\/topics\/other-topic/);
    const [kept] = await pubsub.subscription(names.csvSubscription).getMetadata();
    expect(kept.topic).toBe(`projects/${names.project}/topics/other-topic`);
  });
});
