import { InvalidEvent } from '../../../../src/errors';
import {
  ATTRIBUTE_NAMES,
  decodeAttributes,
  decodeEvent,
  encodeAttributes,
  makeQuestionAttributes,
  makeResponseAttributes,
  parseEventData,
  serialiseEventData,
} from '../../../../src/core/events';
import type { QuestionAttributes, ResponseAttributes } from '../../../../src/core/events';

const SENDER = 'my-org/my-parent:1.0.0';
const RECIPIENT = 'my-org/my-child:2.0.0';
const QUESTION_UUID = '50760303-ee89-4752-81cc-aadd05f81752';
const EVENT_UUID = '11111111-1111-4111-8111-111111111111';
const SOURCES = { now: () => new Date('2025-05-13T15:39:34.123Z'), newUuid: () => EVENT_UUID };

describe('Function: encodeAttributes', () => {
  it('serialises question attributes to strings as Octue does', () => {
    const attributes = makeQuestionAttributes(
      {
        sender: SENDER,
        recipient: RECIPIENT,
        questionUuid: QUESTION_UUID,
        saveDiagnostics: 'SAVE_DIAGNOSTICS_ON',
        cpus: 1,
        memory: '2Gi',
        ephemeralStorage: '256Mi',
      },
      SOURCES,
    );
    expect(encodeAttributes(attributes)).toEqual({
      uuid: EVENT_UUID,
      datetime: '2025-05-13T15:39:34.123000+00:00',
      question_uuid: QUESTION_UUID,
      originator_question_uuid: QUESTION_UUID,
      parent: SENDER,
      originator: SENDER,
      sender: SENDER,
      sender_type: 'PARENT',
      sender_sdk_version: '0.69.0',
      recipient: RECIPIENT,
      retry_count: '0',
      forward_logs: '1',
      save_diagnostics: 'SAVE_DIAGNOSTICS_ON',
      cpus: '1',
      memory: '2Gi',
      ephemeral_storage: '256Mi',
    });
  });

  it('keeps Octue\'s attribute order and writes false as "0"', () => {
    const encoded = encodeAttributes(
      makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT, forwardLogs: false, parentQuestionUuid: 'p' }),
    );
    expect(Object.keys(encoded)).toEqual(ATTRIBUTE_NAMES.filter((name) => name in encoded));
    expect(encoded.forward_logs).toBe('0');
  });

  it('serialises response attributes without question-only attributes', () => {
    const response = makeResponseAttributes(makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT }));
    const encoded = encodeAttributes(response);
    expect(encoded.sender_type).toBe('CHILD');
    expect(encoded.retry_count).toBe('0');
    expect(Object.keys(encoded)).not.toEqual(expect.arrayContaining(['forward_logs']));
    expect(Object.values(encoded).every((value) => typeof value === 'string')).toBe(true);
  });

  it('leaves out null and undefined values', () => {
    const attributes = {
      ...makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT }),
      memory: null,
      cpus: undefined,
    };
    const encoded = encodeAttributes(attributes as unknown as QuestionAttributes);
    expect('memory' in encoded || 'cpus' in encoded).toBe(false);
  });
});

