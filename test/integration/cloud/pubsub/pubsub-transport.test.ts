import { PubSub } from '@google-cloud/pubsub';

import { PubSubTransport } from '../../../../src/cloud/pubsub/pubsub-transport';
import { answerSubscription, childSubscription } from '../../../../src/core/topology';
import { TransportError } from '../../../../src/errors';
import { describeTransportContract, uniqueName } from '../../../helpers/transport-contract';
import { emulatorHost } from '../../../helpers/pubsub-emulator-host';

const PROJECT_ID = 'demo-skein';

/** A raw client for cleanup and for reading back what the transport created. */
function adminClient(): PubSub {
  return new PubSub({ projectId: PROJECT_ID, apiEndpoint: emulatorHost() });
}

async function deleteQuietly(action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch {
    // Already gone: cleanup only needs it not to exist.
  }
}

describeTransportContract('PubSubTransport', async () => {
  const made: PubSubTransport[] = [];
  return {
    makeTransport(topicName) {
      const transport = new PubSubTransport({ projectId: PROJECT_ID, topicName, apiEndpoint: emulatorHost() });
      made.push(transport);
      return transport;
    },
    async cleanup({ topics, subscriptions }) {
      await Promise.all(made.map((t) => t.close()));
      const admin = adminClient();
      await Promise.all(subscriptions.map((name) => deleteQuietly(() => admin.subscription(name).delete())));
      await Promise.all(topics.map((name) => deleteQuietly(() => admin.topic(name).delete())));
      await admin.close();
    },
  };
});

describe('Class: PubSubTransport', () => {
  let admin: PubSub;
  let transport: PubSubTransport;
  let subscriptions: string[];

  beforeEach(async () => {
    admin = adminClient();
    subscriptions = [];
    transport = new PubSubTransport({
      projectId: PROJECT_ID,
      topicName: uniqueName('t'),
      apiEndpoint: emulatorHost(),
    });
    await transport.ensureTopic();
  });

  afterEach(async () => {
    await Promise.all(subscriptions.map((name) => deleteQuietly(() => admin.subscription(name).delete())));
    await transport.deleteTopic();
    await transport.close();
    await admin.close();
  });

  describe('Method: createSubscription', () => {
    it("creates a child subscription with Octue's settings, its filter and no expiry", async () => {
      // Prepare
      const spec = childSubscription(`acme/child-${Date.now()}:2.1.0`);
      subscriptions.push(spec.name);

      // Act
      await transport.createSubscription(spec);
      const [metadata] = await admin.subscription(spec.name).getMetadata();

      // Assess
      expect(metadata).toMatchObject({
        topic: `projects/${PROJECT_ID}/topics/${transport.topicName}`,
        ackDeadlineSeconds: 600,
        messageRetentionDuration: { seconds: '600' },
        retryPolicy: { minimumBackoff: { seconds: '10' }, maximumBackoff: { seconds: '600' } },
        enableMessageOrdering: true,
        filter: `attributes.recipient = "${spec.filter?.recipient}" AND attributes.sender_type = "PARENT"`,
        expirationPolicy: { ttl: null },
      });
    });

    it('creates an answer subscription that expires after 31 days and a push config when given an endpoint', async () => {
      // Prepare
      const spec = answerSubscription({
        parentSruid: 'acme/parent:1.0.0',
        questionUuid: uniqueName('q'),
        pushEndpoint: 'http://127.0.0.1:9/answers',
      });
      subscriptions.push(spec.name);

      // Act
      await transport.createSubscription(spec);
      const [metadata] = await admin.subscription(spec.name).getMetadata();

      // Assess
      expect(metadata).toMatchObject({
        expirationPolicy: { ttl: { seconds: String(31 * 24 * 3600) } },
        pushConfig: { pushEndpoint: 'http://127.0.0.1:9/answers' },
        filter:
          'attributes.recipient = "acme/parent:1.0.0" AND ' +
          `attributes.question_uuid = "${spec.filter?.question_uuid}" AND attributes.sender_type = "CHILD"`,
      });
    });

    it('wraps a refusal by the service in a TransportError that keeps the client error as cause', async () => {
      // Prepare
      const name = uniqueName('s');
      subscriptions.push(name);

      // Act
      const attempt = transport.createSubscription({ name, ackDeadlineSeconds: 100_000 });

      // Assess
      await expect(attempt).rejects.toThrow(TransportError);
      await expect(attempt).rejects.toMatchObject({ cause: expect.objectContaining({ code: expect.any(Number) }) });
    });
  });

  describe('Method: subscribe', () => {
    it('refuses with TransportError a subscription whose filter cannot be applied on receipt', async () => {
      // Prepare
      const name = uniqueName('s');
      subscriptions.push(name);
      await admin.topic(transport.topicName).createSubscription(name, { filter: 'hasPrefix(attributes.kind, "q")' });

      // Act
      const attempt = transport.subscribe(name, () => undefined);

      // Assess
      await expect(attempt).rejects.toThrow(TransportError);
      await expect(attempt).rejects.toThrow(/cannot be applied on receipt/);
    });
  });

  describe('Method: publish', () => {
    it.each([0, 2, 20])(
      "delivers a child's responses published at once in order, with %p ms of response coalescing",
      async (responseCoalescingMs) => {
        // Prepare
        const responder = new PubSubTransport({
          projectId: PROJECT_ID,
          topicName: transport.topicName,
          apiEndpoint: emulatorHost(),
          responseCoalescingMs,
        });
        const name = uniqueName('s');
        subscriptions.push(name);
        await transport.createSubscription({ name });
        const received: string[] = [];
        const all = new Promise<void>((done) => {
          void transport.subscribe(name, (message) => {
            received.push(message.data.toString());
            if (received.length === 30) done();
          });
        });
        const texts = Array.from({ length: 30 }, (_, i) => `event-${i}`);

        // Act: a quick answer's events, published without waiting, as the Responder sends them.
        await Promise.all(
          texts.map((text) =>
            responder.publish({ data: Buffer.from(text), attributes: { sender_type: 'CHILD' }, orderingKey: 'q-1' }),
          ),
        );
        await all;
        await responder.close();

        // Assess
        expect(received).toEqual(texts);
      },
    );
  });

  describe('Method: deleteTopic', () => {
    it('deletes the topic and ignores one that is already gone', async () => {
      // Act
      await transport.deleteTopic();
      await transport.deleteTopic();

      // Assess
      expect(await transport.topicExists()).toBe(false);
    });
  });
});
