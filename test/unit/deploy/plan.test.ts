import { buildFunctionSpec, functionEnvironment, functionUpdateMask } from '../../../src/deploy/function-spec';
import { buildDeployPlan, buildRemoveSteps, plannedResources } from '../../../src/deploy/plan';
import { formatPlanSummary } from '../../../src/deploy/plan-summary';
import type { UpsertFunctionStep, UpsertSubscriptionStep } from '../../../src/deploy/plan-types';
import { readDeploySettings } from '../../../src/deploy/read-settings';
import { InvalidDeploySetting } from '../../../src/errors';
import { configInput, SOURCE_INFO } from './config-input';

const TOPIC = 'projects/demo-x/topics/main.octue.twined.services';

describe('Function: buildDeployPlan', () => {
  const settings = readDeploySettings(configInput());
  const plan = buildDeployPlan(settings, SOURCE_INFO);

  it('orders deploy as buckets, topic, then upload, function and subscription per service', () => {
    expect(plan.deploy.map((s) => `${s.id} ${s.action} ${s.resource}`)).toEqual([
      '1 ensure-bucket demo-x-skein-examples-dev-outputs',
      '2 ensure-bucket demo-x-skein-examples-dev-diagnostics',
      `3 ensure-topic ${TOPIC}`,
      '4 upload-source projects/demo-x/locations/europe-west1',
      '5 upsert-function projects/demo-x/locations/europe-west1/functions/skein-examples-dev-csv-stats',
      '6 upsert-subscription projects/demo-x/subscriptions/skein-examples.csv-stats.0-1-0',
      '7 upload-source projects/demo-x/locations/europe-west1',
      '8 upsert-function projects/demo-x/locations/europe-west1/functions/skein-examples-dev-aggregator',
      '9 upsert-subscription projects/demo-x/subscriptions/skein-examples.aggregator.0-1-0',
    ]);
  });

  it('lists every request with its REST verb and URL, creating only if absent and updating only if present', () => {
    const fn = plan.deploy[4] as UpsertFunctionStep;

    expect(fn.requests.map((r) => [r.rpc, r.http, r.when])).toEqual([
      ['GetFunction', `GET https://cloudfunctions.googleapis.com/v2/${fn.spec.name}`, 'always'],
      [
        'CreateFunction',
        'POST https://cloudfunctions.googleapis.com/v2/projects/demo-x/locations/europe-west1/functions?functionId=skein-examples-dev-csv-stats',
        'if absent',
      ],
      [
        'UpdateFunction',
        `PATCH https://cloudfunctions.googleapis.com/v2/${fn.spec.name}?updateMask=${fn.updateMask.join(',')}`,
        'if present',
      ],
      [
        'GetOperation',
        'GET https://cloudfunctions.googleapis.com/v2/projects/demo-x/locations/europe-west1/operations/{{operation}}',
        'while the operation runs',
      ],
    ]);
    expect(fn.requests[1]?.body).toMatchObject({
      buildConfig: {
        runtime: 'nodejs22',
        entryPoint: 'csvStats',
        source: { storageSource: '{{storageSource from step 4}}' },
      },
      serviceConfig: {
        availableMemory: '1024Mi',
        timeoutSeconds: 540,
        maxInstanceCount: 20,
        maxInstanceRequestConcurrency: 1,
        ingressSettings: 'ALLOW_ALL',
      },
      environment: 'GEN_2',
    });
  });

  it("makes each subscription Octue's child subscription, pushing to the function URL with the topic in the path", () => {
    const subscription = plan.deploy[5] as UpsertSubscriptionStep;

    expect(subscription).toMatchObject({
      topic: TOPIC,
      filter: { recipient: 'skein-examples/csv-stats:0.1.0', sender_type: 'PARENT' },
      pushPath: `/${TOPIC}`,
      ackDeadlineSeconds: 600,
    });
    expect(subscription.requests[1]?.body).toMatchObject({
      topic: TOPIC,
      filter: 'attributes.recipient = "skein-examples/csv-stats:0.1.0" AND attributes.sender_type = "PARENT"',
      pushConfig: {
        pushEndpoint: `{{uri of csvStats}}/${TOPIC}`,
        oidcToken: { serviceAccountEmail: '{{runtime service account of csvStats}}', audience: '{{uri of csvStats}}' },
      },
      enableMessageOrdering: true,
      expirationPolicy: {},
    });
    expect(subscription.requests[2]?.body).toMatchObject({
      updateMask: 'push_config,ack_deadline_seconds,message_retention_duration,retry_policy',
    });
  });

  it('never names projects/undefined or any unresolved value', () => {
    expect(JSON.stringify(plan)).not.toMatch(/undefined|null|NaN/);
  });

  it('lists every request of the plan in the human summary, in order', () => {
    const summary = formatPlanSummary(plan);
    const httpLines = [...plan.deploy, ...plan.remove].flatMap((s) => s.requests.map((r) => r.http));

    let position = 0;
    for (const http of httpLines) {
      const found = summary.indexOf(http, position);
      expect(found).toBeGreaterThanOrEqual(position);
      position = found;
    }
    expect(summary).toContain('serverless remove makes these requests, in order:');
    expect(summary).toContain('roles/run.invoker');
  });
});

