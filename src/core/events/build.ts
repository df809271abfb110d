import { InvalidEvent } from '../../errors';
import { toMinimalAttributes } from './attributes';
import type {
  ChildPrimitive,
  DeliveryAcknowledgementEvent,
  EventAttributes,
  HeartbeatEvent,
  ManifestPrimitive,
  MonitorMessageEvent,
  QuestionEvent,
  RecordedEvent,
  ResultEvent,
  ServiceEvent,
} from './types';

// Optional event fields are left out when they have no value, never sent as `null` (Octue's `make_minimal_dictionary`).
function minimal<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined && item !== null)) as T;
}

/** The body of a question. */
export interface QuestionContent {
  /** Input values (any JSON). */
  readonly inputValues?: unknown;
  /** The input manifest (serialised). */
  readonly inputManifest?: ManifestPrimitive;
  /** Children for the child to use instead of its defaults. */
  readonly children?: readonly ChildPrimitive[];
}

/**
 * Makes a `question` event.
 * @param content - Any inputs and children.
 * @returns The event, with absent or `null` fields left out.
 */
export function makeQuestionEvent(content: QuestionContent = {}): QuestionEvent {
  return minimal({
    kind: 'question',
    input_values: content.inputValues,
    input_manifest: content.inputManifest,
    children: content.children,
  });
}

/**
 * Makes the `delivery_acknowledgement` event a child sends once it has parsed a question.
 * @returns The event.
 */
export function makeDeliveryAcknowledgementEvent(): DeliveryAcknowledgementEvent {
  return { kind: 'delivery_acknowledgement' };
}

/**
 * Makes a `heartbeat` event.
 * @returns The event.
 */
export function makeHeartbeatEvent(): HeartbeatEvent {
  return { kind: 'heartbeat' };
}

/**
 * Makes a `monitor_message` event.
 * @param data - The update (any JSON value, `null` included).
 * @returns The event.
 * @throws InvalidEvent when `data` is `undefined` (the field is required, and JSON cannot carry `undefined`).
 */
export function makeMonitorMessageEvent(data: unknown): MonitorMessageEvent {
  if (data === undefined) {
    throw new InvalidEvent('A monitor message needs data: pass a JSON value (null is allowed, undefined is not).', {
      failures: [{ pointer: '/event/data', message: "must have required property 'data'", keyword: 'required' }],
      kind: 'monitor_message',
    });
  }
  return { kind: 'monitor_message', data };
}

/** The body of a result. */
export interface ResultContent {
  /** Output values (any JSON). */
  readonly outputValues?: unknown;
  /** The output manifest (serialised). */
  readonly outputManifest?: ManifestPrimitive;
}

/**
 * Makes a `result` event.
 * @param content - Any outputs.
 * @returns The event, with absent or `null` fields left out.
 */
export function makeResultEvent(content: ResultContent = {}): ResultEvent {
  return minimal({ kind: 'result', output_values: content.outputValues, output_manifest: content.outputManifest });
}

/**
 * Pairs an event with its attributes in the recording format Octue uses for `received_events`, the event store and
 * replay fixtures: `{event, attributes}` with the attributes in their typed, minimal form.
 * @param event - The event.
 * @param attributes - Its attributes.
 * @returns The recorded event.
 */
export function toRecordedEvent<E extends ServiceEvent, A extends EventAttributes>(
  event: E,
  attributes: A,
): RecordedEvent<E, A> {
  return { event, attributes: toMinimalAttributes(attributes) };
}
