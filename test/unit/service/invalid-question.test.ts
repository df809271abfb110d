import { randomUUID } from 'node:crypto';

import { InvalidQuestion } from '../../../src/errors';
import { Child } from '../../../src/service/child';
import type { Transport } from '../../../src/core/ports/transport';
import { createLogger, InProcessClaims, memoryLogSink, Service } from '../../../src/service';
import type { AnswerOutcome } from '../../../src/service';
import { CHILD, deferred, MemoryNetwork, PARENT, questionMessage, waitFor } from './helpers';

// Item 3 of the hardening issue: a question that breaks the event schema used to be dropped with a log line, so a
// parent not using Child.ask (a Python peer) waited until its timeout. These tests publish raw questions, as any peer
// can, and look at what the parent receives.

const MALFORMED: [string, Record<string, unknown>, string][] = [
  [
    'a manifest that is a string',
    { kind: 'question', input_manifest: 'gs://bucket/manifest.json' },
    '/event/input_manifest',
  ],
  [
    'datasets that are an array',
    { kind: 'question', input_manifest: { id: randomUUID(), datasets: [] } },
    '/event/input_manifest/datasets',
  ],
  [
    'a child record without an id',
    { kind: 'question', children: [{ key: 'k', backend: { name: 'GCPPubSubBackend', project_id: 'p' } }] },
    '/event/children/0/id',
  ],
];

let network: MemoryNetwork;
let runs: number;

function service(options: Partial<ConstructorParameters<typeof Service>[0]> = {}): Service {
  return new Service({
    serviceId: CHILD,
    transport: network.transport,
    runFunction: async () => {
      runs += 1;
      return { outputValues: {} };
    },
    ...options,
  });
}

function raw(event: unknown, attributes: Record<string, string> = questionMessage().attributes) {
  return { data: Buffer.from(JSON.stringify(event)), attributes, orderingKey: attributes.question_uuid };
}

beforeEach(async () => {
  network = await new MemoryNetwork().start();
  runs = 0;
});

afterEach(async () => {
  await network.close();
});