describe('Function: buildRemoveSteps', () => {
  it('deletes subscriptions, then functions, and keeps the shared topic and buckets by default', () => {
    const steps = buildRemoveSteps(readDeploySettings(configInput()));

    expect(steps.map((s) => `${s.action} ${s.resource}`)).toEqual([
      'delete-subscription projects/demo-x/subscriptions/skein-examples.csv-stats.0-1-0',
      'delete-subscription projects/demo-x/subscriptions/skein-examples.aggregator.0-1-0',
      'delete-function projects/demo-x/locations/europe-west1/functions/skein-examples-dev-csv-stats',
      'delete-function projects/demo-x/locations/europe-west1/functions/skein-examples-dev-aggregator',
    ]);
  });

  it('also deletes the topic and buckets when the settings mark them owned', () => {
    const steps = buildRemoveSteps(
      readDeploySettings(configInput({ skein: { ownsServicesTopic: true, ownsBuckets: true } })),
    );

    expect(steps.slice(4).map((s) => `${s.action} ${s.resource}`)).toEqual([
      `delete-topic ${TOPIC}`,
      'delete-bucket demo-x-skein-examples-dev-outputs',
      'delete-bucket demo-x-skein-examples-dev-diagnostics',
    ]);
  });
});

describe('Function: plannedResources', () => {
  it('names the topic, buckets, functions and subscriptions info looks up', () => {
    const resources = plannedResources(readDeploySettings(configInput({ options: { stage: 'prod' } })));

    expect(resources.topic).toBe(TOPIC);
    expect(resources.buckets.map((b) => b.name)).toEqual([
      'demo-x-skein-examples-prod-outputs',
      'demo-x-skein-examples-prod-diagnostics',
    ]);
    expect(resources.services[1]).toMatchObject({
      key: 'aggregator',
      functionName: 'projects/demo-x/locations/europe-west1/functions/skein-examples-dev-aggregator',
      subscriptionName: 'projects/demo-x/subscriptions/skein-examples.aggregator.0-1-0',
    });
  });
});

