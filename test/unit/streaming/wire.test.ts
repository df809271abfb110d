import { randomUUID } from 'node:crypto';

import { pushEnvelope } from '../../../src/cloud/memory/push-listener';
import { MAX_MESSAGE_BYTES } from '../../../src/core/ports/transport';
import type { OutgoingMessage } from '../../../src/core/ports/transport';
import { MAX_CHUNK_BYTES, MAX_CONTEXT_BYTES, ReturnCode, pushEnvelopeBytes } from '../../../src/streaming';
import { decodeStreamMessage, encodeChunk, encodeNotice, encodeReply } from '../../../src/streaming/wire';
import { HOSTILE_KEYS_JSON, expectHostileKeysKeptAsData } from '../../helpers/prototype-keys';
import { RECEIVER, SENDER } from './helpers';

const TX = randomUUID();

function chunk(seq: number, extra: { contextJson?: Buffer; data?: Buffer } = {}): OutgoingMessage {
  return encodeChunk({
    txId: TX,
    seq,
    channel: 'c',
    topic: 't',
    sender: SENDER,
    recipient: RECEIVER,
    replyTo: 'instance-1',
    data: extra.data ?? Buffer.from('bytes'),
    ...(extra.contextJson === undefined ? {} : { contextJson: extra.contextJson }),
  });
}

function withAttributes(message: OutgoingMessage, changes: Record<string, string | undefined>): OutgoingMessage {
  const attributes: Record<string, string> = { ...message.attributes };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete attributes[key];
    else attributes[key] = value;
  }
  return { ...message, attributes };
}

describe('Module: streaming wire format', () => {
  describe('Function: decodeStreamMessage', () => {
    it('decodes a chunk 0 with its context and bytes', () => {
      const decoded = decodeStreamMessage(chunk(0, { contextJson: Buffer.from('{"a":1}') }));
      expect(decoded).toMatchObject({ event: 'chunk', txId: TX, seq: 0, context: { a: 1 }, replyTo: 'instance-1' });
      expect((decoded as { data: Buffer }).data.toString()).toBe('bytes');
    });

    it('decodes a reply and a notice', () => {
      const reply = encodeReply({
        txId: TX,
        seq: 3,
        rc: ReturnCode.OK,
        sender: RECEIVER,
        recipient: SENDER,
        replyTo: 'i',
        data: { n: 1 },
        endResult: 'done',
      });
      expect(decodeStreamMessage(reply)).toMatchObject({ event: 'reply', seq: 3, data: { n: 1 }, endResult: 'done' });
      const abort = encodeNotice({
        event: 'abort',
        txId: TX,
        sender: SENDER,
        recipient: RECEIVER,
        rc: ReturnCode.ERROR,
      });
      expect(decodeStreamMessage(abort)).toEqual({
        event: 'abort',
        txId: TX,
        sender: SENDER,
        recipient: RECEIVER,
        rc: ReturnCode.ERROR,
      });
    });

    it.each([
      ['a malformed tx_id', { tx_id: 'not-a-uuid' }],
      ['a missing tx_id', { tx_id: undefined }],
      ['a sender that is not an SRUID', { sender: '../../x' }],
      ['a missing seq', { seq: undefined }],
    ])('refuses a chunk with %s without a reply route', (_case, changes) => {
      const decoded = decodeStreamMessage(withAttributes(chunk(1), changes));
      expect(decoded).toMatchObject({ event: 'rejected' });
      expect(decoded).not.toHaveProperty('replyRoute');
    });

    it.each([
      ['seq with a leading zero', chunk(1), { seq: '01' }],
      ['a negative seq', chunk(1), { seq: '-1' }],
      ['seq of 2^31', chunk(1), { seq: String(2 ** 31) }],
    ])('refuses %s', (_case, message, changes) => {
      expect(decodeStreamMessage(withAttributes(message, changes))).toMatchObject({ event: 'rejected' });
    });

    it.each([
      ['a channel with a path separator', chunk(1), { channel: 'a/b' }],
      ['an empty topic', chunk(1), { topic: '' }],
      ['a context on a later sequence', chunk(1), { ctx_len: '0' }],
      ['chunk 0 without ctx_len', chunk(0, { contextJson: Buffer.from('{}') }), { ctx_len: undefined }],
      ['a ctx_len past the data', chunk(0, { contextJson: Buffer.from('{}') }), { ctx_len: '999' }],
      [
        'a ctx_len over the limit',
        chunk(0, { contextJson: Buffer.from('{}') }),
        { ctx_len: String(MAX_CONTEXT_BYTES + 1) },
      ],
      ['a question_uuid with a slash', chunk(1), { question_uuid: 'a/b' }],
    ])('refuses %s but can still answer it', (_case, message, changes) => {
      expect(decodeStreamMessage(withAttributes(message, changes))).toMatchObject({
        event: 'rejected',
        replyRoute: { txId: TX, sender: SENDER, replyTo: 'instance-1' },
      });
    });

    it.each([
      ['an array', '[1]'],
      ['a number', '3'],
      ['broken JSON', '{"a":'],
    ])('refuses a context that is %s', (_case, json) => {
      const decoded = decodeStreamMessage(chunk(0, { contextJson: Buffer.from(json) }));
      expect(decoded).toMatchObject({ event: 'rejected', reason: 'the context is not a JSON object' });
    });

    it('refuses a chunk with an unknown format byte', () => {
      const message = chunk(1);
      const data = Buffer.from(message.data);
      data[0] = 2;
      expect(decodeStreamMessage({ ...message, data })).toMatchObject({ event: 'rejected' });
    });

    it('refuses a reply with an unknown rc', () => {
      const reply = encodeReply({
        txId: TX,
        seq: 0,
        rc: ReturnCode.OK,
        sender: RECEIVER,
        recipient: SENDER,
        replyTo: 'i',
      });
      expect(decodeStreamMessage(withAttributes(reply, { rc: 'toString' }))).toMatchObject({ event: 'rejected' });
    });

    it('keeps context keys such as __proto__ as data', () => {
      const decoded = decodeStreamMessage(chunk(0, { contextJson: Buffer.from(HOSTILE_KEYS_JSON) }));
      expectHostileKeysKeptAsData((decoded as { context: unknown }).context);
    });
  });

  describe('Limits', () => {
    it('keeps the push envelope of the largest chunk 0 under the Pub/Sub limit', () => {
      // Prepare: the largest chunk with the largest context, as Pub/Sub push would deliver it.
      const message = chunk(0, {
        contextJson: Buffer.from(JSON.stringify({ k: 'x'.repeat(MAX_CONTEXT_BYTES - 10) })),
        data: Buffer.alloc(MAX_CHUNK_BYTES, 0xff),
      });
      const delivery = { message: { ...message, id: '1', publishTime: new Date(), deliveryAttempt: 1 } };

      // Act
      const body = JSON.stringify(pushEnvelope(delivery as never, `projects/p/subscriptions/${'s'.repeat(255)}`));

      // Assess
      expect(Buffer.byteLength(body)).toBeLessThan(MAX_MESSAGE_BYTES);
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(pushEnvelopeBytes(message.data.length));
    });

    it('shows 8 MiB chunks would not fit a push envelope', () => {
      expect(pushEnvelopeBytes(8 * 1024 * 1024)).toBeGreaterThan(MAX_MESSAGE_BYTES);
      expect(pushEnvelopeBytes(1 + MAX_CONTEXT_BYTES + MAX_CHUNK_BYTES)).toBeLessThan(MAX_MESSAGE_BYTES);
    });
  });
});
