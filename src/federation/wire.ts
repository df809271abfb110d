import { validateWithSchema } from '../core/json-schema';
import type { OutgoingMessage } from '../core/ports/transport';
import { messageSizeBytes } from '../core/ports/transport';
import { isValidSruid } from '../core/service-id';
import { InvalidFederationMessage } from '../errors';
import { ANALYSIS_ID_PATTERN, isMessageIdOf } from './ids';

/**
 * The wire format of federation events. Each is one Pub/Sub message on the services topic:
 *
 * - attributes: `skein_federation_event` (`message` or `ack`), `analysis_id`, `sender`, `recipient`, `category`,
 *   `message_id`, `attempt`, and `sender_type: PARENT` so that the recipient's existing service subscription (filtered
 *   on `recipient` and `sender_type`) delivers it: a deployed service needs no extra subscription;
 * - data (UTF-8 JSON): a message `{v: 1, body, created_at, number, in_reply_to}`; an ack `{v: 1, arrived_at}`.
 *
 * Every received event is checked here before anything uses it.
 * @module
 */

/** The attribute that marks a federation event (and its kind). */
export const EVENT_ATTRIBUTE = 'skein_federation_event';

/** A message as it travels. */
export interface WireMessage {
  readonly analysisId: string;
  readonly sender: string;
  readonly recipient: string;
  readonly category: string;
  readonly messageId: string;
  readonly attempt: number;
  readonly body: Record<string, unknown>;
  readonly createdAt: string;
  readonly number: number;
  readonly inReplyTo: string | null;
  /** With `spill`: the id of the global intermediate data holding the body (the body itself is then empty). */
  readonly spilledBodyId?: string | null;
}

/** An acknowledgement as it travels (from the receiver back to the sender). */
export interface WireAck {
  readonly analysisId: string;
  /** The participant acknowledging (the original receiver). */
  readonly sender: string;
  /** The original sender. */
  readonly recipient: string;
  readonly category: string;
  readonly messageId: string;
  readonly arrivedAt: string;
}

const CATEGORY_SCHEMA = { type: 'string', minLength: 1, maxLength: 128 } as const;
const ATTRIBUTES_SCHEMA = {
  type: 'object',
  required: [EVENT_ATTRIBUTE, 'analysis_id', 'sender', 'recipient', 'category', 'message_id', 'attempt'],
  properties: {
    [EVENT_ATTRIBUTE]: { enum: ['message', 'ack'] },
    analysis_id: { type: 'string', pattern: ANALYSIS_ID_PATTERN.source },
    sender: { type: 'string', maxLength: 300 },
    recipient: { type: 'string', maxLength: 300 },
    category: CATEGORY_SCHEMA,
    message_id: { type: 'string', maxLength: 32 },
    attempt: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
  },
} as const;
const TIME_SCHEMA = { type: 'string', format: 'date-time', maxLength: 40 } as const;
const MESSAGE_DATA_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'body', 'created_at', 'number', 'in_reply_to'],
  properties: {
    v: { const: 1 },
    body: { type: 'object', not: { required: ['meta'] } },
    created_at: TIME_SCHEMA,
    number: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER },
    in_reply_to: { type: ['string', 'null'], maxLength: 32 },
    spilled_body: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
  },
} as const;
const ACK_DATA_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['v', 'arrived_at'],
  properties: { v: { const: 1 }, arrived_at: TIME_SCHEMA },
} as const;

/**
 * Encodes a message for publishing.
 * @param message - The message.
 * @returns The Pub/Sub message and its size in bytes (as the transport counts it).
 */
export function encodeMessage(message: WireMessage): { message: OutgoingMessage; sizeBytes: number } {
  const data = Buffer.from(
    JSON.stringify({
      v: 1,
      body: message.body,
      created_at: message.createdAt,
      number: message.number,
      in_reply_to: message.inReplyTo,
      ...(message.spilledBodyId ? { spilled_body: message.spilledBodyId } : {}),
    }),
    'utf8',
  );
  const outgoing = { data, attributes: attributesOf('message', message, message.attempt) };
  return { message: outgoing, sizeBytes: messageSizeBytes(outgoing) };
}

/**
 * Encodes an acknowledgement for publishing.
 * @param ack - The acknowledgement.
 * @returns The Pub/Sub message.
 */
export function encodeAck(ack: WireAck): OutgoingMessage {
  const data = Buffer.from(JSON.stringify({ v: 1, arrived_at: ack.arrivedAt }), 'utf8');
  return { data, attributes: attributesOf('ack', ack, 1) };
}

function attributesOf(
  kind: 'message' | 'ack',
  event: Pick<WireMessage, 'analysisId' | 'sender' | 'recipient' | 'category' | 'messageId'>,
  attempt: number,
): Record<string, string> {
  return {
    [EVENT_ATTRIBUTE]: kind,
    analysis_id: event.analysisId,
    sender: event.sender,
    recipient: event.recipient,
    sender_type: 'PARENT',
    category: event.category,
    message_id: event.messageId,
    attempt: String(attempt),
  };
}

/**
 * Checks and decodes a received federation event.
 * @param data - The message data, as received.
 * @param attributes - The attributes, as received.
 * @returns The message or the acknowledgement.
 * @throws InvalidFederationMessage when anything is malformed (attributes, ids, JSON, schema).
 */
export function decodeFederationEvent(
  data: Buffer,
  attributes: Readonly<Record<string, string>>,
): { kind: 'message'; message: WireMessage } | { kind: 'ack'; ack: WireAck } {
  const checked = validateWithSchema(ATTRIBUTES_SCHEMA, attributes);
  if (!checked.valid) {
    throw new InvalidFederationMessage('A federation event has malformed attributes.', { failures: checked.failures });
  }
  const { sender, recipient, category } = attributes as Record<string, string>;
  const messageId = attributes.message_id as string;
  if (!isValidSruid(sender as string) || !isValidSruid(recipient as string)) {
    throw new InvalidFederationMessage('A federation event names a sender or recipient that is not an SRUID.');
  }
  const kind = attributes[EVENT_ATTRIBUTE] as 'message' | 'ack';
  // An ack's id was made by its recipient (the original sender); a message's by its sender.
  if (!isMessageIdOf(messageId, (kind === 'message' ? sender : recipient) as string)) {
    throw new InvalidFederationMessage(`The message id '${messageId}' is malformed or not its sender's.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw new InvalidFederationMessage('A federation event is not JSON.', { cause: error });
  }
  const common = {
    analysisId: attributes.analysis_id as string,
    sender: sender as string,
    recipient: recipient as string,
    category: category as string,
    messageId,
  };
  const result = validateWithSchema(kind === 'message' ? MESSAGE_DATA_SCHEMA : ACK_DATA_SCHEMA, parsed);
  if (!result.valid) {
    throw new InvalidFederationMessage(`A federation ${kind} is malformed.`, { failures: result.failures });
  }
  if (kind === 'ack') {
    return { kind, ack: Object.assign(common, { arrivedAt: (parsed as { arrived_at: string }).arrived_at }) };
  }
  const fields = parsed as {
    body: Record<string, unknown>;
    created_at: string;
    number: number;
    in_reply_to: string;
    spilled_body?: string;
  };
  return {
    kind,
    message: Object.assign(common, {
      attempt: Number(attributes.attempt),
      body: fields.body,
      createdAt: fields.created_at,
      number: fields.number,
      inReplyTo: fields.in_reply_to,
      spilledBodyId: fields.spilled_body ?? null,
    }),
  };
}
