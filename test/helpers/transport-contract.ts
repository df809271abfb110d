// The behaviour every Transport must share. InMemoryTransport runs it in the unit project; PubSubTransport runs it
// against the Pub/Sub emulator in the integration project. Waits are bounded by jest's test timeout, never by timing
// thresholds: "nothing else arrived" is proven by a later message on the same ordering key arriving instead.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { MAX_MESSAGE_BYTES } from '../../src/core/ports/transport';
import type {
  ActiveSubscription,
  MessageHandler,
  ReceivedMessage,
  SubscriptionSpec,
  Transport,
} from '../../src/core/ports/transport';
import {
  EmptyMessage,
  InvalidResourceName,
  MessageTooLarge,
  NotAPullSubscription,
  SubscriptionAlreadyExists,
  SubscriptionNotFound,
  TopicNotFound,
  TransportError,
} from '../../src/errors';
import { deferred } from './deferred';

/** How a transport under test is made and cleaned up. */
export interface TransportFixture {
  /** Makes a transport on the named topic, which need not exist. */
  makeTransport(topicName: string): Transport;
  /** Closes every transport made and deletes the topics and subscriptions the test used. */
  cleanup(leftovers: { topics: readonly string[]; subscriptions: readonly string[] }): Promise<void>;
}

/** What a handler saw of one delivery. */
export interface Seen {
  readonly id: string;
  readonly text: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly orderingKey: string | undefined;
  readonly deliveryAttempt: number;
  readonly publishTime: Date;
}

