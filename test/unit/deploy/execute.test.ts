import { executeSteps } from '../../../src/deploy/execute';
import type { StepResult } from '../../../src/deploy/execute';
import { describeDeployment, formatDeploymentInfo } from '../../../src/deploy/info';
import { buildDeployPlan, buildRemoveSteps, plannedResources } from '../../../src/deploy/plan';
import type { UpsertFunctionStep } from '../../../src/deploy/plan-types';
import { InMemoryDeployTarget } from '../../../src/deploy/ports';
import { readDeploySettings } from '../../../src/deploy/read-settings';
import { DeployResourceConflict, DeploySourceError } from '../../../src/errors';
import { configInput, SOURCE_INFO } from './config-input';

const ARCHIVE = Buffer.from('zip bytes');
const CSV_FUNCTION = 'projects/demo-x/locations/europe-west1/functions/skein-examples-dev-csv-stats';
const CSV_SUBSCRIPTION = 'projects/demo-x/subscriptions/skein-examples.csv-stats.0-1-0';
const TOPIC = 'projects/demo-x/topics/main.octue.twined.services';

function plan(overrides: Parameters<typeof configInput>[0] = {}): ReturnType<typeof buildDeployPlan> {
  return buildDeployPlan(readDeploySettings(configInput(overrides)), SOURCE_INFO);
}

