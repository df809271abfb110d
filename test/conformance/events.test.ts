import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { InvalidValuesContents, QuestionTimeout, RemoteException } from '../../src/errors';
import {
  EVENT_KINDS,
  decodeEvent,
  encodeAttributes,
  errorToExceptionEvent,
  exceptionEventToError,
  findEventFailures,
  makeDeliveryAcknowledgementEvent,
  makeHeartbeatEvent,
  makeLogRecordEvent,
  makeMonitorMessageEvent,
  makeQuestionAttributes,
  makeQuestionEvent,
  makeResponseAttributes,
  makeResultEvent,
  parseEventData,
  serialiseEventData,
  toRecordedEvent,
} from '../../src/core/events';
import type { ExceptionEvent, RecordedEvent, ServiceEvent } from '../../src/core/events';
import { compileSchema, registerSchema, toValidationFailures } from '../../src/core/json-schema';

const OCTUE = join(__dirname, '../fixtures/octue');
const readJson = (path: string): unknown => JSON.parse(readFileSync(join(OCTUE, path), 'utf8'));

// Octue's schema $refs the manifest and children schemas by URL; the copies are registered under those URLs so
// validation stays offline.
registerSchema({
  ...(readJson('schemas/manifest-0.1.0.json') as object),
  $id: 'https://jsonschema.registry.octue.com/octue/manifest/0.1.0.json',
});
registerSchema({
  ...(readJson('schemas/children-0.1.0.json') as object),
  $id: 'https://jsonschema.registry.octue.com/octue/children/0.1.0.json',
});
const octueValidator = compileSchema(readJson('schemas/service-communication-0.15.0.json'));

function octueFailures(candidate: unknown): string[] {
  return octueValidator(candidate) === true
    ? []
    : toValidationFailures(octueValidator.errors).map((failure) => `${failure.pointer}: ${failure.message}`);
}

const PARENT = 'acme/parent:1.0.0';
const CHILD = 'acme/child:2.1.0';

const questionAttributes = makeQuestionAttributes({
  sender: PARENT,
  recipient: CHILD,
  parentQuestionUuid: '5776ad74-52a6-46f7-a526-90421d91b8b2',
  originatorQuestionUuid: '86dc55b2-4282-42bd-92d0-bd4991ae7356',
  originator: 'acme/root:0.1.0',
  retryCount: 1,
  cpus: 2,
  memory: '1Gi',
  ephemeralStorage: '256Mi',
});
const responseAttributes = makeResponseAttributes(questionAttributes);

const MANIFEST = {
  id: '7f1c9a52-3c4d-4f1e-9a0b-2b8f6a3c1d2e',
  name: null,
  datasets: {
    met: 'https://storage.googleapis.com/b/met/.signed_metadata_files/brave-otter?X-Goog-Signature=abc',
    out: {
      id: '419bff6b-08c3-4c16-9eb1-5d1709168003',
      name: 'out',
      tags: { a: 1 },
      labels: ['x'],
      files: ['gs://b/out/file.dat', { id: 'f', path: 'gs://b/out/g.dat', timestamp: null, tags: {}, labels: [] }],
    },
  },
};

const time = new Date('2025-06-01T10:00:00.100Z');
const exceptions: [string, unknown, new (...args: never[]) => Error][] = [
  ['ValueError', new RangeError('n must be > 0'), RemoteException],
  ['TypeError', new TypeError('n must be a number'), TypeError],
  ['TimeoutError', new QuestionTimeout('No final result received.'), QuestionTimeout],
  ['InvalidValuesContents', new InvalidValuesContents('input_values: n must be >= 0'), InvalidValuesContents],
];

const SKEIN_EVENTS: [string, RecordedEvent][] = [
  ['a bare question', toRecordedEvent(makeQuestionEvent(), questionAttributes)],
  [
    'a question with inputs, a manifest and 0.1.0-style children',
    toRecordedEvent(
      makeQuestionEvent({
        inputValues: { n: 5, tags: ['a'] },
        inputManifest: MANIFEST,
        children: [
          { key: 'elevation', id: 'acme/elevation:1.0.0', backend: { name: 'GCPPubSubBackend', project_name: 'p' } },
        ],
      }),
      questionAttributes,
    ),
  ],
  ['a delivery acknowledgement', toRecordedEvent(makeDeliveryAcknowledgementEvent(), responseAttributes)],
  ['a heartbeat', toRecordedEvent(makeHeartbeatEvent(), responseAttributes)],
  ['a monitor message', toRecordedEvent(makeMonitorMessageEvent({ progress: 0.5 }), responseAttributes)],
  ['a null monitor message', toRecordedEvent(makeMonitorMessageEvent(null), responseAttributes)],
  ...(['debug', 'info', 'warning', 'error', 'critical'] as const).map((level): [string, RecordedEvent] => [
    `a log record at level ${level}`,
    toRecordedEvent(makeLogRecordEvent({ name: 'app', level, message: 'n=%d', args: [5], time }), responseAttributes),
  ]),
  [
    'a log record with an error and a full location',
    toRecordedEvent(
      makeLogRecordEvent({
        name: 'app.sub',
        level: 'error',
        message: '\u001b[31mFailed\u001b[0m',
        time,
        pathname: '/w/app.ts',
        lineno: 3,
        funcName: 'run',
        error: new RangeError('bad'),
      }),
      responseAttributes,
    ),
  ],
  ...exceptions.map(([type, error]): [string, RecordedEvent] => [
    `a ${type} exception`,
    toRecordedEvent(errorToExceptionEvent(error, CHILD), responseAttributes),
  ]),
  ['an empty result', toRecordedEvent(makeResultEvent(), responseAttributes)],
  [
    'a result with outputs',
    toRecordedEvent(makeResultEvent({ outputValues: [1, 2, 3], outputManifest: MANIFEST }), responseAttributes),
  ],
];

