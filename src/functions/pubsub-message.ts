import { InvalidEvent } from '../errors';
import { setOwnProperty } from '../core/json/own-property';
import type { FunctionMessage, PubSubMessageLike } from './types';

// Pub/Sub's JSON form of bytes is base64 (standard alphabet, padded); the URL-safe alphabet is accepted as well, as
// protobuf's JSON parsers accept it. Node's decoder silently skips characters outside the alphabet, so the text is
// checked first: a corrupted message must be recognised as such, not decoded into different bytes.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function undeliverable(message: string, pointer: string, keyword: string): InvalidEvent {
  return new InvalidEvent(message, { failures: [{ pointer, message, keyword }] });
}

function decodeData(data: unknown, pointer: string): Buffer {
  if (data === undefined || data === null || data === '') {
    throw undeliverable('The message has no data (a Skein event is never empty)', pointer, 'required');
  }
  if (typeof data !== 'string') {
    throw undeliverable(`The message data must be a base64 string, not ${typeof data}`, pointer, 'type');
  }
  const text = data.trim();
  if (!BASE64.test(text) || text.length % 4 === 1) {
    throw undeliverable('The message data is not valid base64', pointer, 'contentEncoding');
  }
  return Buffer.from(text, 'base64');
}

function readAttributes(attributes: unknown, pointer: string): Record<string, string> {
  // Pub/Sub leaves `attributes` out (or sends null) when a message has none.
  if (attributes === undefined || attributes === null) return {};
  if (!isRecord(attributes)) throw undeliverable('The message attributes must be an object', pointer, 'type');
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') {
      throw undeliverable(`The attribute '${key}' must be a string`, `${pointer}/${key}`, 'type');
    }
    setOwnProperty(result, key, value); // an attribute named `__proto__` is kept, not dropped by the setter
  }
  return result;
}

function firstString(...values: unknown[]): string | undefined {
  for (const value of values) {
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return undefined;
}

function readTime(...values: unknown[]): Date {
  const text = firstString(...values);
  const time = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(time) ? new Date() : new Date(time);
}

/** Fallbacks from the event around the message (a CloudEvent's `id`/`time`, a background context's fields). */
export interface MessageFallbacks {
  readonly id?: unknown;
  readonly time?: unknown;
  readonly deliveryAttempt?: unknown;
}

/**
 * Reads a Pub/Sub message in its JSON form (push body, CloudEvent data, background event data).
 * @param message - The message object.
 * @param pointer - Where it sits in the event, for error pointers (e.g. `/data/message`).
 * @param fallbacks - The id, time and delivery attempt from the surrounding event.
 * @returns The message with its data decoded.
 * @throws InvalidEvent when there is no message object, the data is empty or not base64, or the attributes are not
 *   strings: a delivery that can never be answered (a poison message).
 */
export function readPubSubMessage(
  message: unknown,
  pointer: string,
  fallbacks: MessageFallbacks = {},
): FunctionMessage {
  if (!isRecord(message)) {
    throw undeliverable(`The event holds no Pub/Sub message at ${pointer}`, pointer, 'required');
  }
  const fields = message as PubSubMessageLike;
  const data = decodeData(fields.data, `${pointer}/data`);
  const attributes = readAttributes(fields.attributes, `${pointer}/attributes`);
  const orderingKey = firstString(fields.orderingKey);
  const attempt = Number(fallbacks.deliveryAttempt);
  return {
    id: firstString(fields.messageId, fields.message_id, fallbacks.id) ?? 'unknown',
    data,
    attributes,
    publishTime: readTime(fields.publishTime, fields.publish_time, fallbacks.time),
    ...(orderingKey === undefined ? {} : { orderingKey }),
    deliveryAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
  };
}

/**
 * The message id of a message that could not be read, for the log line saying it was dropped.
 * @param message - Whatever was found where the message should be.
 * @param fallback - The surrounding event's id.
 * @returns The id, if any.
 */
export function messageIdOf(message: unknown, fallback?: unknown): string | undefined {
  const fields = isRecord(message) ? (message as PubSubMessageLike) : {};
  return firstString(fields.messageId, fields.message_id, fallback);
}