describe('Function: executeSteps', () => {
  describe('Method: deploy', () => {
    it('creates buckets, topic, functions and push subscriptions on a first deploy', async () => {
      const target = new InMemoryDeployTarget();
      const seen: StepResult[] = [];

      const results = await executeSteps(plan().deploy, target, { archive: ARCHIVE, onStep: (r) => seen.push(r) });

      expect(results.map((r) => `${r.action}:${r.outcome}`)).toEqual([
        'ensure-bucket:created',
        'ensure-bucket:created',
        'ensure-topic:created',
        'upload-source:uploaded',
        'upsert-function:created',
        'upsert-subscription:created',
        'upload-source:uploaded',
        'upsert-function:created',
        'upsert-subscription:created',
      ]);
      expect(seen).toEqual(results);
      expect([...target.uploads.values()]).toEqual([ARCHIVE, ARCHIVE]);
      expect(target.functionSpecs.get(CSV_FUNCTION)?.buildConfig.source?.storageSource.bucket).toBe('gcf-v2-uploads');
      expect(target.subscriptionSpecs.get(CSV_SUBSCRIPTION)).toEqual({
        name: CSV_SUBSCRIPTION,
        topic: TOPIC,
        filter: { recipient: 'skein-examples/csv-stats:0.1.0', sender_type: 'PARENT' },
        pushEndpoint: `https://skein-examples-dev-csv-stats-demo-x.a.run.app/${TOPIC}`,
        pushAuthentication: {
          serviceAccountEmail: 'default-compute@demo-x.iam.gserviceaccount.com',
          audience: 'https://skein-examples-dev-csv-stats-demo-x.a.run.app',
        },
        ackDeadlineSeconds: 600,
        labels: expect.objectContaining({ 'managed-by': 'skein', 'skein-function': 'csvstats' }),
      });
    });

    it('updates functions with their update mask and subscriptions in place on a re-deploy', async () => {
      const target = new InMemoryDeployTarget();
      const first = plan();
      await executeSteps(first.deploy, target, { archive: ARCHIVE });
      target.calls.length = 0;

      const again = plan({ skein: { pushServiceAccount: 'pusher@demo-x.iam.gserviceaccount.com' } });
      const results = await executeSteps(again.deploy, target, { archive: ARCHIVE });

      expect(results.map((r) => r.outcome)).toEqual([
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
      const update = target.calls.find((c) => c.method === 'updateFunction' && c.resource === CSV_FUNCTION);
      expect(update?.updateMask).toEqual((again.deploy[4] as UpsertFunctionStep).updateMask);
      expect(target.calls.some((c) => c.method.startsWith('create'))).toBe(false);
      expect(target.subscriptionSpecs.get(CSV_SUBSCRIPTION)?.pushAuthentication.serviceAccountEmail).toBe(
        'pusher@demo-x.iam.gserviceaccount.com',
      );
    });

    it('refuses to take over a subscription of the same name with another filter', async () => {
      const target = new InMemoryDeployTarget();
      target.subscriptionSpecs.set(CSV_SUBSCRIPTION, {
        name: CSV_SUBSCRIPTION,
        topic: TOPIC,
        filter: { recipient: 'someone/else:1.0.0' },
        pushEndpoint: 'https://elsewhere.example/push',
        pushAuthentication: { serviceAccountEmail: 'x@demo-x.iam.gserviceaccount.com', audience: 'https://x' },
        ackDeadlineSeconds: 10,
        labels: {},
      });

      const act = executeSteps(plan().deploy, target, { archive: ARCHIVE });

      await expect(act).rejects.toThrow(DeployResourceConflict);
      await expect(act).rejects.toThrow(/neither can be changed in place\. Delete it/);
      expect(target.calls.some((c) => c.method === 'updateSubscription')).toBe(false);
    });

    it('refuses to update a 1st-gen function of the same name', async () => {
      const target = new InMemoryDeployTarget();
      const step = plan().deploy[4] as UpsertFunctionStep;
      target.functionSpecs.set(CSV_FUNCTION, { ...step.spec, environment: 'GEN_1' as 'GEN_2' });

      await expect(executeSteps(plan().deploy, target, { archive: ARCHIVE })).rejects.toThrow(
        /1st-gen function, which cannot be updated to a 2nd-gen one in place/,
      );
    });

    it('throws DeploySourceError when the plan uploads source but no archive is given', async () => {
      await expect(executeSteps(plan().deploy, new InMemoryDeployTarget())).rejects.toThrow(DeploySourceError);
    });
  });

  describe('Method: remove', () => {
    it('deletes what deploy created and reports what was already gone', async () => {
      const target = new InMemoryDeployTarget();
      const settings = readDeploySettings(configInput());
      await executeSteps(buildDeployPlan(settings, SOURCE_INFO).deploy, target, { archive: ARCHIVE });
      target.functionSpecs.delete(CSV_FUNCTION);

      const results = await executeSteps(buildRemoveSteps(settings), target);

      expect(results.map((r) => `${r.action}:${r.outcome}`)).toEqual([
        'delete-subscription:deleted',
        'delete-subscription:deleted',
        'delete-function:absent',
        'delete-function:deleted',
      ]);
      expect(target.subscriptionSpecs.size).toBe(0);
      expect(target.functionSpecs.size).toBe(0);
      expect(target.topics.has(TOPIC)).toBe(true);
      expect(target.bucketLocations.size).toBe(2);
    });

    it('also deletes the owned topic and buckets', async () => {
      const target = new InMemoryDeployTarget();
      const settings = readDeploySettings(configInput({ skein: { ownsServicesTopic: true, ownsBuckets: true } }));
      await executeSteps(buildDeployPlan(settings, SOURCE_INFO).deploy, target, { archive: ARCHIVE });

      await executeSteps(buildRemoveSteps(settings), target);

      expect(target.topics.size).toBe(0);
      expect(target.bucketLocations.size).toBe(0);
    });
  });
});

describe('Function: describeDeployment', () => {
  it('reports deployed functions and subscriptions and the missing ones', async () => {
    const target = new InMemoryDeployTarget();
    const settings = readDeploySettings(configInput());
    const deployPlan = buildDeployPlan(settings, SOURCE_INFO);
    await executeSteps(deployPlan.deploy.slice(0, 6), target, { archive: ARCHIVE });

    const info = await describeDeployment(plannedResources(settings), target);
    const text = formatDeploymentInfo(info);

    expect(info.topic.exists).toBe(true);
    expect(info.services.map((s) => [s.key, s.function?.state, s.subscription?.pushEndpoint])).toEqual([
      ['csvStats', 'ACTIVE', `https://skein-examples-dev-csv-stats-demo-x.a.run.app/${TOPIC}`],
      ['aggregator', undefined, undefined],
    ]);
    expect(text).toContain(`function: ${CSV_FUNCTION} ACTIVE https://skein-examples-dev-csv-stats-demo-x.a.run.app`);
    expect(text).toContain('skein-examples-dev-aggregator (not deployed)');
  });
});
