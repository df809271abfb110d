import { decodeContext, encodeContext } from '../../../src/federation/context';
import { InvalidFederationMessage } from '../../../src/federation';
import { waitFor } from '../service/helpers';
import { AGGREGATOR, NORTH, SOUTH } from './helpers';
import { ANALYSIS_ID, CONTEXT, Peers } from './peers';

let peers: Peers;

beforeEach(async () => {
  peers = await Peers.start();
});

afterEach(() => peers.close());

function attributes(overrides: Record<string, string> = {}): Record<string, string> {
  return Object.assign(
    {
      skein_federation_event: 'message',
      analysis_id: ANALYSIS_ID,
      sender: NORTH,
      recipient: AGGREGATOR,
      sender_type: 'PARENT',
      category: 'c',
      message_id: 'fed/-1-abcd',
      attempt: '1',
    },
    overrides,
  );
}

function data(body: string): Buffer {
  return Buffer.from(`{"v":1,"body":${body},"created_at":"2026-01-01T00:00:00.000Z","number":1,"in_reply_to":null}`);
}

function spilled(id: string): Buffer {
  return Buffer.from(
    `{"v":1,"body":{},"created_at":"2026-01-01T00:00:00.000Z","number":1,"in_reply_to":null,"spilled_body":"${id}"}`,
  );
}

describe('Function: federationRoute (hostile events)', () => {
  it.each([
    ['a malformed body', attributes(), Buffer.from('{"v":1,"body":[1]}')],
    ['a body with meta', attributes(), data('{"meta":{}}')],
    ['data that is not JSON', attributes(), Buffer.from('not json')],
    ['a message id that is not its sender`s', attributes({ message_id: 'evil-1-abcd' }), data('{}')],
    ['a message id that is a path', attributes({ message_id: 'fed/-1-../../x' }), data('{}')],
    [
      'a sender that is not a participant',
      attributes({ sender: 'fed/evil:1.0.0', message_id: 'fed/-1-abcd' }),
      data('{}'),
    ],
    ['another recipient', attributes({ recipient: SOUTH }), data('{}')],
    ['an analysis id that is a path', attributes({ analysis_id: '../other' }), data('{}')],
    ['a spilled body that does not exist', attributes(), spilled('00000000-0000-0000-0000-000000000000')],
    ['a spilled body named by a path', attributes(), spilled('../../global/x')],
  ])('drops %s without storing it or acknowledging it', async (_case, attrs, payload) => {
    // Prepare
    await peers.serve(AGGREGATOR);
    const aggregator = await peers.join(AGGREGATOR);

    // Act
    await peers.network.transport.publish({ data: payload, attributes: attrs });
    await peers.network.transport.publish({
      data: data('{"ok":true}'),
      attributes: attributes({ message_id: 'fed/-2-abcd' }),
    });
    await waitFor(() => peers.events({ skein_federation_event: 'ack' }).length === 1, 'the good message acked');

    // Assess: only the well-formed message was stored and acknowledged.
    const stored = await aggregator.getMessages('all');
    expect(stored.map((message) => message.body)).toEqual([{ ok: true }]);
  });

  it('keeps a received __proto__ key as data, never as the body`s prototype', async () => {
    // Prepare
    await peers.serve(AGGREGATOR);
    const aggregator = await peers.join(AGGREGATOR);

    // Act
    await peers.network.transport.publish({
      data: data('{"__proto__":{"polluted":true},"x":1}'),
      attributes: attributes(),
    });
    await waitFor(() => peers.events({ skein_federation_event: 'ack' }).length === 1, 'the ack');

    // Assess
    const [message] = await aggregator.getMessages('all');
    expect(Object.getPrototypeOf(message?.body)).toBe(Object.prototype);
    expect(Object.hasOwn(message?.body ?? {}, '__proto__')).toBe(true);
    expect((message?.body as { polluted?: unknown }).polluted).toBeUndefined();
  });
});

describe('Function: decodeContext', () => {
  it('reads back a context split over many attributes', () => {
    // Prepare: enough participants to need several 1000-byte pieces.
    const participants = [
      { nodeId: AGGREGATOR, nodeType: 'aggregator' as const },
      ...Array.from({ length: 60 }, (_, index) => ({
        nodeId: `fed/node-${index}:1.0.0`,
        nodeType: 'default' as const,
      })),
    ];

    // Act
    const encoded = encodeContext({ analysisId: 'a-1', projectId: 'weather', participants });

    // Assess
    expect(Number(encoded.skein_federation_parts)).toBeGreaterThan(1);
    expect(Object.values(encoded).every((value) => Buffer.byteLength(value) <= 1024)).toBe(true);
    expect(decodeContext(encoded)).toEqual({ analysisId: 'a-1', projectId: 'weather', participants });
  });

  it.each([
    ['a missing part', { skein_federation_parts: '2', skein_federation_0: '{}' }],
    ['too many parts', { skein_federation_parts: '99' }],
    ['no aggregator', encodeContext(Object.assign({}, CONTEXT, { participants: CONTEXT.participants.slice(1) }))],
    ['a participant that is not an SRUID', swap(encodeContext(CONTEXT), NORTH, '../../etc')],
    ['an extra key', swap(encodeContext(CONTEXT), '"v":1', '"v":1,"__proto__":{"x":1}')],
  ])('refuses %s with InvalidFederationMessage', (_case, encoded) => {
    expect(() => decodeContext(encoded)).toThrow(InvalidFederationMessage);
  });

  it('finds no context on a question without one', () => {
    expect(decodeContext({})).toBeUndefined();
  });
});

function swap(encoded: Record<string, string>, from: string, to: string): Record<string, string> {
  return Object.fromEntries(Object.entries(encoded).map(([key, value]) => [key, value.replace(from, to)]));
}