describe('Function: functionEnvironment', () => {
  const settings = readDeploySettings(configInput());

  it('derives the identity, topic, project, output, diagnostics and claims locations and twine path', () => {
    const [csvStats] = settings.functions;
    if (csvStats === undefined) throw new Error('fixture has no functions');

    expect(functionEnvironment(settings, csvStats)).toEqual({
      COMPUTE_PROVIDER: 'GOOGLE_CLOUD_FUNCTION',
      GOOGLE_CLOUD_PROJECT: 'demo-x',
      OCTUE_SERVICE_NAME: 'csv-stats',
      OCTUE_SERVICE_NAMESPACE: 'skein-examples',
      OCTUE_SERVICE_REVISION_TAG: '0.1.0',
      SKEIN_CLAIMS_LOCATION: 'gs://demo-x-skein-examples-dev-diagnostics/.skein/claims/skein-examples/csv-stats',
      SKEIN_DIAGNOSTICS_CLOUD_PATH: 'gs://demo-x-skein-examples-dev-diagnostics/skein-examples/csv-stats',
      SKEIN_FEDERATION_MAILBOX_ROOT: 'gs://demo-x-skein-examples-dev-diagnostics/.skein/federation',
      SKEIN_OUTPUT_LOCATION: 'gs://demo-x-skein-examples-dev-outputs/skein-examples/csv-stats',
      SKEIN_TWINE_PATH: 'twines/csv-stats.json',
      TWINED_SERVICES_TOPIC_NAME: 'main.octue.twined.services',
    });
  });

  it('sets a claims location on every function, shared by all its instances and apart from other services', () => {
    const locations = settings.functions.map((fn) => functionEnvironment(settings, fn).SKEIN_CLAIMS_LOCATION);

    expect(locations).toEqual([
      'gs://demo-x-skein-examples-dev-diagnostics/.skein/claims/skein-examples/csv-stats',
      'gs://demo-x-skein-examples-dev-diagnostics/.skein/claims/skein-examples/aggregator',
    ]);
  });

  it("puts every function's federation mailboxes in the deployment's diagnostics bucket, and the plan shows them", () => {
    // Prepare
    const plan = buildDeployPlan(settings, SOURCE_INFO);

    // Act
    const summary = formatPlanSummary(plan);

    // Assess
    const root = 'gs://demo-x-skein-examples-dev-diagnostics/.skein/federation';
    expect(plan.services.map((service) => service.federationMailboxRoot)).toEqual([root, root]);
    expect(summary).toContain(`federation mailboxes in ${root}`);
    expect(plan.deploy.filter((step) => step.action === 'ensure-bucket').map((step) => step.resource)).toEqual([
      'demo-x-skein-examples-dev-outputs',
      'demo-x-skein-examples-dev-diagnostics',
    ]);
  });

  it('lets serverless.yml override the output location but not the identity', () => {
    const withOutput = readDeploySettings(
      configInput({ provider: { environment: { SKEIN_OUTPUT_LOCATION: 'gs://shared/out' } } }),
    );
    const withName = readDeploySettings(configInput({ provider: { environment: { OCTUE_SERVICE_NAME: 'other' } } }));
    const [first] = withOutput.functions;
    const [renamed] = withName.functions;
    if (first === undefined || renamed === undefined) throw new Error('fixture has no functions');

    expect(functionEnvironment(withOutput, first).SKEIN_OUTPUT_LOCATION).toBe('gs://shared/out');
    expect(() => functionEnvironment(withName, renamed)).toThrow(InvalidDeploySetting);
    expect(() => functionEnvironment(withName, renamed)).toThrow(/OCTUE_SERVICE_NAME is 'other', but Skein sets it/);
  });
});

describe('Function: functionUpdateMask', () => {
  it('names every field Skein sets and the optional ones only when serverless.yml sets them', () => {
    const settings = readDeploySettings(configInput());
    const [csvStats, aggregator] = settings.functions.map((fn) => functionUpdateMask(buildFunctionSpec(settings, fn)));

    expect(csvStats).toContain('service_config.max_instance_count');
    // One question per instance at a time, always, so a flood scales out instead of filling one instance's memory.
    expect(aggregator).toContain('service_config.max_instance_request_concurrency');
    expect(aggregator).not.toContain('service_config.max_instance_count');
    expect(aggregator).not.toContain('service_config.service_account_email');
    expect(aggregator).toEqual(
      expect.arrayContaining(['build_config.source', 'service_config.environment_variables', 'labels']),
    );
  });
});
