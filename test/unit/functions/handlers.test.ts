import type { OutgoingMessage, Transport } from '../../../src/core/ports/transport';
import { RedeliveryRequested, StorageRequestFailed, TransportError } from '../../../src/errors';
import { functionHandlers } from '../../../src/functions';
import type { DeliveryReport, FunctionHandlers, ServiceSource } from '../../../src/functions';
import { createLogger, InProcessClaims, Runner, Service } from '../../../src/service';
import type { Analysis, QuestionClaims, SkeinLogEntry } from '../../../src/service';
import { SQUARE_TWINE, squareApp } from '../../fixtures/apps/examples';
import { CHILD, deferred, MemoryNetwork, questionMessage, temporaryStore, waitFor } from '../service/helpers';
import { backgroundEventOf, cloudEventOf, jsonMessage, pushBodyOf, RecordedResponse, TOPIC_PATH } from './events';
import type { JsonMessage } from './events';

type Shape = 'cloudEvent' | 'http' | 'event';
const SHAPES: Shape[] = ['cloudEvent', 'http', 'event'];

/** What one delivery ended in, whatever the event shape: the report, or the refusal. */
interface Delivered {
  readonly report: DeliveryReport | undefined;
  /** true for 2xx, false for 5xx (a thrown RedeliveryRequested, or an HTTP 500). */
  readonly acknowledged: boolean;
  readonly error: unknown;
}

async function deliver(handlers: FunctionHandlers, shape: Shape, message: JsonMessage): Promise<Delivered> {
  if (shape === 'http') {
    const response = new RecordedResponse();
    await handlers.http({ body: pushBodyOf(message), path: `/${TOPIC_PATH}` }, response);
    return { report: response.body as DeliveryReport, acknowledged: response.statusCode === 200, error: undefined };
  }
  try {
    const report =
      shape === 'cloudEvent'
        ? await handlers.cloudEvent(cloudEventOf(message))
        : await handlers.event(...backgroundEventOf(message));
    return { report, acknowledged: true, error: undefined };
  } catch (error) {
    return { report: undefined, acknowledged: false, error };
  }
}

/** A transport that records the kinds of the events published through it, and fails them while `failing` is set. */
class PublishTap implements Transport {
  readonly kind = 'tap';
  readonly topicName: string;
  readonly published: string[] = [];

  constructor(
    private readonly inner: Transport,
    private readonly failing = false,
  ) {
    this.topicName = inner.topicName;
  }

  publish(message: OutgoingMessage): Promise<string> {
    if (this.failing && message.attributes.sender_type === 'CHILD') {
      return Promise.reject(new TransportError('Publishing failed on purpose.'));
    }
    this.published.push((JSON.parse(message.data.toString()) as { kind: string }).kind);
    return this.inner.publish(message);
  }

  ensureTopic = (): Promise<void> => this.inner.ensureTopic();
  topicExists = (): Promise<boolean> => this.inner.topicExists();
  createSubscription: Transport['createSubscription'] = (spec, options) => this.inner.createSubscription(spec, options);
  deleteSubscription = (name: string): Promise<void> => this.inner.deleteSubscription(name);
  subscribe: Transport['subscribe'] = (name, handler, options) => this.inner.subscribe(name, handler, options);
  close = (): Promise<void> => this.inner.close();
}

let network: MemoryNetwork;
let storage: ReturnType<typeof temporaryStore>;
let logs: SkeinLogEntry[];
let runs: number;

beforeEach(async () => {
  network = await new MemoryNetwork().start();
  storage = temporaryStore();
  logs = [];
  runs = 0;
});

afterEach(async () => {
  await network.close();
  storage.cleanup();
});

const logger = (): ReturnType<typeof createLogger> => createLogger({ sinks: [{ sink: (entry) => logs.push(entry) }] });

function countingSquareApp(analysis: Analysis): void {
  runs += 1;
  squareApp(analysis);
}

