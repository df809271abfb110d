import { decodeEvent, parseEventData } from '../core/events';
import type { QuestionAttributes, QuestionEvent } from '../core/events';
import type { ReceivedMessage } from '../core/ports/transport';
import { InvalidEvent } from '../errors';

/**
 * A question as a service can be handed one: a transport message, raw message parts (`data` + string attributes, as
 * in a Pub/Sub push body or a Cloud Function event), or an already-parsed event with its attributes (the recording
 * format, as `ask-local` receives it).
 */
export type QuestionInput =
  | ReceivedMessage
  | { readonly data: Buffer | Uint8Array | string; readonly attributes: Readonly<Record<string, string>> }
  | { readonly event: unknown; readonly attributes: Readonly<Record<string, unknown>> };

/** A decoded, valid question. */
export interface ParsedQuestion {
  readonly event: QuestionEvent;
  readonly attributes: QuestionAttributes;
}

/**
 * Whether a question input can be acknowledged (a transport message).
 * @param input - The input.
 * @returns `true` for a message with `ack` and `nack`.
 */
export function isReceivedMessage(input: QuestionInput): input is ReceivedMessage {
  const candidate = input as Partial<ReceivedMessage>;
  return typeof candidate.ack === 'function' && typeof candidate.nack === 'function';
}

/**
 * Decodes and validates a question: the data as Octue JSON, the attributes from their string (or typed) form, then
 * both against the service-communication schema; the event must be a `question` sent by a parent.
 * @param input - The question in any accepted form.
 * @returns The question event and its typed attributes.
 * @throws InvalidEvent when the data is not JSON, an attribute is missing or malformed, the kind is unknown, the
 *   event breaks the schema, or it is not a question.
 */
export function parseQuestion(input: QuestionInput): ParsedQuestion {
  if (typeof input !== 'object' || input === null || !('attributes' in input)) {
    throw new InvalidEvent('A question must come with its attributes.', {
      failures: [{ pointer: '/attributes', message: "must have required property 'attributes'", keyword: 'required' }],
    });
  }
  const event = 'event' in input ? input.event : parseEventData(input.data);
  const decoded = decodeEvent({ event, attributes: input.attributes });
  if (decoded.event.kind !== 'question' || decoded.attributes.sender_type !== 'PARENT') {
    throw new InvalidEvent(
      `Expected a question from a parent but received a '${decoded.event.kind}' event from a ` +
        `${decoded.attributes.sender_type} ('${decoded.attributes.sender}').`,
      {
        failures: [{ pointer: '/event/kind', message: 'must be "question"', keyword: 'const' }],
        kind: decoded.event.kind,
      },
    );
  }
  return { event: decoded.event, attributes: decoded.attributes };
}
