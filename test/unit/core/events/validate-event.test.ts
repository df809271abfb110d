import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { InvalidEvent } from '../../../../src/errors';
import {
  SERVICE_COMMUNICATION_SCHEMA,
  decodeEvent,
  findEventFailures,
  isValidEvent,
  validateAttributes,
  validateEvent,
} from '../../../../src/core/events';
import { CHILD_ATTRIBUTES, QUESTION_ATTRIBUTES } from '../../../helpers/event-samples';

const GOLDEN = JSON.parse(readFileSync(join(__dirname, '../../../fixtures/octue/fixtures/events.json'), 'utf8')) as {
  event: unknown;
  attributes: Record<string, unknown>;
}[];

function failureOf(candidate: unknown): InvalidEvent {
  try {
    validateEvent(candidate);
  } catch (error) {
    return error as InvalidEvent;
  }
  throw new Error('validateEvent did not throw');
}

describe('Function: validateEvent', () => {
  it('accepts a heartbeat from a child', () => {
    const candidate = { event: { kind: 'heartbeat' }, attributes: CHILD_ATTRIBUTES };
    expect(validateEvent(candidate)).toBe(candidate);
    expect(isValidEvent(candidate)).toBe(true);
  });

  it('accepts a question with a manifest and children in either backend shape', () => {
    const event = {
      kind: 'question',
      input_values: { n: 5 },
      input_manifest: { id: 'm', name: null, datasets: { met: 'https://example.com/signed' } },
      children: [
        { key: 'a', id: 'acme/a:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'p' } },
        { key: 'b', id: 'acme/b:1.0.0', backend: { name: 'GCPPubSubBackend', project_name: 'p' } },
      ],
    };
    expect(isValidEvent({ event, attributes: QUESTION_ATTRIBUTES })).toBe(true);
  });

  it.each([
    ['an unknown kind', { kind: 'cancellation' }, CHILD_ATTRIBUTES, '/event/kind', 'enum'],
    ['a missing kind', {}, CHILD_ATTRIBUTES, '/event/kind', 'required'],
    ['a monitor message without data', { kind: 'monitor_message' }, CHILD_ATTRIBUTES, '/event/data', 'required'],
    [
      'an exception with a string traceback',
      { kind: 'exception', exception_type: 'ValueError', exception_message: 'm', exception_traceback: 'tb' },
      CHILD_ATTRIBUTES,
      '/event/exception_traceback',
      'type',
    ],
    [
      'a log record without levelno',
      { kind: 'log_record', log_record: { name: 'app', msg: 'hi', levelname: 'INFO' } },
      CHILD_ATTRIBUTES,
      '/event/log_record/levelno',
      'required',
    ],
    [
      'a result whose manifest has no datasets',
      { kind: 'result', output_manifest: { id: 'm' } },
      CHILD_ATTRIBUTES,
      '/event/output_manifest/datasets',
      'required',
    ],
    [
      'a child without a backend project',
      { kind: 'question', children: [{ key: 'a', id: 'x', backend: { name: 'GCPPubSubBackend' } }] },
      QUESTION_ATTRIBUTES,
      '/event/children/0/backend/project_id',
      'required',
    ],
    [
      'a negative retry count',
      { kind: 'heartbeat' },
      { ...CHILD_ATTRIBUTES, retry_count: -1 },
      '/attributes/retry_count',
      'minimum',
    ],
    [
      'a string retry count',
      { kind: 'heartbeat' },
      { ...CHILD_ATTRIBUTES, retry_count: '0' },
      '/attributes/retry_count',
      'type',
    ],
    [
      'a naive datetime',
      { kind: 'heartbeat' },
      { ...CHILD_ATTRIBUTES, datetime: '2024-04-11T10:46:48' },
      '/attributes/datetime',
      'format',
    ],
    ['a bad uuid', { kind: 'heartbeat' }, { ...CHILD_ATTRIBUTES, uuid: 'nope' }, '/attributes/uuid', 'format'],
    [
      'an unknown sender type',
      { kind: 'heartbeat' },
      { ...CHILD_ATTRIBUTES, sender_type: 'SIBLING' },
      '/attributes/sender_type',
      'enum',
    ],
    [
      'a question without forward_logs',
      { kind: 'question' },
      { ...QUESTION_ATTRIBUTES, forward_logs: undefined },
      '/attributes/forward_logs',
      'required',
    ],
    ['zero cpus', { kind: 'question' }, { ...QUESTION_ATTRIBUTES, cpus: 0 }, '/attributes/cpus', 'minimum'],
  ])('throws InvalidEvent for %s, pointing at the failing value', (_label, event, attributes, pointer, keyword) => {
    const error = failureOf({ event, attributes: JSON.parse(JSON.stringify(attributes)) });
    expect(error).toBeInstanceOf(InvalidEvent);
    expect(error.failures).toContainEqual(expect.objectContaining({ pointer, keyword }));
  });

  it('names the kind and the sender in the message', () => {
    const error = failureOf({ event: { kind: 'monitor_message' }, attributes: CHILD_ATTRIBUTES });
    expect(error.message).toMatch(
      /^The 'monitor_message' event from 'octue\/test-service:1\.0\.0' does not conform to the service-communication schema:\n {2}\/event\/data: /,
    );
    expect(error.kind).toBe('monitor_message');
  });

  it('rejects extra top-level keys and missing parts', () => {
    expect(findEventFailures({ event: { kind: 'heartbeat' }, attributes: CHILD_ATTRIBUTES, extra: 1 })).toContainEqual(
      expect.objectContaining({ pointer: '/extra', keyword: 'additionalProperties' }),
    );
    expect(findEventFailures({ event: { kind: 'heartbeat' } })).toContainEqual(
      expect.objectContaining({ pointer: '/attributes', keyword: 'required' }),
    );
  });
});

describe('Function: validateAttributes', () => {
  it('throws InvalidEvent with pointers under /attributes', () => {
    expect(() => validateAttributes({ ...CHILD_ATTRIBUTES, sender: 3 }, 'heartbeat')).toThrow(
      /attributes of a 'heartbeat' event from an unknown sender are invalid:\n {2}\/attributes\/sender: must be string/,
    );
  });
});

describe('Constant: SERVICE_COMMUNICATION_SCHEMA', () => {
  it('is a draft 2020-12 schema with no network references', () => {
    expect(SERVICE_COMMUNICATION_SCHEMA.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const refs = JSON.stringify(SERVICE_COMMUNICATION_SCHEMA).match(/"\$ref":"[^"]*"/g) ?? [];
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.every((ref) => ref.startsWith('"$ref":"#/'))).toBe(true);
  });
});

describe('Function: decodeEvent', () => {
  it.each(GOLDEN.map((recorded, index) => [index, recorded]))(
    'decodes golden event %i and fills the defaults it leaves out',
    (_index, recorded) => {
      const decoded = decodeEvent(recorded);
      expect(decoded.event).toEqual(recorded.event);
      expect(decoded.attributes.retry_count).toBe(0);
      expect(decoded.attributes.datetime).toBe('2024-04-11T10:46:48.236064+00:00');
    },
  );
});
