import { InvalidEvent } from '../../errors';
import { decodeOctueJson, encodeOctueJson } from '../json/octue-json';
import { DEFAULT_SAVE_DIAGNOSTICS } from './attributes';
import { hasNormalEventDatetimeForm, normaliseEventDatetime } from './datetime';
import { validateAttributes, validateEvent } from './validate-event';
import type { EventAttributes, RecordedEvent, ServiceEvent } from './types';

/** Every attribute name, in the order Octue writes them. */
export const ATTRIBUTE_NAMES = [
  'uuid',
  'datetime',
  'question_uuid',
  'parent_question_uuid',
  'originator_question_uuid',
  'parent',
  'originator',
  'sender',
  'sender_type',
  'sender_sdk_version',
  'recipient',
  'retry_count',
  'forward_logs',
  'save_diagnostics',
  'cpus',
  'memory',
  'ephemeral_storage',
] as const;

const QUESTION_ONLY = new Set<string>(['forward_logs', 'save_diagnostics', 'cpus', 'memory', 'ephemeral_storage']);

/**
 * Encodes attributes as Pub/Sub message attributes (strings only), as Octue's `to_serialised_attributes`: booleans
 * become `"1"`/`"0"`, numbers their decimal text, and attributes without a value are left out.
 * @param attributes - Typed attributes.
 * @returns The string map to publish, in Octue's attribute order.
 */
export function encodeAttributes(attributes: EventAttributes): Record<string, string> {
  const encoded: Record<string, string> = {};
  const source = attributes as unknown as Readonly<Record<string, unknown>>;
  for (const name of ATTRIBUTE_NAMES) {
    const value = source[name];
    if (value === undefined || value === null) {
      continue;
    }
    encoded[name] = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
  }
  return encoded;
}

const TRUE_TEXT = new Set(['1', 'true']);
const FALSE_TEXT = new Set(['0', 'false']);

function decodeBoolean(value: unknown): unknown {
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (TRUE_TEXT.has(text)) return true;
    if (FALSE_TEXT.has(text)) return false;
  }
  if (value === 1 || value === 0) {
    return value === 1;
  }
  return value;
}

function decodeInteger(value: unknown): unknown {
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    return Number(value);
  }
  if (typeof value === 'bigint') {
    return Number(value);
  }
  return value;
}

/**
 * Decodes attributes from Pub/Sub strings or typed values (BigQuery rows and the emulator's JSON carry
 * `retry_count` as a number and `forward_logs` as a boolean), fills Octue's defaults (`originator_question_uuid` ←
 * `question_uuid`, `parent`/`originator` ← `sender`, `retry_count` 0, and for questions `forward_logs` true and
 * `save_diagnostics` `SAVE_DIAGNOSTICS_ON_CRASH`), normalises `datetime` to UTC `isoformat()` text, drops unknown and
 * (for responses) question-only attributes, then checks the result.
 * @param raw - The received attributes.
 * @param kind - The event's kind, for error messages.
 * @returns Typed attributes.
 * @throws InvalidEvent when a required attribute is missing or a value cannot be decoded (pointers under
 *   `/attributes`).
 */
export function decodeAttributes(raw: Readonly<Record<string, unknown>>, kind?: string): EventAttributes {
  return validateAttributes(normaliseAttributes(raw, kind), kind);
}

// Decoding without the final check, so decodeEvent can check attributes and event in one schema pass.
function normaliseAttributes(
  raw: Readonly<Record<string, unknown>>,
  kind: string | undefined,
): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new InvalidEvent('Event attributes must be an object of attribute names to values.', {
      failures: [{ pointer: '/attributes', message: 'must be object', keyword: 'type' }],
      kind,
    });
  }
  const isQuestion = raw.sender_type === 'PARENT';
  const present = (name: string): unknown => {
    const value = raw[name];
    return value === null || value === undefined ? undefined : value;
  };
  const sender = present('sender');
  const questionUuid = present('question_uuid');
  const datetime = present('datetime');
  const decoded: Record<string, unknown> = {
    uuid: present('uuid'),
    // The usual form skips the parse; decodeEvent's schema check still checks the calendar (date-time format).
    datetime: hasNormalEventDatetimeForm(datetime) ? datetime : (normaliseEventDatetime(datetime) ?? datetime),
    question_uuid: questionUuid,
    parent_question_uuid: present('parent_question_uuid'),
    originator_question_uuid: present('originator_question_uuid') ?? questionUuid,
    parent: present('parent') ?? sender,
    originator: present('originator') ?? sender,
    sender,
    sender_type: present('sender_type'),
    sender_sdk_version: present('sender_sdk_version'),
    recipient: present('recipient'),
    retry_count: decodeInteger(present('retry_count') ?? 0),
  };
  if (isQuestion) {
    decoded.forward_logs = decodeBoolean(present('forward_logs') ?? true);
    decoded.save_diagnostics = present('save_diagnostics') ?? DEFAULT_SAVE_DIAGNOSTICS;
    decoded.cpus = decodeInteger(present('cpus'));
    decoded.memory = present('memory');
    decoded.ephemeral_storage = present('ephemeral_storage');
  }
  const kept: Record<string, unknown> = {};
  for (const name in decoded) {
    const value = decoded[name];
    if (value !== undefined && (isQuestion || !QUESTION_ONLY.has(name))) kept[name] = value;
  }
  return kept;
}

/**
 * Decodes and checks a received event: its attributes as {@link decodeAttributes} does, then the whole
 * `{event, attributes}` against the service-communication schema. Use it for Pub/Sub messages (after parsing the data
 * with {@link parseEventData}), recorded events and event-store rows.
 * @param raw - The event and its raw attributes.
 * @returns The typed event and attributes.
 * @throws InvalidEvent when the event or its attributes are invalid.
 */
export function decodeEvent(raw: { readonly event: unknown; readonly attributes: unknown }): RecordedEvent {
  const kind = (raw.event as { kind?: unknown } | null | undefined)?.kind;
  // The event schema covers the attributes too, so they are checked once, with the event.
  const attributes = normaliseAttributes(
    raw.attributes as Readonly<Record<string, unknown>>,
    typeof kind === 'string' ? kind : undefined,
  );
  return validateEvent({ event: raw.event, attributes });
}

/**
 * Serialises an event for a Pub/Sub message's data with the Octue JSON codec (Sets and Dates inside values become
 * Octue's `_type` objects, so Python peers decode them).
 * @param event - The event.
 * @returns The UTF-8 bytes.
 * @throws InvalidInputException when a value cannot be encoded as JSON.
 */
export function serialiseEventData(event: ServiceEvent): Buffer {
  return Buffer.from(encodeOctueJson(event), 'utf8');
}

/**
 * Parses a Pub/Sub message's data into an event with the Octue JSON codec (`_type` objects become Sets and Dates).
 * The result is not yet checked; pass it to {@link decodeEvent} with the message's attributes.
 * @param data - The message data.
 * @returns The parsed value.
 * @throws InvalidEvent when the data is not JSON.
 */
export function parseEventData(data: Buffer | Uint8Array | string): unknown {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  try {
    return decodeOctueJson(text);
  } catch (error) {
    throw new InvalidEvent(`The message data is not a JSON event: ${(error as Error).message}`, {
      failures: [{ pointer: '/event', message: 'must be JSON', keyword: 'type' }],
      cause: error,
    });
  }
}
