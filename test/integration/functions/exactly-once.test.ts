// Exactly once across instances (issue 10 §7): two csv-stats instances, each its own functions-framework process
// (dist/functions), configured with the environment `serverless deploy` gives the function, and so sharing its claims
// location on the GCS-compatible server. The same push envelope of one question reaches each instance 100 times,
// ten at a time: some pushes arrive while the question runs, some after it was answered. It runs once, and the parent
// gets one result.
import { randomUUID } from 'node:crypto';

import { readDeploySettings } from '../../../src/deploy/read-settings';
import { functionEnvironment } from '../../../src/deploy/function-spec';
import { configInput } from '../../unit/deploy/config-input';
import { startFunction } from './function-server';
import type { RunningFunction } from './function-server';
import { CSV_STATS_ID, FunctionNetwork, PROJECT_ID, waitFor } from './function-network';

jest.setTimeout(300_000);

const PUSHES_PER_INSTANCE = 100;
const AT_ONCE = 10;

/** A message seen on the topic. */
interface Seen {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
  readonly kind: string | undefined;
}

describe('Function: csvStats on two instances sharing the claims location deploy sets', () => {
  let network: FunctionNetwork;
  let instances: RunningFunction[] = [];
  let claimsLocation: string;

  beforeAll(async () => {
    network = await FunctionNetwork.start();
    // The deployment's buckets are the test's bucket; everything else is the repository's serverless.yml.
    const settings = readDeploySettings(
      configInput({ skein: { outputBucket: network.bucket, diagnosticsBucket: network.bucket } }),
    );
    const csvStats = settings.functions.find((fn) => fn.key === 'csvStats');
    if (csvStats === undefined) throw new Error('serverless.yml has no csvStats function');
    // An empty value counts as unset: without a location from deploy, each instance keeps its own claims.
    claimsLocation = functionEnvironment(settings, csvStats).SKEIN_CLAIMS_LOCATION ?? '';
    const env = network.functionEnv({ SKEIN_CLAIMS_LOCATION: claimsLocation });
    instances = await Promise.all([0, 1].map(() => startFunction({ target: 'csvStats', env })));
  });

  afterAll(async () => {
    await Promise.all(instances.map((running) => running.stop()));
    await network?.close();
  });

  it('runs a question pushed 100 times to each instance once, and the parent gets one result', async () => {
    // Prepare: a subscription of the test's own sees everything published on the topic.
    const tables = await network.uploadExample('harbour');
    const seen: Seen[] = [];
    const name = `seen-${randomUUID()}`;
    await network.transport.createSubscription({ name });
    const reading = await network.transport.subscribe(name, async (message) => {
      let kind: string | undefined;
      try {
        kind = (JSON.parse(message.data.toString('utf8')) as { kind?: string }).kind;
      } catch {
        kind = undefined;
      }
      seen.push({ id: message.id, data: message.data, attributes: message.attributes, kind });
    });
    const child = network.child(CSV_STATS_ID);
    // No push subscription reaches the instances: the only deliveries are the pushes below.
    const asking = child.ask({
      inputManifest: { id: '0c4e2d1a-7b3f-4e59-8a6d-2f1e0b9c8d7e', datasets: { tables } },
      timeout: 240,
    });
    await waitFor(() => seen.some((message) => message.kind === 'question'), 'the question on the topic');
    const question = seen.find((message) => message.kind === 'question') as Seen;
    const questionUuid = question.attributes.question_uuid as string;
    const envelope = JSON.stringify({
      message: {
        data: question.data.toString('base64'),
        attributes: question.attributes,
        messageId: question.id,
        publishTime: new Date().toISOString(),
      },
      subscription: `projects/${PROJECT_ID}/subscriptions/skein-examples.csv-stats.0-1-0`,
    });
    const push = async (running: RunningFunction): Promise<number> => {
      const response = await fetch(running.endpoint(PROJECT_ID, network.topicName), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: envelope,
      });
      await response.arrayBuffer();
      return response.status;
    };

    // Act: each instance is pushed the envelope 100 times, ten at a time, both instances at once.
    const statuses = (
      await Promise.all(
        instances.map(async (running) => {
          const codes: number[] = [];
          for (let pushed = 0; pushed < PUSHES_PER_INSTANCE; pushed += AT_ONCE) {
            codes.push(...(await Promise.all(Array.from({ length: AT_ONCE }, () => push(running)))));
          }
          return codes;
        }),
      )
    ).flat();
    const { answer } = await asking;
    await child.close();
    // Every push has been answered, so every response was published; the sentinel comes after them on their key.
    await network.transport.publish({
      data: Buffer.from('{"kind":"sentinel"}'),
      attributes: {},
      orderingKey: questionUuid,
    });
    await waitFor(() => seen.some((message) => message.kind === 'sentinel'), 'the sentinel');
    await reading.close();
    await network.transport.deleteSubscription(name);

    // Assess: one run in both instances' logs, one acknowledgement and one result on the topic.
    const about = (kind: string): Seen[] =>
      seen.filter((message) => message.kind === kind && message.attributes.question_uuid === questionUuid);
    const runs = instances
      .flatMap((running) => running.logs())
      .filter((line) => line.message.includes(`acknowledged receipt of question ${questionUuid}`));
    expect(statuses).toHaveLength(2 * PUSHES_PER_INSTANCE);
    // Acknowledged (2xx), or refused (500) while the other delivery held the question, so Pub/Sub would push again.
    expect(statuses.filter((status) => status !== 500 && (status < 200 || status > 299))).toEqual([]);
    expect(runs).toHaveLength(1);
    expect(about('delivery_acknowledgement')).toHaveLength(1);
    expect(about('result')).toHaveLength(1);
    expect(answer.outputValues).toBeDefined();
    const claim = JSON.parse((await network.store.read(`${claimsLocation}/${questionUuid}/0`)).toString()) as object;
    expect(claim).toMatchObject({ state: 'finished', takeovers: 0 });
  });
});
