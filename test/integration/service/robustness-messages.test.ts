// Robustness over the real Pub/Sub emulator (issue 3 §6): malformed messages published raw with the official client,
// and messages over the 10 MB Pub/Sub limit, in both directions.
import { randomUUID } from 'node:crypto';

import {
  encodeAttributes,
  makeQuestionAttributes,
  makeQuestionEvent,
  serialiseEventData,
} from '../../../src/core/events';
import { InvalidEvent, MessageTooLarge } from '../../../src/errors';
import { createLogger, memoryLogSink, Service } from '../../../src/service';
import type { RunFunction } from '../../../src/service';
import { Child } from '../../../src/service/child';
import { PARENT, RawReader, serveInProcess, TestTopic, waitFor } from './robustness-helpers';

const CHILD = 'acme/robust-echo:1.0.0';
const ELEVEN_MB = 11_000_000;

const echo: RunFunction = async ({ inputValues }) => ({ outputValues: { echo: inputValues } });

describe('Class: Service (malformed and oversized messages over the Pub/Sub emulator)', () => {
  let topic: TestTopic;

  beforeEach(async () => {
    topic = await new TestTopic().create();
  });

  afterEach(async () => {
    await topic.dispose();
  });

  describe('Method: serve', () => {
    it('logs, acknowledges and drops malformed messages (they never come back), then answers a valid question', async () => {
      // Prepare: a served child, and malformed messages that reach it (they pass its subscription's filter).
      const { sink, entries } = memoryLogSink();
      const service = new Service({
        serviceId: CHILD,
        transport: topic.transport,
        runFunction: echo,
        logger: createLogger({ sinks: [{ sink }] }),
      });
      const served = await serveInProcess(service, { deleteSubscriptionOnExit: false });
      const attributes = encodeAttributes(makeQuestionAttributes({ sender: PARENT, recipient: CHILD }));
      const question = serialiseEventData(makeQuestionEvent({ inputValues: { n: 1 } }));
      const without = (...names: string[]): Record<string, string> =>
        Object.fromEntries(Object.entries(attributes).filter(([name]) => !names.includes(name)));
      const malformed = [
        { data: Buffer.from('{"kind": "question", '), attributes },
        { data: question, attributes: without('question_uuid') },
        { data: Buffer.from('{"kind": "shutdown"}'), attributes },
        { data: Buffer.from('{"kind": "result", "output_values": {"x": 1}}'), attributes },
      ];
      // A response event from a child addressed to the service: the real subscription's filter never delivers it;
      // the emulator ignores filters, so the subscriber must drop (and acknowledge) it.
      const fromChild = {
        data: Buffer.from('{"kind": "heartbeat"}'),
        attributes: { ...attributes, sender_type: 'CHILD' },
      };
      // One ordering key: delivered in this order, and a message left unacknowledged would hold back the rest.
      const orderingKey = `malformed-${randomUUID()}`;
      const ids: string[] = [];
      for (const message of [...malformed, fromChild]) ids.push(await topic.publishRaw({ ...message, orderingKey }));
      const invalid = (): typeof entries =>
        entries.filter((entry) => entry.level === 'error' && entry.message.includes('invalid question'));
      await waitFor(() => invalid().length === malformed.length, 'the malformed messages to be logged');

      // Act: a valid question after them.
      const child = new Child({ id: CHILD, transport: topic.transport, parentSruid: PARENT });
      const { answer } = await child.ask({ inputValues: { n: 2 }, timeout: 30 });
      await child.close();
      await served.stop();
      // Nothing malformed may be left on the service's subscription: read it after a sentinel on the same key.
      const leftOver = RawReader.read(topic.admin.subscription(served.subscriptionName));
      await leftOver.readThrough(topic, orderingKey);

      // Assess
      expect(answer.outputValues).toEqual({ echo: { n: 2 } });
      expect(invalid().map((entry) => (entry.error as Error).message)).toEqual([
        expect.stringMatching(/^The message data is not a JSON event/),
        expect.stringMatching(/\/attributes\/question_uuid: must have required property 'question_uuid'/),
        expect.stringMatching(/^The 'shutdown' event .*\n.*\/event\/kind: must be equal to one of the allowed values/),
        expect.stringMatching(/^Expected a question from a parent but received a 'result' event/),
      ]);
      expect(invalid().every((entry) => entry.error instanceof InvalidEvent)).toBe(true);
      // Each malformed message was handed to the service once: none was redelivered.
      const received = entries.filter((entry) => entry.message === '%s received a question.');
      expect(received).toHaveLength(malformed.length + 1);
      expect(leftOver.messages.map((message) => message.id).filter((id) => ids.includes(id))).toEqual([]);
    });
  });

  describe('Method: answer', () => {
    it('sends the parent a ValidationError naming the JSON pointer of each malformed question it can route', async () => {
      // Prepare: a served child, a reader seeing every message on the topic, and three questions published raw whose
      // events break the schema but whose attributes are a valid question's.
      let runs = 0;
      const service = new Service({
        serviceId: CHILD,
        transport: topic.transport,
        runFunction: async () => {
          runs += 1;
          return { outputValues: {} };
        },
      });
      const served = await serveInProcess(service);
      const reader = await RawReader.open(topic);
      const malformed: [Record<string, unknown>, string][] = [
        [{ kind: 'question', input_manifest: 'gs://bucket/manifest.json' }, '/event/input_manifest: must be object'],
        [{ kind: 'question', input_manifest: { id: randomUUID(), datasets: [] } }, '/event/input_manifest/datasets'],
        [
          { kind: 'question', children: [{ key: 'k', backend: { name: 'GCPPubSubBackend', project_id: 'p' } }] },
          "/event/children/0/id: must have required property 'id'",
        ],
      ];
      const uuids = malformed.map(() => randomUUID());

      // Act
      for (const [index, [event]] of malformed.entries()) {
        const attributes = makeQuestionAttributes({ sender: PARENT, recipient: CHILD, questionUuid: uuids[index] });
        await topic.publishRaw({
          data: Buffer.from(JSON.stringify(event)),
          attributes: encodeAttributes(attributes),
          orderingKey: attributes.question_uuid,
        });
      }
      const exceptions = (): { uuid: string | undefined; event: Record<string, unknown> }[] =>
        reader.messages
          .filter((message) => message.attributes.sender_type === 'CHILD')
          .map((message) => ({
            uuid: message.attributes.question_uuid,
            recipient: message.attributes.recipient,
            event: JSON.parse(message.data.toString()) as Record<string, unknown>,
          }))
          .filter(({ recipient }) => recipient === PARENT);
      await waitFor(() => exceptions().length === malformed.length, 'an exception for each malformed question');
      await served.stop();
      await reader.close();

      // Assess
      for (const [index, [, pointer]] of malformed.entries()) {
        const response = exceptions().find(({ uuid }) => uuid === uuids[index]);
        expect(response?.event).toMatchObject({ kind: 'exception', exception_type: 'ValidationError' });
        expect(response?.event.exception_message).toContain(pointer);
      }
      expect(runs).toBe(0);
    });

    it('sends an exception, and keeps serving, when the result is over the 10 MB limit', async () => {
      // Prepare
      let runs = 0;
      const service = new Service({
        serviceId: CHILD,
        transport: topic.transport,
        runFunction: async ({ inputValues }) => {
          runs += 1;
          const { size } = inputValues as { size: number };
          return { outputValues: { blob: 'x'.repeat(size) } };
        },
      });
      const served = await serveInProcess(service);
      const child = new Child({ id: CHILD, transport: topic.transport, parentSruid: PARENT });

      // Act
      const error = await child
        .ask({ inputValues: { size: ELEVEN_MB }, timeout: 30 })
        .catch((caught: unknown) => caught);
      const { answer } = await child.ask({ inputValues: { size: 3 }, timeout: 30 });
      await child.close();
      await served.stop();

      // Assess
      expect(error).toBeInstanceOf(MessageTooLarge);
      // The re-created error carries the remote message as is, like every other re-raised error.
      expect((error as Error).message).toMatch(
        new RegExp(
          `^Error in <Service\\('${CHILD}'\\)>: The message is \\d+ bytes, over the 10000000-byte Pub/Sub limit`,
        ),
      );
      expect((error as Error).message).toContain(
        `The following traceback was captured from the remote service '${CHILD}'`,
      );
      expect(answer.outputValues).toEqual({ blob: 'xxx' });
      expect(runs).toBe(2);
    });
  });
});