function squareService(options: Partial<ConstructorParameters<typeof Service>[0]> = {}): Service {
  return new Service({
    serviceId: CHILD,
    transport: network.transport,
    runner: new Runner({ app: countingSquareApp, twine: SQUARE_TWINE }),
    objectStore: storage.store,
    claimsLocation: 'gs://claims-bucket/claims',
    logger: logger(),
    ...options,
  });
}

function handlersFor(service: ServiceSource): FunctionHandlers {
  return functionHandlers({ service, logger: logger() });
}

function question(inputValues: unknown = { n: 7 }, attributes = {}): JsonMessage {
  return jsonMessage(questionMessage({ inputValues }, attributes));
}

const messages = (level: string): string[] =>
  logs.filter((entry) => entry.level === level).map((entry) => entry.message);

describe('Function: functionHandlers', () => {
  describe.each(SHAPES)('Method: %s', (shape) => {
    it('answers a question and acknowledges it once the result is published', async () => {
      // Prepare
      const transport = new PublishTap(network.transport);
      const handlers = handlersFor(squareService({ transport }));
      const message = question();

      // Act
      const delivered = await deliver(handlers, shape, message);

      // Assess: the result was published before the handler returned (a function may lose its CPU after responding).
      expect(delivered).toMatchObject({ acknowledged: true, report: { status: 'answered', acknowledged: true } });
      expect(delivered.report).toMatchObject({ messageId: message.messageId, questionUuid: expect.any(String) });
      expect(transport.published[0]).toBe('delivery_acknowledgement');
      expect(transport.published.at(-1)).toBe('result');
      await waitFor(() => network.kinds().includes('result'), 'the result');
      expect(network.ofKind('result')[0]?.output_values).toEqual({ square: 49 });
      expect(runs).toBe(1);
    });

    it.each([
      ['data that is not base64', { data: 'not base64!', attributes: {} }, 'not valid base64'],
      ['empty data', { data: '', attributes: {} }, 'no data'],
      ['data that is not a string', { data: 42, attributes: {} }, 'base64 string'],
      ['attributes that are not strings', { data: Buffer.from('{}'), attributes: { retry_count: 0 } }, "'retry_count'"],
      ['attributes that are not an object', { data: Buffer.from('{}'), attributes: ['a'] }, 'must be an object'],
    ])('acknowledges a message with %s without answering, with a warning', async (_case, parts, problem) => {
      // Prepare
      const handlers = handlersFor(squareService());

      // Act
      const delivered = await deliver(handlers, shape, jsonMessage(parts));

      // Assess
      expect(delivered).toMatchObject({ acknowledged: true, report: { status: 'undeliverable', acknowledged: true } });
      expect(delivered.report?.detail).toContain(problem);
      expect(messages('warning').some((text) => text.includes('cannot be read'))).toBe(true);
      expect(runs).toBe(0);
    });

    it('acknowledges a question whose data is not JSON as invalid, and logs it', async () => {
      // Prepare
      const handlers = handlersFor(squareService());
      const { attributes } = questionMessage();

      // Act
      const delivered = await deliver(handlers, shape, jsonMessage({ data: Buffer.from('{not json'), attributes }));

      // Assess
      expect(delivered).toMatchObject({ acknowledged: true, report: { status: 'invalid', acknowledged: true } });
      expect(messages('error').some((text) => text.includes('invalid question'))).toBe(true);
      expect(network.responses).toHaveLength(0);
    });

    it('acknowledges a question that breaks its twine after reporting the exception to the parent', async () => {
      // Prepare
      const handlers = handlersFor(squareService());

      // Act
      const delivered = await deliver(handlers, shape, question({ n: 'seven' }));

      // Assess
      expect(delivered).toMatchObject({ acknowledged: true, report: { status: 'failed', acknowledged: true } });
      await waitFor(() => network.kinds().includes('exception'), 'the exception');
      expect(network.ofKind('exception')[0]?.exception_type).toBe('InvalidValuesContents');
    });

    it.each([
      ['to another service', { recipient: 'acme/other:1.0.0' }],
      ['by a child (a response, not a question)', { sender_type: 'CHILD' }],
      ['without a recipient', { recipient: undefined }],
    ])('acknowledges a message sent %s without answering', async (_case, overrides) => {
      // Prepare
      const handlers = handlersFor(squareService());
      const { data, attributes } = questionMessage({ inputValues: { n: 2 } });
      // JSON leaves out undefined values, as a message without the attribute would arrive.
      const sent = JSON.parse(JSON.stringify({ ...attributes, ...overrides })) as Record<string, string>;

      // Act
      const delivered = await deliver(handlers, shape, jsonMessage({ data, attributes: sent }));

      // Assess
      expect(delivered).toMatchObject({ acknowledged: true, report: { status: 'not-addressed', acknowledged: true } });
      expect(messages('info').some((text) => text.includes('is not a question for'))).toBe(true);
      expect(runs).toBe(0);
      expect(network.responses).toHaveLength(0);
    });

    it('acknowledges a second delivery of the same question as a duplicate without running the app again', async () => {
      // Prepare
      const handlers = handlersFor(squareService());
      const message = question();

      // Act
      const first = await deliver(handlers, shape, message);
      const second = await deliver(handlers, shape, message);

      // Assess
      expect(first.report?.status).toBe('answered');
      expect(second).toMatchObject({ acknowledged: true, report: { status: 'duplicate', acknowledged: true } });
      expect(runs).toBe(1);
    });

    it('refuses a question whose claim cannot be decided, and answers it when it is delivered again', async () => {
      // Prepare: a claims store that fails once.
      let failures = 1;
      const working = new InProcessClaims();
      const claims: QuestionClaims = {
        durable: true,
        claim: async (attempt, options) => {
          if (failures-- > 0) throw new StorageRequestFailed('The claims store is unavailable.');
          return working.claim(attempt, options);
        },
      };
      const handlers = handlersFor(squareService({ claims }));
      const message = question();

      // Act
      const refused = await deliver(handlers, shape, message);
      const redelivered = await deliver(handlers, shape, message);

      // Assess
      expect(refused.acknowledged).toBe(false);
      if (shape === 'http') {
        expect(refused.report).toMatchObject({ status: 'unclaimed', acknowledged: false });
      } else {
        expect(refused.error).toBeInstanceOf(RedeliveryRequested);
        expect((refused.error as RedeliveryRequested).message).toContain('The claims store is unavailable.');
        expect((refused.error as RedeliveryRequested).messageId).toBe(message.messageId);
      }
      expect(redelivered).toMatchObject({ acknowledged: true, report: { status: 'answered' } });
      expect(runs).toBe(1);
    });

    it('refuses a delivery while another instance answers the question, and drops one after it answered', async () => {
      // Prepare: two instances sharing the claims store; the first is held in its app.
      const release = deferred();
      const started = deferred();
      const held = {
        run: async () => {
          started.resolve();
          await release.promise;
          return { outputValues: { square: 49 } };
        },
      };
      const first = handlersFor(squareService({ runner: held }));
      const second = handlersFor(squareService());
      const message = question();

      // Act
      const answering = deliver(first, shape, message);
      await started.promise;
      const during = await deliver(second, shape, message);
      release.resolve();
      const answered = await answering;
      const after = await deliver(second, shape, message);

      // Assess: refused (so Pub/Sub pushes it again, in case the first instance dies), logged as routine.
      expect(during.acknowledged).toBe(false);
      if (shape === 'http') expect(during.report).toMatchObject({ status: 'deferred', acknowledged: false });
      else expect(during.error).toBeInstanceOf(RedeliveryRequested);
      expect(answered.report?.status).toBe('answered');
      expect(after).toMatchObject({ acknowledged: true, report: { status: 'duplicate', acknowledged: true } });
      expect(messages('info').some((text) => text.includes('ended %s and was refused'))).toBe(true);
      expect(messages('error')).toEqual([]);
      expect(runs).toBe(0);
    });

    it('refuses a question when neither its result nor an exception could be published', async () => {
      // Prepare
      const transport = new PublishTap(network.transport, true);
      const handlers = handlersFor(squareService({ transport }));

      // Act
      const delivered = await deliver(handlers, shape, question());

      // Assess
      expect(delivered.acknowledged).toBe(false);
      if (shape === 'http') expect(delivered.report).toMatchObject({ status: 'failed', acknowledged: false });
      else expect((delivered.error as Error).message).toContain('Publishing failed on purpose.');
      expect(messages('error').some((text) => text.includes('was refused so that Pub/Sub delivers it again'))).toBe(
        true,
      );
    });
  });

  describe('Method: cloudEvent', () => {
    it('acknowledges a push body with empty data, which functions-framework passes through unconverted', async () => {
      // Prepare
      const handlers = handlersFor(squareService());
      const body = {
        message: { messageId: '9', attributes: { recipient: CHILD } },
        subscription: 'projects/p/subscriptions/s',
      };

      // Act
      const report = await handlers.cloudEvent(body as never);

      // Assess
      expect(report).toMatchObject({ status: 'undeliverable', acknowledged: true, messageId: '9' });
      expect(report.detail).toContain('has no data');
      expect(runs).toBe(0);
    });

    it('acknowledges a CloudEvent whose data holds no Pub/Sub message', async () => {
      // Prepare
      const handlers = handlersFor(squareService());

      // Act
      const report = await handlers.cloudEvent({ id: 'e-1', source: '//pubsub.googleapis.com/', data: { other: 1 } });

      // Assess
      expect(report).toMatchObject({ status: 'undeliverable', acknowledged: true, messageId: 'e-1' });
      expect(report.detail).toContain('no Pub/Sub message at /data/message');
    });
  });

  describe('Method: http', () => {
    it('acknowledges a request whose body is not a push envelope', async () => {
      // Prepare
      const handlers = handlersFor(squareService());
      const response = new RecordedResponse();

      // Act
      await handlers.http({ body: 'raw text', path: '/' }, response);

      // Assess
      expect(response.statusCode).toBe(200);
      expect(response.body).toMatchObject({ status: 'undeliverable', acknowledged: true });
    });
  });

  describe('Option: service (a builder)', () => {
    it('builds the service once, on the first delivery addressed to it, and reuses it', async () => {
      // Prepare
      let builds = 0;
      const handlers = handlersFor({
        serviceId: () => CHILD,
        build: () => {
          builds += 1;
          return squareService();
        },
      });

      // Act
      const reports = [
        await handlers.cloudEvent(cloudEventOf(question())),
        (await deliver(handlers, 'http', question())).report,
        await handlers.event(...backgroundEventOf(question())),
      ];

      // Assess
      expect(reports.map((report) => report?.status)).toEqual(['answered', 'answered', 'answered']);
      expect(builds).toBe(1);
    });

    it.each(SHAPES)(
      'refuses deliveries while the service cannot be built, then builds it again (%s)',
      async (shape) => {
        // Prepare
        let attempts = 0;
        const handlers = handlersFor({
          serviceId: () => CHILD,
          build: async () => {
            attempts += 1;
            if (attempts === 1) throw new TransportError('The topic could not be reached.');
            return squareService();
          },
        });
        const message = question();

        // Act
        const refused = await deliver(handlers, shape, message);
        const answered = await deliver(handlers, shape, message);

        // Assess
        expect(refused.acknowledged).toBe(false);
        if (shape === 'http') expect(refused.report).toMatchObject({ status: 'unavailable' });
        else expect((refused.error as Error).message).toContain('The topic could not be reached.');
        expect(answered.report?.status).toBe('answered');
        expect(attempts).toBe(2);
      },
    );

    it('refuses a delivery when an answering service other than Service throws', async () => {
      // Prepare
      const handlers = handlersFor({
        id: CHILD,
        answer: () => Promise.reject(new Error('Unexpected failure.')),
      });

      // Act
      const delivered = await deliver(handlers, 'cloudEvent', question());

      // Assess
      expect(delivered.acknowledged).toBe(false);
      expect(delivered.error).toBeInstanceOf(RedeliveryRequested);
      expect((delivered.error as Error).message).toContain('Unexpected failure.');
    });
  });
});
