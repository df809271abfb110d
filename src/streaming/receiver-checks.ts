import { setOwnProperty } from '../core/json';
import { StreamingError } from '../errors';
import { MAX_REPLY_BYTES } from './limits';
import type { StreamHead } from './state-store';
import { isReturnCode, RESERVED_CONTEXT_KEYS, StreamContextKey } from './types';
import type { ConsumeResult, StreamContext } from './types';
import type { ChunkMessage } from './wire';

const MAX_CONSUMER_STATE_BYTES = 256 * 1024;

/**
 * The head of a stream opened by its chunk 0.
 * @param chunk - Chunk 0, checked.
 * @returns The head.
 */
export function openHead(chunk: ChunkMessage): StreamHead {
  // Copied key by key (a received `__proto__` stays data), without the keys only the engine may set.
  const context: StreamContext = {};
  for (const [key, value] of Object.entries(chunk.context ?? {})) {
    if (!RESERVED_CONTEXT_KEYS.has(key)) setOwnProperty(context, key, value);
  }
  context[StreamContextKey.CHANNEL] = chunk.channel;
  context[StreamContextKey.TOPIC] = chunk.topic;
  const head: StreamHead = {
    format: 1,
    txId: chunk.txId,
    channel: chunk.channel,
    topic: chunk.topic,
    sender: chunk.sender,
    replyTo: chunk.replyTo,
    context,
  };
  return chunk.questionUuid === undefined ? head : Object.assign(head, { questionUuid: chunk.questionUuid });
}

/**
 * Checks what `consume` returned before the engine stores or sends any of it.
 * @throws StreamingError for a malformed result, an unknown rc, or reply data that is not small JSON.
 */
export function checkConsumeResult(result: ConsumeResult): void {
  if (typeof result !== 'object' || result === null || typeof result.continue !== 'boolean') {
    throw new StreamingError('consume must return { continue: boolean, reply? }.');
  }
  if (result.reply?.rc !== undefined && !isReturnCode(result.reply.rc)) {
    throw new StreamingError(`consume replied with an unknown return code '${String(result.reply.rc)}'.`);
  }
  boundedJson(result.reply?.data, MAX_REPLY_BYTES / 2, 'the reply data');
}

// Values the engine stores and sends must be small JSON; anything else is the consumer's error, found here rather than
// as a failed write that would redeliver the chunk for ever.
function boundedJson(value: unknown, limit: number, what: string): unknown {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  if (text === undefined || Buffer.byteLength(text) > limit) {
    throw new StreamingError(`${what} must be JSON of at most ${limit} bytes.`);
  }
  return JSON.parse(text) as unknown;
}

/**
 * Checks what a consumer's `saveState` returned.
 * @returns A JSON copy, or `undefined`.
 * @throws StreamingError when it is not JSON of at most 256 KiB.
 */
export function checkConsumerState(state: unknown): unknown {
  return boundedJson(state, MAX_CONSUMER_STATE_BYTES, 'saveState');
}
