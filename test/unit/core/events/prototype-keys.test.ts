import { decodeEvent, fromPythonLogRecord, parseEventData, toMinimalAttributes } from '../../../../src/core/events';
import type { EventAttributes } from '../../../../src/core/events';
import { InvalidEvent } from '../../../../src/errors';
import { CHILD_ATTRIBUTES } from '../../../helpers/event-samples';
import {
  HOSTILE_KEYS_JSON,
  expectHostileKeysKeptAsData,
  objectPrototypePolluted,
} from '../../../helpers/prototype-keys';

/** Parses event data as received, then decodes it with a child's attributes. */
function receive(data: string): ReturnType<typeof decodeEvent> {
  return decodeEvent({ event: parseEventData(Buffer.from(data, 'utf8')), attributes: CHILD_ATTRIBUTES });
}

describe('Function: parseEventData / decodeEvent (prototype keys)', () => {
  it.each([
    ['a monitor_message', '{"kind": "monitor_message", "__proto__": {"data": {"progress": 1}}}'],
    [
      'an exception',
      '{"kind": "exception", "__proto__": {"exception_type": "ValueError", "exception_message": "m", ' +
        '"exception_traceback": []}}',
    ],
    [
      'a log_record',
      '{"kind": "log_record", "log_record": {"__proto__": {"name": "injected", "levelname": "INFO"}, "msg": "hi"}}',
    ],
  ])('refuses %s event whose required fields sit only in a __proto__ key', (_kind, data) => {
    // Had `__proto__` become the prototype, the schema's `required` check would have found the fields through it.
    expect(() => receive(data)).toThrow(InvalidEvent);
    expect(() => receive(data)).toThrow('must have required property');
    expect(objectPrototypePolluted()).toBe(false);
  });

  it('keeps the keys as own data in free-form values: monitor message data and result output values', () => {
    const monitor = receive(`{"kind": "monitor_message", "data": ${HOSTILE_KEYS_JSON}}`);
    const result = receive(`{"kind": "result", "output_values": {"nested": [${HOSTILE_KEYS_JSON}]}}`);

    expectHostileKeysKeptAsData((monitor.event as { data: unknown }).data);
    expectHostileKeysKeptAsData((result.event as { output_values: { nested: unknown[] } }).output_values.nested[0]);
  });

  it('never reads a log record field from a prototype the sender chose', () => {
    const { event } = receive(
      '{"kind": "log_record", "log_record": {"__proto__": {"name": "injected", "exc_text": "injected"}, ' +
        '"name": "app", "levelname": "INFO", "msg": "hello", "levelno": 20}}',
    );
    const entry = fromPythonLogRecord((event as { log_record: unknown }).log_record);

    expect(entry.name).toBe('app');
    expect(entry.excText).toBeUndefined();
    expect(entry.message).toBe('hello');
  });
});

describe('Function: toMinimalAttributes (prototype keys)', () => {
  it('copies an own __proto__ attribute as data, never as the copy’s prototype', () => {
    const attributes = JSON.parse(
      `{"sender": "acme/child:1.0.0", "__proto__": {"sender_type": "PARENT", "isAdmin": true}}`,
    ) as EventAttributes;

    const minimal = toMinimalAttributes(attributes) as unknown as Record<string, unknown>;

    expect(Object.getPrototypeOf(minimal)).toBe(Object.prototype);
    expect(Object.keys(minimal)).toEqual(['sender', '__proto__']);
    expect(minimal.sender_type).toBeUndefined();
    expect(minimal.isAdmin).toBeUndefined();
  });
});
