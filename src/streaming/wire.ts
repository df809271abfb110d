import type { OutgoingMessage } from '../core/ports/transport';
import { isValidSruid } from '../core/service-id/sruid';
import { CHUNK_FRAMING_BYTES, MAX_CHUNK_BYTES, MAX_CONTEXT_BYTES, MAX_REPLY_BYTES } from './limits';
import { parseJsonObject } from './json-body';
import type { ReturnCode, StreamContext } from './types';
import { isReturnCode } from './types';

/**
 * The wire format of stream events (Pub/Sub messages on the services topic). Every attribute is checked on receipt:
 * a stream message is hostile until proven otherwise.
 *
 * | event       | sender_type    | attributes                                                       | data                      |
 * |-------------|----------------|------------------------------------------------------------------|---------------------------|
 * | `chunk`     | `STREAM`       | tx_id, seq, channel, topic, sender, recipient, reply_to, [question_uuid], seq 0: ctx_len | 0x01, ctx JSON (seq 0), bytes |
 * | `abort`     | `STREAM`       | tx_id, sender, recipient, rc                                     | `{}`                      |
 * | `heartbeat` | `STREAM`       | tx_id, sender, recipient                                         | `{}`                      |
 * | `reply`     | `STREAM_REPLY` | tx_id, seq, rc, sender, recipient, reply_to                      | `{"data"?, "endResult"?}` |
 *
 * `sender_type` keeps stream events out of Octue's question (`PARENT`) and answer (`CHILD`) subscriptions; replies
 * carry the sending instance's `reply_to` so only the instance waiting for them receives them. Every event's ordering
 * key is its `tx_id`, so one stream's events arrive in order.
 * @module
 */

/** `sender_type` of events addressed to a stream's receivers. */
export const STREAM_SENDER_TYPE = 'STREAM';
/** `sender_type` of replies addressed to a stream's sender. */
export const STREAM_REPLY_SENDER_TYPE = 'STREAM_REPLY';
/** The first byte of a chunk's data: the body format, so it can evolve (and so data is never empty). */
export const CHUNK_FORMAT = 1;

/** A chunk of a stream. */
export interface ChunkMessage {
  readonly event: 'chunk';
  readonly txId: string;
  readonly seq: number;
  readonly channel: string;
  readonly topic: string;
  readonly sender: string;
  readonly recipient: string;
  /** The sending instance, to address replies to. */
  readonly replyTo: string;
  readonly questionUuid?: string;
  /** The producer's context; on sequence 0 only. */
  readonly context?: StreamContext;
  readonly data: Buffer;
}

/** A reply to one chunk. */
export interface ReplyMessage {
  readonly event: 'reply';
  readonly txId: string;
  readonly seq: number;
  readonly rc: ReturnCode;
  /** The replying receiver. */
  readonly sender: string;
  /** The stream's sender. */
  readonly recipient: string;
  readonly replyTo: string;
  readonly data?: unknown;
  readonly endResult?: unknown;
}

/** A fire-and-forget notice: the sender aborted the stream, or it is alive while producing slowly. */
export interface NoticeMessage {
  readonly event: 'abort' | 'heartbeat';
  readonly txId: string;
  readonly sender: string;
  readonly recipient: string;
  /** Abort notices: the code the sender ended with. */
  readonly rc?: ReturnCode;
}

/** Any stream event. */
export type StreamMessage = ChunkMessage | ReplyMessage | NoticeMessage;

/** A refused stream event, with whatever was valid enough to answer it. */
export interface RejectedMessage {
  readonly event: 'rejected';
  readonly reason: string;
  /** Set only when the event was a chunk whose reply routing (tx_id, seq, sender, reply_to) was valid. */
  readonly replyRoute?: { txId: string; seq: number; sender: string; replyTo: string; recipient: string };
}

const TX_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SEQ = /^(0|[1-9][0-9]{0,9})$/;
const TOKEN = /^[A-Za-z0-9_-]{1,128}$/;
// Channel and topic are names the receiver looks up, never paths or URLs: printable, bounded, no separators.
const NAME = /^[A-Za-z0-9_.:@+-]{1,256}$/;
const MAX_SEQ = 2 ** 31 - 1;
const EMPTY_BODY = Buffer.from('{}');