describe('Class: Service', () => {
  describe('Method: answer (invalid questions)', () => {
    it.each(MALFORMED)(
      'sends the parent a ValidationError naming %s by its JSON pointer, and runs nothing',
      async (_case, event, pointer) => {
        // Prepare: the child serves its subscription; the question is published raw, not through Child.ask.
        const controller = new AbortController();
        const ready = deferred();
        const serving = service().serve({ signal: controller.signal, onReady: () => ready.resolve() });
        await ready.promise;
        const message = raw(event);

        // Act
        await network.transport.publish(message);
        await waitFor(() => network.kinds().includes('exception'), 'the exception');
        controller.abort();
        await serving;

        // Assess
        expect(network.kinds()).toEqual(['exception']);
        const [exception] = network.ofKind('exception');
        expect(exception?.exception_type).toBe('ValidationError');
        expect(exception?.exception_message).toContain(`Error in <Service('${CHILD}')>:`);
        expect(exception?.exception_message).toContain(`${pointer}: `);
        expect(network.responses[0]?.attributes).toMatchObject({
          question_uuid: message.attributes.question_uuid,
          sender: CHILD,
          sender_type: 'CHILD',
          recipient: PARENT,
        });
        expect(runs).toBe(0);
      },
    );

    it('acknowledges an invalid question and reports it once however often it is delivered', async () => {
      const message = raw(MALFORMED[0]?.[1]);
      const settled: string[] = [];
      const delivery = { ...message, ack: () => settled.push('ack'), nack: () => settled.push('nack') };
      const svc = service();

      const outcomes: AnswerOutcome[] = [];
      for (let i = 0; i < 3; i += 1) outcomes.push(await svc.answer(delivery as never));
      await waitFor(() => network.responses.length > 0, 'the exception');

      expect(settled).toEqual(['ack', 'ack', 'ack']);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(['invalid', 'invalid', 'invalid']);
      expect(outcomes.map((outcome) => 'exception' in outcome && outcome.exception !== undefined)).toEqual([
        true,
        false,
        false,
      ]);
      expect(outcomes[0]).toMatchObject({ questionUuid: message.attributes.question_uuid });
      expect(network.kinds()).toEqual(['exception']);
    });

    it('still reports an invalid question whose claim cannot be decided, and acknowledges it', async () => {
      const settled: string[] = [];
      const delivery = { ...raw(MALFORMED[1]?.[1]), ack: () => settled.push('ack'), nack: () => settled.push('nack') };
      const svc = service({ claims: { durable: true, claim: () => Promise.reject(new Error('store unavailable')) } });

      const outcome = await svc.answer(delivery as never);

      expect(settled).toEqual(['ack']);
      expect(outcome).toMatchObject({ status: 'invalid', exception: { exception_type: 'ValidationError' } });
    });

    const valid = questionMessage().attributes;
    const otherUuid = randomUUID();
    it.each<[string, unknown, Record<string, string>]>([
      ['addressed to another service', MALFORMED[0]?.[1], { ...valid, recipient: 'acme/other:1.0.0' }],
      ['from a sender that is not an SRUID', MALFORMED[0]?.[1], { ...valid, sender: 'gs://attacker/bucket' }],
      ['with a parent that is not an SRUID', MALFORMED[0]?.[1], { ...valid, parent: 'projects/p/topics/other' }],
      ['with an originator that is not an SRUID', MALFORMED[0]?.[1], { ...valid, originator: '../../etc' }],
      ['with a question uuid that is not a uuid', MALFORMED[0]?.[1], { ...valid, question_uuid: '../../claims/x' }],
      [
        'with an originator question uuid that is not a uuid',
        MALFORMED[0]?.[1],
        { ...valid, originator_question_uuid: 'x/y' },
      ],
      ['with a parent question uuid that is not a uuid', MALFORMED[0]?.[1], { ...valid, parent_question_uuid: 'x' }],
      ['with an unusual SDK version', MALFORMED[0]?.[1], { ...valid, sender_sdk_version: '0.69.0 <script>' }],
      ['sent as a child response', MALFORMED[0]?.[1], { ...valid, sender_type: 'CHILD', question_uuid: otherUuid }],
      ['of another kind', { kind: 'cancellation' }, valid],
      ['that is not an object', ['question'], valid],
    ])('logs and drops an invalid question %s without sending anything', async (_case, event, attributes) => {
      const { sink, entries } = memoryLogSink();
      const svc = service({ logger: createLogger({ sinks: [{ sink }] }), claims: new InProcessClaims() });

      const outcome = await svc.answer(raw(event, attributes));
      await svc.answer(questionMessage());
      await waitFor(() => network.kinds().includes('result'), 'the next result');

      expect(outcome).toMatchObject({ status: 'invalid' });
      expect(outcome).not.toHaveProperty('exception');
      expect(network.kinds()).not.toContain('exception');
      expect(entries.some((entry) => entry.message.includes('invalid question; it was dropped'))).toBe(true);
    });

    it('bounds the failures it reports and the length of each pointer', async () => {
      const longName = 'p'.repeat(5000);
      const datasets = Array.from({ length: 200 }, (_unused, i) => [`${longName}${i}`, 42]);
      const event = { kind: 'question', input_manifest: { id: randomUUID(), datasets: Object.fromEntries(datasets) } };

      const outcome = await service().answer(raw(event));

      const message = (outcome as { exception?: { exception_message: string } }).exception?.exception_message ?? '';
      expect(message).toContain('/event/input_manifest/datasets/ppp');
      expect(message).toContain('more failures');
      expect(message.length).toBeLessThan(10_000);
    });
  });
});

describe('Class: Child', () => {
  describe('Method: ask', () => {
    it('re-raises a question the child found invalid as InvalidQuestion naming the JSON pointer', async () => {
      // Prepare: a broken network peer turns the (valid) question's manifest into a string on its way to the child.
      const inner = network.transport;
      const corrupting: Transport = {
        kind: inner.kind,
        topicName: inner.topicName,
        publish: (message) => {
          if (message.attributes.sender_type !== 'PARENT') return inner.publish(message);
          const event = { ...(JSON.parse(message.data.toString()) as object), input_manifest: 'gs://b/m.json' };
          return inner.publish({ ...message, data: Buffer.from(JSON.stringify(event)) });
        },
        ensureTopic: () => inner.ensureTopic(),
        topicExists: () => inner.topicExists(),
        createSubscription: (spec, options) => inner.createSubscription(spec, options),
        deleteSubscription: (name) => inner.deleteSubscription(name),
        subscribe: (name, handler, options) => inner.subscribe(name, handler, options),
        close: () => Promise.resolve(),
      };
      const controller = new AbortController();
      const ready = deferred();
      const serving = service().serve({ signal: controller.signal, onReady: () => ready.resolve() });
      await ready.promise;
      const child = new Child({ id: CHILD, transport: corrupting, parentSruid: PARENT });

      // Act
      const error = await child.ask({ inputValues: { n: 1 } }).catch((caught: unknown) => caught);
      controller.abort();
      await serving;

      // Assess
      expect(error).toBeInstanceOf(InvalidQuestion);
      expect((error as Error).message).toContain('/event/input_manifest: must be object');
      expect(runs).toBe(0);
    });
  });
});
