// Item 5 of the hardening issue, with functions-framework and the Pub/Sub emulator: a fresh csv-stats function started
// without TWINED_SERVICES_TOPIC_NAME (so on Octue's default topic, in a project of this file's own) first receives a
// poison push along a path naming another topic, then a real question. The function used to bind its topic from the
// first delivery's push path, before checking who the delivery was for, and then answered everything on that topic.
import { randomUUID } from 'node:crypto';

import type { CsvStatsOutput } from '../../../apps/csv-stats';
import { PubSubTransport } from '../../../src/cloud/pubsub';
import type { ReceivedMessage } from '../../../src/core/ports/transport';
import { resolveServicesTopicName } from '../../../src/core/topology';
import {
  encodeAttributes,
  makeQuestionAttributes,
  makeQuestionEvent,
  serialiseEventData,
} from '../../../src/core/events';
import type { RunningFunction } from './function-server';
import { CSV_STATS_ID, FunctionNetwork, PARENT_ID } from './function-network';

jest.setTimeout(240_000);

describe('Function: csvStats (a poison push naming another topic, then a real question)', () => {
  let network: FunctionNetwork;
  let csvStats: RunningFunction;
  let other: PubSubTransport;
  const onOther: ReceivedMessage[] = [];

  beforeAll(async () => {
    network = await FunctionNetwork.start({
      projectId: `demo-poison-${randomUUID().slice(0, 8)}`,
      // Octue's default, main.octue.twined.services: where a function without TWINED_SERVICES_TOPIC_NAME answers.
      topicName: resolveServicesTopicName({ env: {} }),
    });
    // Another topic in the same project, watched for anything the function publishes there.
    other = new PubSubTransport({
      projectId: network.projectId,
      topicName: `it-other-${randomUUID().slice(0, 8)}`,
      apiEndpoint: process.env.PUBSUB_EMULATOR_HOST,
    });
    await other.ensureTopic();
    await other.createSubscription({ name: `watch-${other.topicName}` });
    await other.subscribe(`watch-${other.topicName}`, (message) => {
      onOther.push(message);
      message.ack();
    });
    csvStats = await network.serve('csvStats', CSV_STATS_ID, { TWINED_SERVICES_TOPIC_NAME: '' });
  });

  afterAll(async () => {
    await other?.deleteSubscription(`watch-${other.topicName}`).catch(() => undefined);
    await other?.deleteTopic().catch(() => undefined);
    await other?.close();
    await network?.close();
  });

  it('builds nothing for the poison and answers the real question on the configured (default) topic', async () => {
    // Prepare: a push body for another service, POSTed straight to the function along a path naming the other topic.
    const attributes = makeQuestionAttributes({ sender: PARENT_ID, recipient: 'skein-examples/other:0.1.0' });
    const body = {
      subscription: `projects/${network.projectId}/subscriptions/forged`,
      message: {
        data: serialiseEventData(makeQuestionEvent({})).toString('base64'),
        attributes: encodeAttributes(attributes),
        messageId: 'poison-1',
        publishTime: new Date().toISOString(),
      },
    };
    const tables = await network.uploadExample('north-ridge');

    // Act
    const poison = await fetch(csvStats.endpoint(network.projectId, other.topicName), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const claimsAfterPoison = await network.store.list(`gs://${network.bucket}/.skein/claims`);
    const { answer, questionUuid } = await network
      .child(CSV_STATS_ID)
      .ask({ inputManifest: { id: '5e0b3c1d-2f4a-4b6c-8d7e-9f0a1b2c3d4e', datasets: { tables } }, timeout: 90 });

    // Assess
    expect(poison.status).toBe(200);
    expect(csvStats.logs().some((line) => line.message.includes('Message poison-1 is not a question for'))).toBe(true);
    expect(claimsAfterPoison.objects).toEqual([]);
    expect((answer.outputValues as CsvStatsOutput).rows).toBe(112);
    expect(await network.store.exists(`gs://${network.bucket}/.skein/claims/${questionUuid}/0`)).toBe(true);
    expect(onOther).toEqual([]);
  });
});