describe('Function: decodeAttributes', () => {
  it('round-trips encoded question attributes', () => {
    const attributes = makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT, cpus: 3, forwardLogs: false });
    expect(decodeAttributes(encodeAttributes(attributes))).toEqual(attributes);
  });

  it('round-trips encoded response attributes', () => {
    const response = makeResponseAttributes(
      makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT, retryCount: 2 }),
    );
    expect(decodeAttributes(encodeAttributes(response))).toEqual(response);
  });

  it('accepts typed values as BigQuery and the emulator give them, and naive datetimes', () => {
    const decoded = decodeAttributes({
      uuid: EVENT_UUID,
      datetime: '2024-04-11T10:46:48.236064',
      question_uuid: 'q',
      sender: SENDER,
      sender_type: 'PARENT',
      sender_sdk_version: '0.69.0',
      recipient: RECIPIENT,
      retry_count: 1,
      forward_logs: false,
    }) as QuestionAttributes;
    expect(decoded).toEqual({
      uuid: EVENT_UUID,
      datetime: '2024-04-11T10:46:48.236064+00:00',
      question_uuid: 'q',
      originator_question_uuid: 'q',
      parent: SENDER,
      originator: SENDER,
      sender: SENDER,
      sender_type: 'PARENT',
      sender_sdk_version: '0.69.0',
      recipient: RECIPIENT,
      retry_count: 1,
      forward_logs: false,
      save_diagnostics: 'SAVE_DIAGNOSTICS_ON_CRASH',
    });
  });

  it.each([
    ['1', true],
    ['0', false],
    ['true', true],
    ['False', false],
    [true, true],
    [0, false],
  ])('decodes forward_logs %j as %j', (value, expected) => {
    const raw = {
      ...encodeAttributes(makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT })),
      forward_logs: value,
    };
    expect((decodeAttributes(raw) as QuestionAttributes).forward_logs).toBe(expected);
  });

  it('fills retry_count 0 when it is missing (as the golden heartbeat has it) and drops unknown attributes', () => {
    const raw = encodeAttributes(
      makeResponseAttributes(makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT })),
    );
    delete raw.retry_count;
    const decoded = decodeAttributes({ ...raw, order: '4', forward_logs: '1' }) as ResponseAttributes;
    expect(decoded.retry_count).toBe(0);
    expect('order' in decoded || 'forward_logs' in decoded).toBe(false);
  });

  it.each([
    ['retry_count', 'many', '/attributes/retry_count'],
    ['forward_logs', 'maybe', '/attributes/forward_logs'],
    ['datetime', 'yesterday', '/attributes/datetime'],
    ['datetime', '2025-02-30T00:00:00', '/attributes/datetime'],
    ['cpus', 'two', '/attributes/cpus'],
    ['sender_type', 'SIBLING', '/attributes/sender_type'],
    ['recipient', undefined, '/attributes/recipient'],
  ])('throws InvalidEvent when %s is %j', (name, value, pointer) => {
    const raw: Record<string, unknown> = {
      ...encodeAttributes(makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT })),
      [name]: value,
    };
    let caught: unknown;
    try {
      decodeAttributes(raw, 'question');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidEvent);
    expect((caught as InvalidEvent).failures.map((failure) => failure.pointer)).toContain(pointer);
  });

  it('throws InvalidEvent when the attributes are not an object', () => {
    expect(() => decodeAttributes(null as unknown as Record<string, unknown>)).toThrow(/must be an object/);
  });
});

describe('Function: decodeEvent', () => {
  it('decodes a Pub/Sub message made by serialiseEventData and encodeAttributes', () => {
    const attributes = makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT });
    const data = serialiseEventData({ kind: 'question', input_values: { n: 5 } });
    const decoded = decodeEvent({ event: parseEventData(data), attributes: encodeAttributes(attributes) });
    expect(decoded).toEqual({ event: { kind: 'question', input_values: { n: 5 } }, attributes });
  });

  it.each(['2025-02-30T00:00:00+00:00', '2025-02-28T25:00:00+00:00', '2025-13-01T00:00:00.123456+00:00'])(
    'throws InvalidEvent at /attributes/datetime for %s, an impossible date-time in the usual form',
    (datetime) => {
      const attributes = {
        ...encodeAttributes(makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT })),
        datetime,
      };
      const attempt = (): unknown => decodeEvent({ event: { kind: 'question' }, attributes });
      expect(attempt).toThrow(InvalidEvent);
      try {
        attempt();
      } catch (error) {
        expect((error as InvalidEvent).failures.map((failure) => failure.pointer)).toContain('/attributes/datetime');
      }
    },
  );

  it('throws InvalidEvent for an invalid event body', () => {
    const attributes = encodeAttributes(makeQuestionAttributes({ sender: SENDER, recipient: RECIPIENT }));
    expect(() => decodeEvent({ event: { kind: 'question', children: 'none' }, attributes })).toThrow(InvalidEvent);
  });
});

describe('Function: serialiseEventData / parseEventData', () => {
  it('carries Sets and Dates as Octue _type objects', () => {
    const data = serialiseEventData({
      kind: 'result',
      output_values: { tags: new Set(['b', 'a']), at: new Date('2025-01-01T00:00:00.5Z') },
    });
    expect(JSON.parse(data.toString('utf8'))).toEqual({
      kind: 'result',
      output_values: {
        tags: { _type: 'set', items: ['a', 'b'] },
        at: { _type: 'datetime', value: '2025-01-01T00:00:00.500000+00:00' },
      },
    });
    const parsed = parseEventData(data) as { output_values: { tags: Set<string>; at: Date } };
    expect(parsed.output_values.tags).toEqual(new Set(['a', 'b']));
    expect(parsed.output_values.at.toISOString()).toBe('2025-01-01T00:00:00.500Z');
  });

  it('throws InvalidEvent for data that is not JSON', () => {
    expect(() => parseEventData(Buffer.from('{not json'))).toThrow(/The message data is not a JSON event/);
  });
});
