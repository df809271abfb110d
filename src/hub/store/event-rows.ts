import type { Insertable } from 'kysely';

import { ATTRIBUTE_NAMES, encodeAttributes } from '../../core/events';
import type { RecordedEvent } from '../../core/events';
import { setOwnProperty, toOctuePrimitive } from '../../core/json';
import type { EventTable } from './tables';

/** What the event store's `backend` column holds for events that came through Pub/Sub (Octue's value). */
export const PUBSUB_BACKEND = 'GoogleCloudPubSub';

/** Pub/Sub's delivery details of an event, stored in the `backend_metadata` column. */
export interface BackendMetadata {
  /** The Pub/Sub message id. */
  readonly messageId?: string;
  /** The message's ordering key (the question uuid). */
  readonly orderingKey?: string;
}

/** One event to store: the event, its attributes (Pub/Sub strings or typed) and how it was delivered. */
export interface EventDelivery {
  /** The event (`{kind, …}`). */
  readonly event: unknown;
  /** Its attributes, as Pub/Sub strings or decoded. */
  readonly attributes: unknown;
  /** The Pub/Sub delivery details, when it came through Pub/Sub. */
  readonly backendMetadata?: BackendMetadata;
}

/**
 * A stored event as Octue's `get_events` returns it: `{event, attributes}` (the recording format, with `retry_count`
 * a number and `forward_logs` a boolean), plus `backend` and `backend_metadata` when they were asked for.
 */
export interface StoredEvent extends RecordedEvent {
  /** The backend the event came through (`GoogleCloudPubSub`), with `includeBackendMetadata`. */
  readonly backend?: string;
  /** `{message_id, ordering_key}`, with `includeBackendMetadata`. */
  readonly backend_metadata?: Readonly<Record<string, unknown>>;
}

// The attributes with a column of their own: Octue's attribute names up to `recipient` (the rest are the question's
// and delivery's settings). The others go to `other_attributes`, as Pub/Sub strings (as Octue stores them).
const ATTRIBUTE_COLUMNS = new Set<string>(ATTRIBUTE_NAMES.slice(0, ATTRIBUTE_NAMES.indexOf('recipient') + 1));

/**
 * PostgreSQL's `jsonb` and `text` cannot hold U+0000, which JSON and Pub/Sub strings can: one such character would
 * fail its whole batch (and the delivery would be retried for ever), so it is stored as U+FFFD.
 * @param text - Any text.
 * @returns The text without NUL characters.
 */
export function withoutNul(text: string): string {
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

/**
 * Writes a value as JSON for a `jsonb` column: Octue's `_type` objects for Sets and Dates, `null` for the non-finite
 * numbers PostgreSQL's JSON cannot hold, and no NUL characters.
 * @param value - The value.
 * @returns The JSON text.
 */
export function toJsonb(value: unknown): string {
  return JSON.stringify(toOctuePrimitive(value), (_key, item: unknown) =>
    typeof item === 'string' ? withoutNul(item) : item,
  );
}

/**
 * Makes the `events` row of a decoded event.
 * @param recorded - The decoded event and attributes.
 * @param metadata - The Pub/Sub delivery details.
 * @returns The row to insert.
 */
export function toEventRow(recorded: RecordedEvent, metadata: BackendMetadata = {}): Insertable<EventTable> {
  const { event, attributes } = recorded;
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) if (key !== 'kind') setOwnProperty(body, key, value);
  const other: Record<string, string> = {};
  for (const [key, value] of Object.entries(encodeAttributes(attributes))) {
    if (!ATTRIBUTE_COLUMNS.has(key)) other[key] = value;
  }
  const backendMetadata: Record<string, string> = {};
  if (metadata.messageId !== undefined) backendMetadata.message_id = metadata.messageId;
  if (metadata.orderingKey !== undefined) backendMetadata.ordering_key = metadata.orderingKey;
  return {
    uuid: withoutNul(attributes.uuid),
    datetime: attributes.datetime,
    kind: event.kind,
    event: toJsonb(body),
    otherAttributes: toJsonb(other),
    originator: withoutNul(attributes.originator),
    parent: withoutNul(attributes.parent),
    sender: withoutNul(attributes.sender),
    senderType: attributes.sender_type,
    senderSdkVersion: withoutNul(attributes.sender_sdk_version),
    recipient: withoutNul(attributes.recipient),
    originatorQuestionUuid: withoutNul(attributes.originator_question_uuid),
    parentQuestionUuid:
      attributes.parent_question_uuid === undefined ? null : withoutNul(attributes.parent_question_uuid),
    questionUuid: withoutNul(attributes.question_uuid),
    backend: PUBSUB_BACKEND,
    backendMetadata: toJsonb(backendMetadata),
  };
}

/** The columns of an `events` row that {@link fromEventRow} reads. */
export interface EventRowRead {
  readonly uuid: string;
  readonly datetime: string;
  readonly kind: string;
  readonly event: unknown;
  readonly otherAttributes: unknown;
  readonly originator: string;
  readonly parent: string;
  readonly sender: string;
  readonly senderType: string;
  readonly senderSdkVersion: string;
  readonly recipient: string;
  readonly originatorQuestionUuid: string;
  readonly parentQuestionUuid: string | null;
  readonly questionUuid: string;
  readonly backend?: string;
  readonly backendMetadata?: unknown;
}

const INTEGER_ATTRIBUTES = new Set(['retry_count', 'cpus']);

function decodeOther(key: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (INTEGER_ATTRIBUTES.has(key) && /^\d+$/.test(value)) return Number(value);
  if (key === 'forward_logs') return value === '1' || value.toLowerCase() === 'true';
  return value;
}

/**
 * Turns an `events` row back into `{event, attributes}` (Octue's `_unflatten_events`): the kind goes back into the
 * event, the columns and the other attributes make the attributes, and `retry_count`, `cpus` and `forward_logs` get
 * their types back. An event without a parent question has no `parent_question_uuid` (the recording format leaves
 * unset attributes out).
 * @param row - The row, its datetime already in the normal event form.
 * @returns The stored event.
 */
export function fromEventRow(row: EventRowRead): StoredEvent {
  const event: Record<string, unknown> = { kind: row.kind };
  for (const [key, value] of Object.entries(row.event as object)) setOwnProperty(event, key, value);
  const attributes: Record<string, unknown> = {
    uuid: row.uuid,
    datetime: row.datetime,
    question_uuid: row.questionUuid,
  };
  if (row.parentQuestionUuid !== null) attributes.parent_question_uuid = row.parentQuestionUuid;
  attributes.originator_question_uuid = row.originatorQuestionUuid;
  attributes.parent = row.parent;
  attributes.originator = row.originator;
  attributes.sender = row.sender;
  attributes.sender_type = row.senderType;
  attributes.sender_sdk_version = row.senderSdkVersion;
  attributes.recipient = row.recipient;
  for (const [key, value] of Object.entries(row.otherAttributes as object)) {
    if (!ATTRIBUTE_COLUMNS.has(key)) setOwnProperty(attributes, key, decodeOther(key, value));
  }
  const stored = { event, attributes } as unknown as StoredEvent;
  if (row.backend === undefined) return stored;
  return Object.assign(stored, {
    backend: row.backend,
    backend_metadata: row.backendMetadata as Record<string, unknown>,
  });
}