describe('Conformance: events Skein emits', () => {
  it('covers every event kind', () => {
    const kinds = new Set(SKEIN_EVENTS.map(([, recorded]) => recorded.event.kind));
    expect([...kinds].sort()).toEqual([...EVENT_KINDS].sort());
  });

  it.each(SKEIN_EVENTS)("%s validates against Skein's schema", (_label, recorded) => {
    expect(findEventFailures(recorded)).toEqual([]);
  });

  it.each(SKEIN_EVENTS)("%s validates against Octue's service-communication 0.15.0 schema", (_label, recorded) => {
    expect(octueFailures(recorded)).toEqual([]);
  });

  it.each(SKEIN_EVENTS)('%s survives the Pub/Sub encoding (data + string attributes) unchanged', (_label, recorded) => {
    const message = {
      event: parseEventData(serialiseEventData(recorded.event as ServiceEvent)),
      attributes: encodeAttributes(recorded.attributes),
    };
    expect(Object.values(message.attributes).every((value) => typeof value === 'string')).toBe(true);
    expect(decodeEvent(message)).toEqual(recorded);
  });

  it.each(exceptions)('sends %s as its Python type and re-creates it on receipt', (type, error, expectedClass) => {
    const event = errorToExceptionEvent(error, CHILD);
    expect(event.exception_type).toBe(type);
    const received = exceptionEventToError(event as ExceptionEvent, CHILD);
    expect(received).toBeInstanceOf(expectedClass);
    expect(received.name).toBe(
      type === 'TimeoutError' ? 'QuestionTimeout' : type === 'ValueError' ? 'ValueError' : type,
    );
  });

  it('sends the log record fields a Python parent needs to rebuild it', () => {
    const recorded = SKEIN_EVENTS.find(([label]) => label === 'a log record at level warning')?.[1];
    expect(recorded?.event).toMatchObject({
      kind: 'log_record',
      log_record: { name: 'app', msg: 'n=5', args: null, levelname: 'WARNING', levelno: 30, exc_info: null },
    });
  });

  it("accepts 0.2.0-style children (project_id), which Octue's 0.15.0 schema predates", () => {
    const recorded = toRecordedEvent(
      makeQuestionEvent({
        children: [{ key: 'k', id: 'acme/elevation:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'p' } }],
      }),
      questionAttributes,
    );
    expect(findEventFailures(recorded)).toEqual([]);
    expect(octueFailures(recorded)).toContain(
      "/event/children/0/backend/project_name: must have required property 'project_name'",
    );
  });
});

describe("Conformance: Octue's golden event stream", () => {
  const golden = readJson('fixtures/events.json') as { event: ServiceEvent; attributes: Record<string, unknown> }[];

  it('holds the eight recorded events', () => {
    expect(golden.map((recorded) => recorded.event.kind)).toEqual([
      'delivery_acknowledgement',
      'log_record',
      'log_record',
      'log_record',
      'log_record',
      'log_record',
      'result',
      'heartbeat',
    ]);
  });

  it.each(golden.map((recorded, index) => [index, recorded.event.kind, recorded]))(
    'decodes event %i (%s) and validates it against both schemas',
    (_index, _kind, recorded) => {
      const decoded = decodeEvent(recorded);
      expect(decoded.event).toEqual(recorded.event);
      expect(decoded.attributes).toMatchObject({
        sender: 'octue/test-service:1.0.0',
        recipient: 'octue/another-service:3.2.1',
        sender_type: 'CHILD',
        retry_count: 0,
        parent_question_uuid: '5776ad74-52a6-46f7-a526-90421d91b8b2',
      });
      expect(findEventFailures(decoded)).toEqual([]);
      expect(octueFailures(decoded)).toEqual([]);
    },
  );
});
