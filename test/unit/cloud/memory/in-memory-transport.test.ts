import { AsyncLocalStorage } from 'node:async_hooks';

import { InMemoryBroker, defaultInMemoryBroker } from '../../../../src/cloud/memory/in-memory-broker';
import { InMemoryTransport } from '../../../../src/cloud/memory/in-memory-transport';
import type { ReceivedMessage } from '../../../../src/core/ports/transport';
import { InvalidResourceName, SubscriptionNotFound, TransportError } from '../../../../src/errors';
import { deferred, describeTransportContract, Recorder, uniqueName } from '../../../helpers/transport-contract';

describeTransportContract('InMemoryTransport', async () => {
  const broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5 });
  const made: InMemoryTransport[] = [];
  return {
    makeTransport(topicName) {
      const transport = new InMemoryTransport({ topicName, broker });
      made.push(transport);
      return transport;
    },
    async cleanup() {
      await Promise.all(made.map((t) => t.close()));
      broker.close();
    },
  };
});

describe('Class: InMemoryTransport', () => {
  let broker: InMemoryBroker;
  let transport: InMemoryTransport;
  const text = (value: string): Buffer => Buffer.from(value);

  async function subscribeNew(
    handler: (message: ReceivedMessage) => void | Promise<void>,
    spec: { ackDeadlineSeconds?: number } = {},
    on: InMemoryTransport = transport,
  ): Promise<{ recorder: Recorder; name: string }> {
    const name = uniqueName('s');
    await on.createSubscription({ name, ...spec });
    const recorder = new Recorder();
    await on.subscribe(name, async (message) => {
      recorder.record(message);
      await handler(message);
    });
    return { recorder, name };
  }

  afterEach(async () => {
    await transport.close();
    broker.close();
  });

  describe('Method: constructor', () => {
    beforeEach(() => {
      broker = new InMemoryBroker();
      transport = new InMemoryTransport({ topicName: 'main.octue.twined.services', broker });
    });

    it('throws InvalidResourceName for a topic name Pub/Sub would refuse', () => {
      expect(() => new InMemoryTransport({ topicName: 'goog.topic', broker })).toThrow(InvalidResourceName);
    });

    it('uses the process-wide default broker when given none, and a fresh one after it is closed', () => {
      // Prepare
      const first = new InMemoryTransport({ topicName: 'main.octue.twined.services' });
      const second = new InMemoryTransport({ topicName: 'main.octue.twined.services' });

      // Act
      first.broker.close();
      const third = new InMemoryTransport({ topicName: 'main.octue.twined.services' });

      // Assess
      expect(first.broker).toBe(second.broker);
      expect(first.broker).not.toBe(broker);
      expect(third.broker).not.toBe(first.broker);
      expect(third.broker).toBe(defaultInMemoryBroker());
      third.broker.close();
    });
  });

  describe('Method: subscribe', () => {
    beforeEach(async () => {
      broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5 });
      transport = new InMemoryTransport({ topicName: 'main.octue.twined.services', broker });
      await transport.ensureTopic();
    });

    it('lets two transports on one broker talk: a parent publishes, a child on another transport receives', async () => {
      // Prepare
      const child = new InMemoryTransport({ topicName: 'main.octue.twined.services', broker });
      const { recorder } = await subscribeNew(() => undefined, {}, child);

      // Act
      await transport.publish({ data: text('question'), attributes: { sender_type: 'PARENT' }, orderingKey: 'q' });
      await recorder.waitFor(1);
      await child.close();

      // Assess
      expect(recorder.texts).toEqual(['question']);
    });

    it('redelivers a message whose ack deadline expires, and ignores the late ack of the expired lease', async () => {
      // Prepare
      const firstHandlerDone = deferred();
      const release = deferred();
      const { recorder, name } = await subscribeNew(
        async (message) => {
          if (message.deliveryAttempt === 1) {
            await release.promise;
            firstHandlerDone.resolve();
          }
        },
        { ackDeadlineSeconds: 0.02 },
      );

      // Act
      await transport.publish({ data: text('slow'), attributes: {}, orderingKey: 'q' });
      await recorder.waitFor(2);
      release.resolve();
      await firstHandlerDone.promise;
      await transport.publish({ data: text('next'), attributes: {}, orderingKey: 'q' });
      await recorder.waitFor(3);
      await new Promise((resolve) => setImmediate(resolve));

      // Assess
      expect(recorder.seen.map((s) => [s.text, s.deliveryAttempt])).toEqual([
        ['slow', 1],
        ['slow', 2],
        ['next', 1],
      ]);
      expect(broker.getSubscription(name)?.backlogSize).toBe(0);
    });

    it('redelivers every leased message at once on redeliverAll()', async () => {
      // Prepare
      const release = deferred();
      const { recorder } = await subscribeNew(async (message) => {
        if (message.deliveryAttempt === 1) await release.promise;
      });
      await transport.publish({ data: text('held'), attributes: {} });
      await recorder.waitFor(1);

      // Act
      broker.redeliverAll();
      await recorder.waitFor(2);
      release.resolve();

      // Assess
      expect(recorder.seen.map((s) => [s.text, s.deliveryAttempt])).toEqual([
        ['held', 1],
        ['held', 2],
      ]);
    });

    it('reports a subscription deleted under a subscriber to onError as SubscriptionNotFound', async () => {
      // Prepare
      const name = uniqueName('s');
      await transport.createSubscription({ name });
      const errors: unknown[] = [];
      await transport.subscribe(name, () => undefined, { onError: (error) => errors.push(error) });

      // Act
      await transport.deleteSubscription(name);

      // Assess
      expect(errors).toEqual([expect.any(SubscriptionNotFound)]);
    });

    it('hands each message to one of several subscribers on the same subscription', async () => {
      // Prepare
      const name = uniqueName('s');
      await transport.createSubscription({ name });
      const seen: string[][] = [[], []];
      const all = new Recorder();
      for (const list of seen) {
        await transport.subscribe(name, (message) => {
          list.push(message.data.toString());
          all.record(message);
        });
      }

      // Act
      for (let i = 0; i < 6; i += 1) await transport.publish({ data: text(`m${i}`), attributes: {} });
      await all.waitFor(6);

      // Assess
      expect([...(seen[0] ?? []), ...(seen[1] ?? [])].sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
      expect(seen[0]?.length).toBeGreaterThan(0);
      expect(seen[1]?.length).toBeGreaterThan(0);
    });

    it('does not let later changes to the published buffer or attributes leak into deliveries', async () => {
      // Prepare
      const { recorder } = await subscribeNew(() => undefined);
      const data = text('original');
      const attributes: Record<string, string> = { a: '1' };

      // Act
      const publishing = transport.publish({ data, attributes });
      data.write('XXXXXXXX');
      attributes.a = '2';
      await publishing;
      await recorder.waitFor(1);

      // Assess
      expect(recorder.seen[0]).toMatchObject({ text: 'original', attributes: { a: '1' } });
    });
  });

  describe('Option: duplicateDeliveries', () => {
    it('delivers each message the given extra number of times, in order before later messages of its key', async () => {
      // Prepare
      broker = new InMemoryBroker({ duplicateDeliveries: 2 });
      transport = new InMemoryTransport({ topicName: 'main.octue.twined.services', broker });
      await transport.ensureTopic();
      const { recorder } = await subscribeNew(() => undefined);

      // Act
      await transport.publish({ data: text('a'), attributes: {}, orderingKey: 'q' });
      await transport.publish({ data: text('b'), attributes: {}, orderingKey: 'q' });
      await recorder.waitFor(6);

      // Assess
      expect(recorder.seen.map((s) => [s.text, s.deliveryAttempt])).toEqual([
        ['a', 1],
        ['a', 2],
        ['a', 3],
        ['b', 1],
        ['b', 2],
        ['b', 3],
      ]);
    });

    it('duplicates only the messages a function picks', async () => {
      // Prepare
      broker = new InMemoryBroker({ duplicateDeliveries: (m) => (m.attributes.kind === 'question' ? 1 : 0) });
      transport = new InMemoryTransport({ topicName: 'main.octue.twined.services', broker });
      await transport.ensureTopic();
      const { recorder } = await subscribeNew(() => undefined);

      // Act
      await transport.publish({ data: text('q'), attributes: { kind: 'question' }, orderingKey: 'k' });
      await transport.publish({ data: text('h'), attributes: { kind: 'heartbeat' }, orderingKey: 'k' });
      await transport.publish({ data: text('end'), attributes: { kind: 'result' }, orderingKey: 'k' });
      await recorder.waitFor(4);

      // Assess
      expect(recorder.texts).toEqual(['q', 'q', 'h', 'end']);
    });
  });

  describe('Option: messageRetentionMs', () => {
    it('drops unacked messages older than the retention, as Pub/Sub does', async () => {
      // Prepare
      let now = 1_000_000;
      broker = new InMemoryBroker({ messageRetentionMs: 600_000, now: () => now });
      transport = new InMemoryTransport({ topicName: 'main.octue.twined.services', broker });
      await transport.ensureTopic();
      const name = uniqueName('s');
      await transport.createSubscription({ name });
      await transport.publish({ data: text('stale'), attributes: {}, orderingKey: 'k' });

      // Act
      now += 600_001;
      await transport.publish({ data: text('fresh'), attributes: {}, orderingKey: 'k' });
      const recorder = new Recorder();
      await transport.subscribe(name, (message) => recorder.record(message));
      await recorder.waitFor(1);
      await new Promise((resolve) => setImmediate(resolve));

      // Assess
      expect(recorder.texts).toEqual(['fresh']);
      expect(broker.getSubscription(name)?.backlogSize).toBe(0);
    });
  });

  describe('Method: close', () => {
    it('refuses calls on a closed broker with TransportError', async () => {
      // Prepare
      broker = new InMemoryBroker();
      transport = new InMemoryTransport({ topicName: 'main.octue.twined.services', broker });

      // Act
      broker.close();

      // Assess
      await expect(transport.ensureTopic()).rejects.toThrow(TransportError);
      expect(broker.subscriptionNames()).toEqual([]);
      expect(broker.topicNames()).toEqual([]);
    });
  });
});

describe('Class: InMemoryTransport (async context)', () => {
  it('runs handlers in the async context they subscribed in, never the publisher’s', async () => {
    // Prepare
    const broker = new InMemoryBroker({ minBackoffMs: 1, maxBackoffMs: 5 });
    const transport = new InMemoryTransport({ topicName: 'main.octue.twined.services', broker });
    const context = new AsyncLocalStorage<string>();
    const seen = deferred<string | undefined>();
    const name = uniqueName('s');
    await transport.ensureTopic();
    await transport.createSubscription({ name });
    await context.run('subscriber', () =>
      transport.subscribe(name, (message) => {
        message.ack();
        seen.resolve(context.getStore());
      }),
    );

    // Act
    await context.run('publisher', () => transport.publish({ data: Buffer.from('x'), attributes: {} }));

    // Assess
    await expect(seen.promise).resolves.toBe('subscriber');
    await transport.close();
    broker.close();
  });
});