describe('Class: Child (oversized questions over the Pub/Sub emulator)', () => {
  let topic: TestTopic;

  beforeEach(async () => {
    topic = await new TestTopic().create();
  });

  afterEach(async () => {
    await topic.dispose();
  });

  describe('Method: ask', () => {
    it('refuses input values over the 10 MB limit with MessageTooLarge, setting up and publishing nothing', async () => {
      // Prepare: a reader sees everything published on the topic.
      const reader = await RawReader.open(topic);
      const child = new Child({ id: CHILD, transport: topic.transport, parentSruid: PARENT });
      const questionUuid = randomUUID();

      // Act
      const error = await child
        .ask({ inputValues: { blob: 'x'.repeat(ELEVEN_MB) }, questionUuid, timeout: 30 })
        .catch((caught: unknown) => caught);
      const [subscriptions] = await topic.admin.topic(topic.name).getSubscriptions();
      await child.close();
      // Anything published for the question would come before the sentinel, its ordering key being the question's.
      const sentinel = await reader.readThrough(topic, questionUuid);

      // Assess
      expect(error).toBeInstanceOf(MessageTooLarge);
      expect(error).toMatchObject({ limitBytes: 10_000_000 });
      expect((error as MessageTooLarge).sizeBytes).toBeGreaterThan(ELEVEN_MB);
      expect(reader.messages.map((message) => message.id)).toEqual([sentinel]);
      // Nothing was set up for an answer that cannot come: the reader's subscription is the topic's only one.
      expect(subscriptions.map((subscription) => subscription.name)).toEqual([reader.subscriptionName]);
    });
  });
});
