// The event shapes a function receives for one Pub/Sub message, as functions-framework and Pub/Sub make them
// (toolchain.md §1): a CloudEvent (Eventarc, or a push body converted by the framework), a raw push body over HTTP,
// and a gen1 background event.
import type { BackgroundContextLike, CloudEventLike, HttpResponseLike } from '../../../src/functions';

export const PROJECT = 'demo-functions';
export const TOPIC_PATH = `projects/${PROJECT}/topics/main.octue.twined.services`;

/** A message in Pub/Sub's JSON form; `data` is base64 (or whatever a test wants to send). */
export interface JsonMessage {
  readonly data?: unknown;
  readonly attributes?: unknown;
  readonly messageId?: string;
}

let nextId = 1;

/**
 * @param parts - Data (bytes are base64-encoded; anything else is sent as given) and attributes.
 * @returns The message in JSON form with a fresh message id.
 */
export function jsonMessage(parts: { data?: unknown; attributes?: unknown }): JsonMessage {
  const data = Buffer.isBuffer(parts.data) ? parts.data.toString('base64') : parts.data;
  return { data, attributes: parts.attributes, messageId: String(nextId++) };
}

/** The CloudEvent functions-framework makes from a push body sent to `/projects/<p>/topics/<t>`. */
export function cloudEventOf(message: JsonMessage): CloudEventLike & Record<string, unknown> {
  return {
    id: message.messageId,
    time: '2026-11-22T01:39:46.456Z',
    specversion: '1.0',
    datacontenttype: 'application/json',
    type: 'google.cloud.pubsub.topic.v1.messagePublished',
    source: `//pubsub.googleapis.com/${TOPIC_PATH}`,
    data: {
      message: {
        '@type': 'type.googleapis.com/google.pubsub.v1.PubsubMessage',
        ...message,
        publishTime: '2026-11-22T01:39:46.456Z',
      },
    },
  };
}

/** The body a push subscription POSTs (both spellings of the id and time fields, as the emulator sends them). */
export function pushBodyOf(message: JsonMessage): Record<string, unknown> {
  return {
    subscription: `projects/${PROJECT}/subscriptions/skein-push`,
    message: {
      ...message,
      message_id: message.messageId,
      publishTime: '2026-11-22T01:39:21.613Z',
      publish_time: '2026-11-22T01:39:21.613Z',
    },
  };
}

/** A gen1 background event: the message as `data`, and its context. */
export function backgroundEventOf(message: JsonMessage): [Record<string, unknown>, BackgroundContextLike] {
  const { messageId, ...rest } = message;
  return [
    { '@type': 'type.googleapis.com/google.pubsub.v1.PubsubMessage', ...rest },
    {
      eventId: messageId,
      timestamp: '2026-11-22T01:39:46.456Z',
      eventType: 'google.pubsub.topic.publish',
      resource: {
        service: 'pubsub.googleapis.com',
        name: TOPIC_PATH,
        type: 'type.googleapis.com/google.pubsub.v1.PubsubMessage',
      },
    },
  ];
}

/** Records what a handler writes to its HTTP response. */
export class RecordedResponse implements HttpResponseLike {
  statusCode: number | undefined;
  body: unknown;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  send(body?: unknown): this {
    this.body = body;
    return this;
  }
}