/**
 * Whether a name is acceptable as a stream channel or topic.
 * @param name - The channel or topic.
 * @returns `true` for 1–256 characters of letters, digits and `_ . : @ + -`.
 */
export function isStreamName(name: unknown): name is string {
  return typeof name === 'string' && NAME.test(name);
}

/**
 * Encodes a chunk. Sizes are checked by the sender before it calls this.
 * @param chunk - The chunk (with `contextJson` on sequence 0).
 * @returns The message to publish.
 */
export function encodeChunk(
  chunk: Omit<ChunkMessage, 'event' | 'context'> & { contextJson?: Buffer },
): OutgoingMessage {
  const attributes: Record<string, string> = {
    sender_type: STREAM_SENDER_TYPE,
    stream_event: 'chunk',
    tx_id: chunk.txId,
    seq: String(chunk.seq),
    channel: chunk.channel,
    topic: chunk.topic,
    sender: chunk.sender,
    recipient: chunk.recipient,
    reply_to: chunk.replyTo,
  };
  if (chunk.questionUuid !== undefined) attributes.question_uuid = chunk.questionUuid;
  const parts: Buffer[] = [Buffer.from([CHUNK_FORMAT])];
  if (chunk.contextJson !== undefined) {
    attributes.ctx_len = String(chunk.contextJson.length);
    parts.push(chunk.contextJson);
  }
  parts.push(chunk.data);
  return { data: Buffer.concat(parts), attributes, orderingKey: chunk.txId };
}

/**
 * Encodes a reply.
 * @param reply - The reply.
 * @returns The message to publish.
 * @throws TypeError when the data or end result is not JSON-serialisable.
 */
export function encodeReply(reply: Omit<ReplyMessage, 'event'>): OutgoingMessage {
  const body: Record<string, unknown> = {};
  if (reply.data !== undefined) body.data = reply.data;
  if (reply.endResult !== undefined) body.endResult = reply.endResult;
  return {
    data: Buffer.from(JSON.stringify(body)),
    attributes: {
      sender_type: STREAM_REPLY_SENDER_TYPE,
      stream_event: 'reply',
      tx_id: reply.txId,
      seq: String(reply.seq),
      rc: reply.rc,
      sender: reply.sender,
      recipient: reply.recipient,
      reply_to: reply.replyTo,
    },
    orderingKey: reply.txId,
  };
}

/**
 * Encodes an abort or heartbeat notice.
 * @param notice - The notice.
 * @returns The message to publish.
 */
export function encodeNotice(notice: Omit<NoticeMessage, 'event'> & { event: 'abort' | 'heartbeat' }): OutgoingMessage {
  const attributes: Record<string, string> = {
    sender_type: STREAM_SENDER_TYPE,
    stream_event: notice.event,
    tx_id: notice.txId,
    sender: notice.sender,
    recipient: notice.recipient,
  };
  if (notice.rc !== undefined) attributes.rc = notice.rc;
  return { data: EMPTY_BODY, attributes, orderingKey: notice.txId };
}

// Length-bounded before parsing: attributes are hostile, and no SRUID is that long.
function isSruid(value: string | undefined): value is string {
  return value !== undefined && value.length <= 256 && isValidSruid(value);
}

function parseSeq(value: string | undefined): number | undefined {
  if (value === undefined || !SEQ.test(value)) return undefined;
  const seq = Number(value);
  return seq <= MAX_SEQ ? seq : undefined;
}

/**
 * Decodes and checks a received stream event. Nothing in it is trusted until this returns it: identifiers must have
 * their exact shapes, sizes are bounded, and JSON keys are copied as own data.
 * @param message - The received data and attributes.
 * @returns The event, or a rejection saying why (with a reply route when the sender can still be answered).
 */
