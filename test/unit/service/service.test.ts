import {
  InvalidEvent,
  InvalidInputException,
  InvalidServiceID,
  ServiceAlreadyExists,
  ServiceNotFound,
} from '../../../src/errors';
import { createLogger, InProcessClaims, memoryLogSink, ObjectStoreClaims, Runner, Service } from '../../../src/service';
import type { AnswerOutcome, QuestionClaims, RunParams } from '../../../src/service';
import { SQUARE_TWINE, squareApp } from '../../fixtures/apps/examples';
import {
  CHILD,
  deferred,
  ManualClock,
  MemoryNetwork,
  PARENT,
  questionMessage,
  temporaryStore,
  waitFor,
} from './helpers';

let network: MemoryNetwork;

beforeEach(async () => {
  network = await new MemoryNetwork().start();
});

afterEach(async () => {
  await network.close();
});

function squareService(options: Partial<ConstructorParameters<typeof Service>[0]> = {}): Service {
  return new Service({
    serviceId: CHILD,
    transport: network.transport,
    ...('runFunction' in options ? {} : { runner: new Runner({ app: squareApp, twine: SQUARE_TWINE }) }),
    ...options,
  });
}

describe('Class: Service', () => {
  describe('Method: constructor', () => {
    it('throws InvalidServiceID for a malformed SRUID', () => {
      expect(() => squareService({ serviceId: 'acme/child' })).toThrow(InvalidServiceID);
    });

    it.each([
      ['neither a runner nor a run function', { runner: undefined }, 'exactly one'],
      [
        'both a runner and a run function',
        { runFunction: async () => ({}), runner: new Runner({ app: squareApp, twine: SQUARE_TWINE }) },
        'exactly one',
      ],
      ['a heartbeat interval of zero', { heartbeatIntervalMs: 0 }, 'positive'],
      ['a claims location without an object store', { claimsLocation: 'gs://b/claims' }, 'object store'],
    ])('throws InvalidInputException for %s', (_case, options, message) => {
      expect(() => squareService(options)).toThrow(InvalidInputException);
      expect(() => squareService(options)).toThrow(message);
    });
  });

  describe('Method: answer', () => {
    it('acknowledges, runs the app and sends the result, in order and addressed to the parent', async () => {
      // Prepare
      const service = squareService();
      const message = questionMessage({ inputValues: { n: 4 } });

      // Act
      const outcome = await service.answer(message);
      await waitFor(() => network.kinds().includes('result'), 'the result');

      // Assess
      expect(outcome).toMatchObject({ status: 'answered', result: { kind: 'result', output_values: { square: 16 } } });
      expect(network.kinds()[0]).toBe('delivery_acknowledgement');
      expect(network.kinds().at(-1)).toBe('result');
      for (const { attributes } of network.responses) {
        expect(attributes).toMatchObject({
          question_uuid: message.orderingKey,
          sender: CHILD,
          sender_type: 'CHILD',
          recipient: PARENT,
          retry_count: 0,
        });
      }
      expect(new Set(network.responses.map((response) => response.attributes.uuid)).size).toBe(
        network.responses.length,
      );
    });

    it('forwards the analysis logs as log records when forward_logs is set, and none when it is not', async () => {
      const app = (analysis: { logger: { info(message: string): void }; outputValues: unknown }): void => {
        analysis.logger.info('Hello from the app.');
        analysis.outputValues = {};
      };
      const service = squareService({ runner: new Runner({ app, twine: {} }) });

      await service.answer(questionMessage({}, { forwardLogs: true }));
      await waitFor(() => network.kinds().includes('result'), 'the first result');
      const forwarded = network.ofKind('log_record');
      network.responses.length = 0;
      await service.answer(questionMessage({}, { forwardLogs: false }));
      await waitFor(() => network.kinds().includes('result'), 'the second result');

      expect(forwarded.map((event) => event.log_record.msg)).toContain('Hello from the app.');
      expect(forwarded.find((event) => event.log_record.msg === 'Hello from the app.')?.log_record).toMatchObject({
        name: 'app',
        levelname: 'INFO',
        levelno: 20,
      });
      expect(network.kinds()).toEqual(['delivery_acknowledgement', 'result']);
    });

    it('sends monitor messages the app sends, before the result', async () => {
      const twine = { monitor_message_schema: { type: 'object', required: ['progress'] } };
      const app = (analysis: { sendMonitorMessage(data: unknown): void }): void => {
        analysis.sendMonitorMessage({ progress: 0.5 });
        analysis.sendMonitorMessage({ progress: 1 });
      };
      const service = squareService({ runner: new Runner({ app, twine }) });

      await service.answer(questionMessage({}, { forwardLogs: false }));
      await waitFor(() => network.kinds().includes('result'), 'the result');

      expect(network.kinds()).toEqual(['delivery_acknowledgement', 'monitor_message', 'monitor_message', 'result']);
      expect(network.ofKind('monitor_message').map((event) => event.data)).toEqual([
        { progress: 0.5 },
        { progress: 1 },
      ]);
    });

    it('sends heartbeats at the heartbeat interval while the app runs, and stops them after the result', async () => {
      // Prepare
      const clock = new ManualClock();
      const release = deferred();
      const started = deferred();
      const service = squareService({
        clock,
        heartbeatIntervalMs: 120_000,
        runFunction: async () => {
          started.resolve();
          await release.promise;
          return { outputValues: 'done' };
        },
      });

      // Act
      const answering = service.answer(questionMessage({}, { forwardLogs: false }));
      await started.promise;
      clock.tick(119_999);
      clock.tick(1);
      clock.tick(120_000);
      release.resolve();
      await answering;
      clock.tick(240_000);
      await waitFor(() => network.kinds().includes('result'), 'the result');

      // Assess
      expect(network.kinds()).toEqual(['delivery_acknowledgement', 'heartbeat', 'heartbeat', 'result']);
      expect(clock.activeTimers).toBe(0);
    });

    it('sends an exception event with a Python-style type, the service in the message and a traceback', async () => {
      const clock = new ManualClock();
      const service = squareService({
        clock,
        runFunction: async () => {
          throw new RangeError('n must be > 0');
        },
      });

      const outcome = await service.answer(questionMessage());
      await waitFor(() => network.kinds().includes('exception'), 'the exception');

      expect(outcome.status).toBe('failed');
      const [exception] = network.ofKind('exception');
      expect(exception).toMatchObject({
        exception_type: 'ValueError',
        exception_message: `Error in <Service('${CHILD}')>: n must be > 0`,
      });
      expect(exception?.exception_traceback.length).toBeGreaterThan(0);
      expect(network.kinds().at(-1)).toBe('exception');
      expect(clock.activeTimers).toBe(0);
    });

    it('reports invalid inputs to the parent as InvalidValuesContents', async () => {
      const service = squareService();

      const outcome = await service.answer(questionMessage({ inputValues: { n: 'four' } }, { forwardLogs: false }));
      await waitFor(() => network.kinds().includes('exception'), 'the exception');

      expect(outcome.status).toBe('failed');
      expect(network.ofKind('exception')[0]?.exception_type).toBe('InvalidValuesContents');
    });

    it('sends an exception when the outputs cannot travel as JSON', async () => {
      const service = squareService({ runFunction: async () => ({ outputValues: { f: () => 1 } }) });

      const outcome = await service.answer(questionMessage({}, { forwardLogs: false }));
      await waitFor(() => network.kinds().includes('exception'), 'the exception');

      expect(outcome.status).toBe('failed');
      expect(network.kinds()).toEqual(['delivery_acknowledgement', 'exception']);
    });

    const valid = questionMessage({ inputValues: { n: 2 } });
    const withoutAttribute = (name: string): Record<string, string> =>
      Object.fromEntries(Object.entries(valid.attributes).filter(([key]) => key !== name));
    it.each([
      ['data that is not JSON', { data: Buffer.from('{not json'), attributes: valid.attributes }],
      ['a missing sender attribute', { data: valid.data, attributes: withoutAttribute('sender') }],
      ['a missing question_uuid attribute', { data: valid.data, attributes: withoutAttribute('question_uuid') }],
      ['an unknown kind', { data: Buffer.from('{"kind": "cancellation"}'), attributes: valid.attributes }],
      [
        'a response event instead of a question',
        { data: Buffer.from('{"kind": "heartbeat"}'), attributes: { ...valid.attributes, sender_type: 'CHILD' } },
      ],
      ['a malformed retry count', { data: valid.data, attributes: { ...valid.attributes, retry_count: 'many' } }],
      ['no attributes at all', { data: valid.data }],
    ])('logs, acknowledges and drops a question with %s, then answers the next one', async (_case, input) => {
      // Prepare
      const { sink, entries } = memoryLogSink();
      const service = squareService({ logger: createLogger({ sinks: [{ sink }] }) });
      const settled: string[] = [];
      const message = { ...input, ack: () => settled.push('ack'), nack: () => settled.push('nack') };

      // Act
      const outcome = await service.answer(message as never);
      const next = await service.answer(questionMessage({ inputValues: { n: 3 } }));

      // Assess
      expect(outcome.status).toBe('invalid');
      expect((outcome as Extract<AnswerOutcome, { status: 'invalid' }>).error).toBeInstanceOf(InvalidEvent);
      expect(settled).toEqual(['ack']);
      expect(entries.some((entry) => entry.level === 'error' && entry.message.includes('invalid question'))).toBe(true);
      expect(next).toMatchObject({ status: 'answered', result: { output_values: { square: 9 } } });
    });

    it('reports a question failing schema validation (an input manifest without datasets) to its parent', async () => {
      const service = squareService();
      const message = questionMessage();
      const data = Buffer.from(JSON.stringify({ kind: 'question', input_manifest: { id: 'x' } }));

      const outcome = await service.answer({ data, attributes: message.attributes });
      await waitFor(() => network.responses.length > 0, 'the exception');

      expect(outcome.status).toBe('invalid');
      expect(network.kinds()).toEqual(['exception']);
      expect(network.ofKind('exception')[0]?.exception_message).toContain('/event/input_manifest/datasets');
    });

    it('answers a question given as an event with typed attributes (the recording format)', async () => {
      const service = squareService();
      const message = questionMessage({ inputValues: { n: 5 } });
      const attributes = { ...message.attributes, retry_count: 0, forward_logs: false };

      const outcome = await service.answer({ event: { kind: 'question', input_values: { n: 5 } }, attributes });

      expect(outcome).toMatchObject({ status: 'answered', result: { output_values: { square: 25 } } });
    });

    it('nacks a question whose claim cannot be decided, so it is redelivered', async () => {
      const service = squareService({
        claims: {
          durable: true,
          claim: () => Promise.reject(new Error('store unavailable')),
        },
      });
      const settled: string[] = [];
      const message = { ...questionMessage(), ack: () => settled.push('ack'), nack: () => settled.push('nack') };

      const outcome = await service.answer(message as never);

      expect(outcome.status).toBe('unclaimed');
      expect(settled).toEqual(['nack']);
      expect(network.responses).toEqual([]);
    });
  });

  describe('Exactly-once execution', () => {
    type MakeClaims = () => { claims: QuestionClaims; cleanup: () => void };
    it.each<[string, MakeClaims]>([
      ['in-process claims', () => ({ claims: new InProcessClaims(), cleanup: () => undefined })],
      [
        'object-store claims',
        () => {
          const { store, cleanup } = temporaryStore();
          return { claims: new ObjectStoreClaims(store, 'gs://claims-bucket/.skein/claims', CHILD), cleanup };
        },
      ],
    ])('runs the app once and sends one result when a question is delivered 100 times (%s)', async (_case, make) => {
      // Prepare: every question is delivered 99 more times after it is acked, as Pub/Sub may do.
      await network.close();
      network = await new MemoryNetwork({
        duplicateDeliveries: (message) => (message.attributes.sender_type === 'PARENT' ? 99 : 0),
      }).start();
      const { claims, cleanup } = make();
      let runs = 0;
      const service = squareService({
        claims,
        runFunction: async (params: RunParams) => {
          runs += 1;
          return { outputValues: params.inputValues };
        },
      });
      const outcomes: AnswerOutcome[] = [];
      await network.transport.createSubscription({
        name: 'child-questions',
        filter: { recipient: CHILD, sender_type: 'PARENT' },
      });
      await network.transport.subscribe('child-questions', async (message) => {
        outcomes.push(await service.answer(message));
      });

      // Act
      await network.transport.publish(questionMessage({ inputValues: [1, 2] }, { forwardLogs: false }));
      await waitFor(() => outcomes.length === 100, '100 deliveries');
      await waitFor(() => network.kinds().includes('result'), 'the result');

      // Assess
      expect(runs).toBe(1);
      expect(outcomes.filter((outcome) => outcome.status === 'answered')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.status === 'duplicate')).toHaveLength(99);
      expect(network.ofKind('result')).toHaveLength(1);
      expect(network.ofKind('delivery_acknowledgement')).toHaveLength(1);
      cleanup();
    });

    it('runs a republished question once across two service instances sharing an object store', async () => {
      const { store, cleanup } = temporaryStore();
      let runs = 0;
      const make = (): Service =>
        squareService({
          objectStore: store,
          claimsLocation: 'gs://claims-bucket/.skein/claims',
          runFunction: async () => {
            runs += 1;
            return { outputValues: 'once' };
          },
        });
      const [first, second] = [make(), make()];
      const message = questionMessage({}, { forwardLogs: false });

      const outcomes = await Promise.all(
        Array.from({ length: 100 }, (_, index) => (index % 2 === 0 ? first : second).answer({ ...message })),
      );

      // Deliveries during the run find a live lease (nacked, to come again), later ones the finished claim (dropped).
      expect(runs).toBe(1);
      expect(outcomes.filter((outcome) => ['deferred', 'duplicate'].includes(outcome.status))).toHaveLength(99);
      expect((await second.answer({ ...message })).status).toBe('duplicate');
      expect(await store.exists(`gs://claims-bucket/.skein/claims/${message.orderingKey}/0`)).toBe(true);
      cleanup();
    });

    it('runs a retry (a new retry_count) of an answered question again', async () => {
      let runs = 0;
      const service = squareService({
        runFunction: async () => {
          runs += 1;
          return {};
        },
      });
      const first = questionMessage({}, { forwardLogs: false });

      await service.answer(first);
      await service.answer(questionMessage({}, { forwardLogs: false, questionUuid: first.orderingKey, retryCount: 1 }));

      expect(runs).toBe(2);
    });
  });

  describe('Method: serve', () => {
    it('answers questions from its subscription until the signal aborts, then deletes the subscription', async () => {
      // Prepare
      const service = squareService();
      const controller = new AbortController();
      const ready = deferred<string>();

      // Act
      const serving = service.serve({
        signal: controller.signal,
        deleteSubscriptionOnExit: true,
        onReady: ready.resolve,
      });
      const subscriptionName = await ready.promise;
      await network.transport.publish(questionMessage({ inputValues: { n: 6 } }, { forwardLogs: false }));
      await waitFor(() => network.kinds().includes('result'), 'the result');
      controller.abort();
      await serving;

      // Assess
      expect(subscriptionName).toBe('acme.child.2-1-0');
      expect(network.ofKind('result')[0]?.output_values).toEqual({ square: 36 });
      expect(network.broker.subscriptionNames()).not.toContain('acme.child.2-1-0');
    });

    it('refuses to serve when the subscription exists, unless allowExisting is set', async () => {
      await network.transport.createSubscription({ name: 'acme.child.2-1-0' });
      const service = squareService();

      await expect(service.serve({ timeoutMs: 1 })).rejects.toThrow(ServiceAlreadyExists);
      await expect(service.serve({ timeoutMs: 1, allowExisting: true })).resolves.toBeUndefined();
    });

    it('throws ServiceNotFound when the services topic does not exist', async () => {
      network.broker.deleteTopic('main.octue.twined.services');

      await expect(squareService().serve({ timeoutMs: 1 })).rejects.toThrow(ServiceNotFound);
    });
  });

  describe('Method: toString', () => {
    it("names the service as Octue does, <Service('<sruid>')>", () => {
      expect(String(squareService())).toBe(`<Service('${CHILD}')>`);
    });
  });
});