/** Records deliveries and lets a test wait for a number of them. */
export class Recorder {
  readonly seen: Seen[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  /** Records one delivery. */
  record(message: ReceivedMessage): void {
    this.seen.push({
      id: message.id,
      text: message.data.toString('utf8'),
      attributes: message.attributes,
      orderingKey: message.orderingKey,
      deliveryAttempt: message.deliveryAttempt,
      publishTime: message.publishTime,
    });
    this.waiters = this.waiters.filter((waiter) => {
      if (this.seen.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  }

  /** Resolves once `count` deliveries have been recorded. */
  waitFor(count: number): Promise<void> {
    if (this.seen.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** The texts seen, in order. */
  get texts(): string[] {
    return this.seen.map((s) => s.text);
  }
}

export { deferred };

/** A unique Pub/Sub-valid name. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

const text = (value: string): Buffer => Buffer.from(value, 'utf8');

/**
 * Defines the Transport contract tests.
 * @param name - The implementation's name, for the describe block.
 * @param makeFixture - Creates a fixture for one test.
 */
export function describeTransportContract(name: string, makeFixture: () => Promise<TransportFixture>): void {
  describe(`Class: ${name} (Transport contract)`, () => {
    let fixture: TransportFixture;
    let transport: Transport;
    let topics: string[];
    let subscriptions: string[];

    beforeEach(async () => {
      fixture = await makeFixture();
      topics = [uniqueName('t')];
      subscriptions = [];
      transport = fixture.makeTransport(topics[0] as string);
      await transport.ensureTopic();
    });

    afterEach(async () => {
      await fixture.cleanup({ topics, subscriptions });
    });

    async function createSubscription(spec: Partial<SubscriptionSpec> = {}, on = transport): Promise<string> {
      const subscriptionName = spec.name ?? uniqueName('s');
      subscriptions.push(subscriptionName);
      await on.createSubscription({ ...spec, name: subscriptionName });
      return subscriptionName;
    }

    async function record(
      subscriptionName: string,
      handler: MessageHandler = () => undefined,
    ): Promise<{ recorder: Recorder; active: ActiveSubscription }> {
      const recorder = new Recorder();
      const active = await transport.subscribe(subscriptionName, async (message) => {
        recorder.record(message);
        await handler(message);
      });
      return { recorder, active };
    }

    describe('Method: publish', () => {
      it('delivers data, attributes and the ordering key, first as delivery attempt 1', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        const { recorder } = await record(subscriptionName);

        // Act
        const id = await transport.publish({
          data: text('{"kind":"heartbeat"}'),
          attributes: { question_uuid: 'q-1', sender_type: 'CHILD', retry_count: '0' },
          orderingKey: 'q-1',
        });
        await recorder.waitFor(1);

        // Assess
        expect(recorder.seen).toEqual([
          {
            id,
            text: '{"kind":"heartbeat"}',
            attributes: { question_uuid: 'q-1', sender_type: 'CHILD', retry_count: '0' },
            orderingKey: 'q-1',
            deliveryAttempt: 1,
            publishTime: expect.any(Date),
          },
        ]);
      });

      it('refuses empty data with EmptyMessage and publishes nothing', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        const { recorder } = await record(subscriptionName);

        // Act
        const attempt = transport.publish({ data: Buffer.alloc(0), attributes: { a: '1' }, orderingKey: 'k' });

        // Assess
        await expect(attempt).rejects.toThrow(EmptyMessage);
        await transport.publish({ data: text('after'), attributes: {}, orderingKey: 'k' });
        await recorder.waitFor(1);
        expect(recorder.texts).toEqual(['after']);
      });

      it.each([
        ['data one byte over the limit', MAX_MESSAGE_BYTES + 1, {}, undefined, MAX_MESSAGE_BYTES + 1],
        [
          'data within the limit but attributes over it',
          MAX_MESSAGE_BYTES - 5,
          { abc: 'def' },
          undefined,
          MAX_MESSAGE_BYTES + 1,
        ],
        ['data within the limit but the ordering key over it', MAX_MESSAGE_BYTES - 1, {}, 'kk', MAX_MESSAGE_BYTES + 1],
      ])(
        'refuses %s with MessageTooLarge before publishing',
        async (_case, dataBytes, attributes: Record<string, string>, orderingKey, expectedSize) => {
          // Prepare
          const subscriptionName = await createSubscription();
          const { recorder } = await record(subscriptionName);

          // Act
          const attempt = transport.publish({ data: Buffer.alloc(dataBytes, 0x61), attributes, orderingKey });

          // Assess
          await expect(attempt).rejects.toThrow(MessageTooLarge);
          await expect(attempt).rejects.toMatchObject({ sizeBytes: expectedSize, limitBytes: MAX_MESSAGE_BYTES });
          await transport.publish({ data: text('after'), attributes: {}, orderingKey });
          await recorder.waitFor(1);
          expect(recorder.texts).toEqual(['after']);
        },
      );

      it('delivers a message of exactly the size limit', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        const { recorder } = await record(subscriptionName);
        const attributes = { kind: 'big' };
        const data = Buffer.alloc(MAX_MESSAGE_BYTES - 'kind'.length - 'big'.length - 'q'.length, 0x62);

        // Act
        await transport.publish({ data, attributes, orderingKey: 'q' });
        await recorder.waitFor(1);

        // Assess
        expect(recorder.seen[0]?.text.length).toBe(data.length);
      });

      it('throws TopicNotFound when the topic does not exist', async () => {
        // Prepare
        const missingTopic = uniqueName('t-missing');
        const other = fixture.makeTransport(missingTopic);

        // Act
        const attempt = other.publish({ data: text('x'), attributes: {} });

        // Assess
        await expect(attempt).rejects.toThrow(TopicNotFound);
        await expect(attempt).rejects.toMatchObject({ topicName: missingTopic });
      });
    });

    describe('Method: subscribe', () => {
      it('delivers 50 messages with one ordering key in publish order, one at a time', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        let running = 0;
        let mostAtOnce = 0;
        const { recorder } = await record(subscriptionName, async () => {
          running += 1;
          mostAtOnce = Math.max(mostAtOnce, running);
          await new Promise((resolve) => setImmediate(resolve));
          running -= 1;
        });
        const expected = Array.from({ length: 50 }, (_, i) => `m${i}`);

        // Act
        await Promise.all(expected.map((m) => transport.publish({ data: text(m), attributes: {}, orderingKey: 'q' })));
        await recorder.waitFor(50);

        // Assess
        expect(recorder.texts).toEqual(expected);
        expect(mostAtOnce).toBe(1);
      });

      it('keeps the order of each key when keys interleave', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        const { recorder } = await record(subscriptionName);

        // Act
        for (let i = 0; i < 10; i += 1) {
          await transport.publish({ data: text(`a${i}`), attributes: {}, orderingKey: 'a' });
          await transport.publish({ data: text(`b${i}`), attributes: {}, orderingKey: 'b' });
        }
        await recorder.waitFor(20);

        // Assess
        const ofKey = (key: string): string[] => recorder.seen.filter((s) => s.orderingKey === key).map((s) => s.text);
        expect(ofKey('a')).toEqual(Array.from({ length: 10 }, (_, i) => `a${i}`));
        expect(ofKey('b')).toEqual(Array.from({ length: 10 }, (_, i) => `b${i}`));
      });

      it('never hands over messages that do not match the subscription filter', async () => {
        // Prepare
        const subscriptionName = await createSubscription({
          filter: { recipient: 'acme/child:1.0.0', sender_type: 'PARENT' },
        });
        const { recorder } = await record(subscriptionName);
        const sends: [string, Record<string, string>][] = [
          ['other recipient', { recipient: 'acme/other:1.0.0', sender_type: 'PARENT' }],
          ['mine 1', { recipient: 'acme/child:1.0.0', sender_type: 'PARENT' }],
          ['wrong sender type', { recipient: 'acme/child:1.0.0', sender_type: 'CHILD' }],
          ['no attributes', {}],
          ['mine 2', { recipient: 'acme/child:1.0.0', sender_type: 'PARENT', extra: 'x' }],
        ];

        // Act
        for (const [data, attributes] of sends) {
          await transport.publish({ data: text(data), attributes, orderingKey: 'q' });
        }
        await recorder.waitFor(2);

        // Assess: the last message came after every other one on its key, so nothing else can still arrive.
        expect(recorder.texts).toEqual(['mine 1', 'mine 2']);
      });

      it('acks a message whose handler returns without acking, so it is not redelivered', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        const { recorder } = await record(subscriptionName);

        // Act
        await transport.publish({ data: text('first'), attributes: {}, orderingKey: 'k' });
        await transport.publish({ data: text('second'), attributes: {}, orderingKey: 'k' });
        await recorder.waitFor(2);

        // Assess
        expect(recorder.seen.map((s) => [s.text, s.deliveryAttempt])).toEqual([
          ['first', 1],
          ['second', 1],
        ]);
      });

      it('redelivers a nacked message as delivery attempt 2', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        const { recorder } = await record(subscriptionName, (message) => {
          if (message.deliveryAttempt === 1) message.nack();
          else message.ack();
        });

        // Act
        const id = await transport.publish({ data: text('retry me'), attributes: { n: '1' } });
        await recorder.waitFor(2);

        // Assess
        expect(recorder.seen.map((s) => [s.id, s.text, s.deliveryAttempt])).toEqual([
          [id, 'retry me', 1],
          [id, 'retry me', 2],
        ]);
      });

      it('redelivers when the handler throws and reports the error to onError', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        const recorder = new Recorder();
        const errors: unknown[] = [];
        await transport.subscribe(
          subscriptionName,
          (message) => {
            recorder.record(message);
            if (message.deliveryAttempt === 1) throw new Error('handler broke');
          },
          { onError: (error) => errors.push(error) },
        );

        // Act
        await transport.publish({ data: text('fragile'), attributes: {} });
        await recorder.waitFor(2);

        // Assess
        expect(recorder.seen.map((s) => [s.text, s.deliveryAttempt])).toEqual([
          ['fragile', 1],
          ['fragile', 2],
        ]);
        expect(errors).toEqual([new Error('handler broke')]);
      });

      it('redelivers a nacked message before later messages with its ordering key', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        const { recorder } = await record(subscriptionName, (message) => {
          if (message.data.toString() === 'm0' && message.deliveryAttempt === 1) message.nack();
        });

        // Act
        for (const m of ['m0', 'm1', 'm2'])
          await transport.publish({ data: text(m), attributes: {}, orderingKey: 'q' });
        await recorder.waitFor(4);

        // Assess
        expect(recorder.seen.map((s) => [s.text, s.deliveryAttempt])).toEqual([
          ['m0', 1],
          ['m0', 2],
          ['m1', 1],
          ['m2', 1],
        ]);
      });

      it('throws SubscriptionNotFound when the subscription does not exist', async () => {
        // Prepare
        const missing = uniqueName('s-missing');

        // Act
        const attempt = transport.subscribe(missing, () => undefined);

        // Assess
        await expect(attempt).rejects.toThrow(SubscriptionNotFound);
        await expect(attempt).rejects.toMatchObject({ subscriptionName: missing });
      });

      it('throws NotAPullSubscription for a push subscription', async () => {
        // Prepare
        const subscriptionName = await createSubscription({ pushEndpoint: 'http://127.0.0.1:9/unused' });

        // Act
        const attempt = transport.subscribe(subscriptionName, () => undefined);

        // Assess
        await expect(attempt).rejects.toThrow(NotAPullSubscription);
      });
    });

    describe('Method: createSubscription', () => {
      it('throws SubscriptionAlreadyExists when the subscription exists and allowExisting is not given', async () => {
        // Prepare
        const subscriptionName = await createSubscription();

        // Act
        const attempt = transport.createSubscription({ name: subscriptionName });

        // Assess
        await expect(attempt).rejects.toThrow(SubscriptionAlreadyExists);
        await expect(attempt).rejects.toMatchObject({ subscriptionName });
      });

      it('leaves an existing subscription working when allowExisting is given', async () => {
        // Prepare
        const subscriptionName = await createSubscription({ filter: { recipient: 'me' } });

        // Act
        await transport.createSubscription({ name: subscriptionName }, { allowExisting: true });
        const { recorder } = await record(subscriptionName);
        await transport.publish({ data: text('not mine'), attributes: { recipient: 'you' }, orderingKey: 'k' });
        await transport.publish({ data: text('mine'), attributes: { recipient: 'me' }, orderingKey: 'k' });
        await recorder.waitFor(1);

        // Assess: the original filter still applies.
        expect(recorder.texts).toEqual(['mine']);
      });

      it('throws TopicNotFound when the topic does not exist', async () => {
        // Prepare
        const missingTopic = uniqueName('t-missing');
        const other = fixture.makeTransport(missingTopic);

        // Act
        const attempt = other.createSubscription({ name: uniqueName('s') });

        // Assess
        await expect(attempt).rejects.toThrow(TopicNotFound);
      });

      it.each([
        ['too short', 'ab'],
        ['reserved by Google', 'goog-reserved'],
        ['starting with a digit', '9starts-with-a-digit'],
        ['containing a space', 'has space'],
        ['longer than 255 characters', 'x'.repeat(256)],
      ])('throws InvalidResourceName for a name %s', async (_case, badName) => {
        await expect(transport.createSubscription({ name: badName })).rejects.toThrow(InvalidResourceName);
      });

      it('pushes to the endpoint of a push subscription, again after a failed push', async () => {
        // Prepare
        const bodies: unknown[] = [];
        const received = deferred();
        const server: Server = createServer((request: IncomingMessage, response) => {
          let body = '';
          request.on('data', (chunk: Buffer) => (body += chunk.toString()));
          request.on('end', () => {
            bodies.push(JSON.parse(body));
            response.statusCode = bodies.length === 1 ? 500 : 204;
            response.end();
            if (bodies.length === 2) received.resolve();
          });
        });
        await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
        const { port } = server.address() as AddressInfo;
        try {
          const subscriptionName = await createSubscription({ pushEndpoint: `http://127.0.0.1:${port}/push` });

          // Act
          const id = await transport.publish({ data: text('{"kind":"question"}'), attributes: { recipient: 'me' } });
          await received.promise;
          await transport.deleteSubscription(subscriptionName);

          // Assess
          expect(bodies).toHaveLength(2);
          for (const body of bodies) {
            expect(body).toMatchObject({
              message: { data: text('{"kind":"question"}').toString('base64'), attributes: { recipient: 'me' } },
              subscription: expect.stringMatching(new RegExp(`/subscriptions/${subscriptionName}$`)),
            });
            expect((body as { message: { messageId: string } }).message.messageId).toBe(id);
          }
        } finally {
          server.closeAllConnections();
          await new Promise((resolve) => server.close(resolve));
        }
      });
    });

    describe('Method: deleteSubscription', () => {
      it('deletes the subscription, so subscribing to it fails', async () => {
        // Prepare
        const subscriptionName = await createSubscription();

        // Act
        await transport.deleteSubscription(subscriptionName);

        // Assess
        await expect(transport.subscribe(subscriptionName, () => undefined)).rejects.toThrow(SubscriptionNotFound);
      });

      it('ignores a subscription that does not exist', async () => {
        await expect(transport.deleteSubscription(uniqueName('s-missing'))).resolves.toBeUndefined();
      });
    });

    describe('Method: ensureTopic', () => {
      it('creates a missing topic and accepts an existing one', async () => {
        // Prepare
        const newTopic = uniqueName('t-new');
        topics.push(newTopic);
        const other = fixture.makeTransport(newTopic);
        const before = await other.topicExists();

        // Act
        await other.ensureTopic();
        await other.ensureTopic();

        // Assess
        expect(before).toBe(false);
        expect(await other.topicExists()).toBe(true);
      });
    });

    describe('Method: close', () => {
      it('stops delivery to a closed subscriber after its running handler has finished and acked', async () => {
        // Prepare
        const subscriptionName = await createSubscription();
        const release = deferred();
        const events: string[] = [];
        const { recorder, active } = await record(subscriptionName, () => release.promise);
        await transport.publish({ data: text('first'), attributes: {}, orderingKey: 'k' });
        await recorder.waitFor(1);

        // Act
        const closing = active.close().then(() => events.push('closed'));
        await new Promise((resolve) => setImmediate(resolve));
        events.push('released');
        release.resolve();
        await closing;
        await transport.publish({ data: text('second'), attributes: {}, orderingKey: 'k' });
        const { recorder: next } = await record(subscriptionName);
        await next.waitFor(1);

        // Assess: 'first' was acked by the finished handler, so the new subscriber only gets 'second'.
        expect(events).toEqual(['released', 'closed']);
        expect(recorder.texts).toEqual(['first']);
        expect(next.texts).toEqual(['second']);
      });

      it('makes later calls fail with TransportError once the transport is closed', async () => {
        // Prepare
        const subscriptionName = await createSubscription();

        // Act
        await transport.close();

        // Assess
        await expect(transport.publish({ data: text('late'), attributes: {} })).rejects.toThrow(TransportError);
        await expect(transport.subscribe(subscriptionName, () => undefined)).rejects.toThrow(TransportError);
      });
    });
  });
}