export function decodeStreamMessage(message: {
  readonly data: Buffer;
  readonly attributes: Readonly<Record<string, string>>;
}): StreamMessage | RejectedMessage {
  const a = message.attributes;
  const event = a.stream_event;
  const txId = a.tx_id;
  if (txId === undefined || !TX_ID.test(txId)) return rejected(`tx_id is missing or malformed`);
  const sender = a.sender;
  const recipient = a.recipient;
  if (!isSruid(sender) || !isSruid(recipient)) return rejected('sender or recipient is missing or not an SRUID');
  if (event === 'abort' || event === 'heartbeat') {
    const rc = a.rc;
    if (rc !== undefined && !isReturnCode(rc)) return rejected(`rc '${rc}' is unknown`);
    return { event, txId, sender, recipient, ...(rc === undefined ? {} : { rc }) };
  }
  const seq = parseSeq(a.seq);
  const replyTo = a.reply_to;
  if (seq === undefined) return rejected('seq is missing or not a whole number below 2^31');
  if (replyTo === undefined || !TOKEN.test(replyTo)) return rejected('reply_to is missing or malformed');
  if (event === 'reply') return decodeReply(message.data, { txId, seq, sender, recipient, replyTo, rc: a.rc });
  if (event !== 'chunk') return rejected(`stream_event '${String(event)}' is unknown`);
  const replyRoute = { txId, seq, sender, replyTo, recipient };
  return decodeChunk(message.data, a, replyRoute);
}

function decodeChunk(
  data: Buffer,
  a: Readonly<Record<string, string>>,
  route: { txId: string; seq: number; sender: string; replyTo: string; recipient: string },
): ChunkMessage | RejectedMessage {
  const refuse = (reason: string): RejectedMessage => ({ event: 'rejected', reason, replyRoute: route });
  const { channel, topic } = a;
  if (!isStreamName(channel) || !isStreamName(topic)) return refuse('channel or topic is missing or malformed');
  const questionUuid = a.question_uuid;
  if (questionUuid !== undefined && !TOKEN.test(questionUuid)) return refuse('question_uuid is malformed');
  if (data.length < CHUNK_FRAMING_BYTES || data[0] !== CHUNK_FORMAT) return refuse('the chunk format is unknown');
  let offset = CHUNK_FRAMING_BYTES;
  let context: StreamContext | undefined;
  if (route.seq === 0) {
    const length = parseSeq(a.ctx_len);
    if (length === undefined || length > MAX_CONTEXT_BYTES || offset + length > data.length) {
      return refuse('sequence 0 has no valid ctx_len');
    }
    context = parseJsonObject(data.subarray(offset, offset + length));
    if (context === undefined) return refuse('the context is not a JSON object');
    offset += length;
  } else if (a.ctx_len !== undefined) {
    return refuse('only sequence 0 carries a context');
  }
  const bytes = data.subarray(offset);
  if (bytes.length > MAX_CHUNK_BYTES) return refuse(`the chunk is over ${MAX_CHUNK_BYTES} bytes`);
  return Object.assign(
    { event: 'chunk' as const, channel, topic, data: bytes, context },
    route,
    questionUuid === undefined ? {} : { questionUuid },
  );
}

function decodeReply(
  data: Buffer,
  head: { txId: string; seq: number; sender: string; recipient: string; replyTo: string; rc: string | undefined },
): ReplyMessage | RejectedMessage {
  const { rc } = head;
  if (!isReturnCode(rc)) return rejected(`rc '${String(rc)}' is unknown`);
  if (data.length > MAX_REPLY_BYTES) return rejected(`the reply is over ${MAX_REPLY_BYTES} bytes`);
  const body = parseJsonObject(data);
  if (body === undefined) return rejected('the reply is not a JSON object');
  const reply: ReplyMessage = {
    event: 'reply',
    txId: head.txId,
    seq: head.seq,
    rc,
    sender: head.sender,
    recipient: head.recipient,
    replyTo: head.replyTo,
  };
  // Read with hasOwn: a sender's `__proto__` key is data, never a way to reach Object.prototype.
  return Object.assign(
    reply,
    Object.hasOwn(body, 'data') ? { data: body.data } : {},
    Object.hasOwn(body, 'endResult') ? { endResult: body.endResult } : {},
  );
}

function rejected(reason: string): RejectedMessage {
  return { event: 'rejected', reason };
}
