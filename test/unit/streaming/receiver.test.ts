import { randomUUID } from 'node:crypto';

import { ReturnCode, StreamContextKey } from '../../../src/streaming';
import type { ReturnCode as Rc } from '../../../src/streaming';
import { encodeNotice } from '../../../src/streaming/wire';
import { HOSTILE_KEYS_JSON, objectPrototypePolluted } from '../../helpers/prototype-keys';
import {
  ListProducer,
  OTHER_RECEIVER,
  RECEIVER,
  RecordingFactory,
  SENDER,
  StreamWorld,
  handReplies,
  rawChunk,
  texts,
  waitFor,
} from './helpers';

describe('Class: StreamEngine (receiving)', () => {
  let world: StreamWorld;
  let factory: RecordingFactory;
  let done: number;

  beforeEach(async () => {
    world = await new StreamWorld().start();
    factory = new RecordingFactory();
    done = 0;
    const { engine } = await world.engine(RECEIVER);
    engine.registerStreamProcessing('c', 't', factory, {
      streamDoneCb: () => {
        done += 1;
        factory.calls.push('streamDoneCb');
      },
    });
  });

  afterEach(async () => {
    await world.close();
  });

  async function repliesFor(txId: string, count: number): Promise<Array<[string | undefined, string | undefined]>> {
    await waitFor(() => handReplies(world, txId).length >= count, `${count} replies`);
    return handReplies(world, txId);
  }

  describe('Method: handleMessage', () => {
    it('answers a chunk of an unregistered channel and topic with EXECUTION_EXCEPTION', async () => {
      const txId = randomUUID();
      await world.publish(rawChunk({ txId, seq: 0, topic: 'unregistered' }));
      expect(await repliesFor(txId, 1)).toEqual([['0', ReturnCode.EXECUTION_EXCEPTION]]);
    });

    it('answers a chunk of an unknown stream with a sequence other than 0 with BAD_REQUEST_DATA', async () => {
      const txId = randomUUID();
      await world.publish(rawChunk({ txId, seq: 1 }));
      expect(await repliesFor(txId, 1)).toEqual([['1', ReturnCode.BAD_REQUEST_DATA]]);
      expect(factory.calls).toEqual([]);
    });

    it('refuses a gap with BAD_REQUEST_DATA and keeps the stream open for the next sequence', async () => {
      // Prepare
      const txId = randomUUID();

      // Act
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));
      await world.publish(rawChunk({ txId, seq: 2, data: 'c' }));
      await world.publish(rawChunk({ txId, seq: 1, data: 'EOF' }));

      // Assess
      expect(await repliesFor(txId, 3)).toEqual([
        ['0', ReturnCode.OK],
        ['2', ReturnCode.BAD_REQUEST_DATA],
        ['1', ReturnCode.OK],
      ]);
      expect(factory.finalized).toEqual([expect.objectContaining({ rc: ReturnCode.OK, chunks: ['a', 'EOF'] })]);
    });

    it('replays the stored reply to a duplicate without consuming it again', async () => {
      // Prepare
      const txId = randomUUID();

      // Act
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));
      await world.publish(rawChunk({ txId, seq: 1, data: 'EOF' }));
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));
      await world.publish(rawChunk({ txId, seq: 1, data: 'EOF' }));

      // Assess
      expect(await repliesFor(txId, 4)).toEqual([
        ['0', ReturnCode.OK],
        ['1', ReturnCode.OK],
        ['0', ReturnCode.OK],
        ['1', ReturnCode.OK],
      ]);
      expect(factory.calls).toEqual([
        'getConsumer',
        'consume:a',
        'consume:EOF',
        'finalize:OK',
        'streamDoneCb',
        'returnConsumer',
      ]);
      const endings = world.events('reply').filter((m) => m.attributes.seq === '1');
      expect(endings.map((m) => m.data.toString())).toEqual(['{"data":{"count":2}}', '{"data":{"count":2}}']);
    });

    it('replays the reply of any earlier sequence, since every commit is kept until the stream is removed', async () => {
      // Prepare
      const txId = randomUUID();
      for (let seq = 0; seq < 5; seq += 1) await world.publish(rawChunk({ txId, seq, data: `c${seq}` }));
      await repliesFor(txId, 5);

      // Act
      await world.publish(rawChunk({ txId, seq: 0, data: 'again' }));
      await world.publish(rawChunk({ txId, seq: 3, data: 'again' }));

      // Assess
      expect((await repliesFor(txId, 7)).slice(-2)).toEqual([
        ['0', ReturnCode.OK],
        ['3', ReturnCode.OK],
      ]);
      expect(factory.calls).not.toContain('consume:again');
    });

    it('consumes chunk 0 handled by two instances at once into one stream that ends once', async () => {
      // Prepare
      const txId = randomUUID();
      const other = new RecordingFactory();
      const { engine: second } = await world.engine(RECEIVER, {}, false);
      second.registerStreamProcessing('c', 't', other);
      const message = rawChunk({ txId, seq: 0, data: 'EOF' });
      const { engine: first } = await world.engine(RECEIVER, {}, false);
      first.registerStreamProcessing('c', 't', factory);

      // Act
      await Promise.all([first.handleMessage(message), second.handleMessage(message)]);

      // Assess
      expect([...factory.finalized, ...other.finalized]).toEqual([expect.objectContaining({ rc: ReturnCode.OK })]);
      expect(await repliesFor(txId, 2)).toEqual([
        ['0', ReturnCode.OK],
        ['0', ReturnCode.OK],
      ]);
    });

    it('answers a chunk whose headers fail the checks with BAD_REQUEST_DATA and ends its stream', async () => {
      // Prepare
      const txId = randomUUID();
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));
      const bad = rawChunk({ txId, seq: 1 });

      // Act
      await world.publish({ ...bad, attributes: { ...bad.attributes, channel: '../../etc' } });

      // Assess
      expect(await repliesFor(txId, 2)).toEqual([
        ['0', ReturnCode.OK],
        ['1', ReturnCode.BAD_REQUEST_DATA],
      ]);
      expect(factory.finalized).toEqual([expect.objectContaining({ rc: ReturnCode.BAD_REQUEST_DATA })]);
    });

    it('ignores an abort notice from anyone but the stream sender', async () => {
      // Prepare
      const txId = randomUUID();
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));

      // Act
      await world.publish(encodeNotice({ event: 'abort', txId, sender: OTHER_RECEIVER, recipient: RECEIVER }));
      await world.publish(rawChunk({ txId, seq: 1, data: 'EOF' }));

      // Assess
      expect(await repliesFor(txId, 2)).toEqual([
        ['0', ReturnCode.OK],
        ['1', ReturnCode.OK],
      ]);
      expect(factory.finalized).toEqual([expect.objectContaining({ rc: ReturnCode.OK })]);
    });

    it('ignores a chunk claiming an open stream from another sender', async () => {
      const txId = randomUUID();
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));
      await world.publish(rawChunk({ txId, seq: 1, data: 'EOF', sender: OTHER_RECEIVER }));
      expect(await repliesFor(txId, 2)).toEqual([
        ['0', ReturnCode.OK],
        ['1', ReturnCode.BAD_REQUEST_DATA],
      ]);
      expect(factory.calls).toEqual(['getConsumer', 'consume:a']);
    });

    it('keeps received context keys such as __proto__ as data', async () => {
      // Prepare
      const txId = randomUUID();
      const context = JSON.parse(HOSTILE_KEYS_JSON) as Record<string, unknown>;

      // Act
      await world.publish(rawChunk({ txId, seq: 0, data: 'EOF', context }));

      // Assess
      await waitFor(() => factory.finalized.length === 1, 'the stream to end');
      const ctx = factory.finalized[0]?.ctx as Record<string, unknown>;
      expect(Object.getPrototypeOf(ctx)).toBe(Object.prototype);
      expect(Object.keys(ctx)).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'prototype']));
      expect(ctx.isAdmin).toBeUndefined();
      expect(objectPrototypePolluted()).toBe(false);
    });
  });

  describe('Ending a stream', () => {
    it('answers a consume error with EXECUTION_EXCEPTION and finalizes with it', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      factory.onChunk = (text) => {
        if (text === 'boom') throw new Error('bad bytes');
        return undefined;
      };

      // Act
      const [rc, result] = await sender.streamObjects('c', 't', {}, [RECEIVER], new ListProducer(texts('a', 'boom')));

      // Assess
      expect(rc).toBe(ReturnCode.OK);
      expect(result).toEqual({ [RECEIVER]: { rc: ReturnCode.EXECUTION_EXCEPTION } });
      expect(factory.calls.slice(-3)).toEqual(['finalize:EXECUTION_EXCEPTION', 'streamDoneCb', 'returnConsumer']);
    });

    it('turns a finalize error into EXECUTION_EXCEPTION and still calls back and returns the consumer once', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      factory.failFinalize = true;

      // Act
      const [, result] = await sender.streamObjects('c', 't', {}, [RECEIVER], new ListProducer(texts('EOF')));

      // Assess
      expect(result).toEqual({ [RECEIVER]: { rc: ReturnCode.EXECUTION_EXCEPTION, data: { count: 1 } } });
      expect(factory.calls).toEqual(['getConsumer', 'consume:EOF', 'finalize:OK', 'streamDoneCb', 'returnConsumer']);
      expect(done).toBe(1);
    });

    it('isolates failing consumed and stream-done callbacks: the stream goes on and the consumer is returned', async () => {
      // Prepare
      const isolated = new RecordingFactory();
      const { engine: receiver } = await world.engine(OTHER_RECEIVER);
      receiver.registerStreamProcessing('c', 't', isolated, {
        consumedCb: () => {
          throw new Error('consumed callback failed');
        },
        streamDoneCb: () => {
          throw new Error('done callback failed');
        },
      });
      const { engine: sender } = await world.engine(SENDER);
      const producer = new ListProducer(texts('a', 'EOF'));

      // Act
      await sender.streamObjects('c', 't', {}, [OTHER_RECEIVER], producer);

      // Assess
      expect(isolated.calls).toEqual(['getConsumer', 'consume:a', 'consume:EOF', 'finalize:OK', 'returnConsumer']);
      expect(producer.seenReplies.at(-1)).toEqual({ [OTHER_RECEIVER]: { rc: ReturnCode.OK, data: { count: 2 } } });
    });

    it('ends a stream with EXECUTION_EXCEPTION when a later chunk lands where its consumer cannot be restored', async () => {
      // Prepare: chunk 0 on this service's listening instance, chunk 1 on an instance whose factory cannot restore.
      const txId = randomUUID();
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));
      await repliesFor(txId, 1);
      const { engine: other } = await world.engine(RECEIVER, {}, false);
      const finalized: unknown[] = [];
      other.registerStreamProcessing('c', 't', {
        getConsumer: () => ({ consume: () => ({ continue: true }), finalize: (ctx) => void finalized.push(ctx) }),
      });

      // Act
      await other.handleMessage(rawChunk({ txId, seq: 1, data: 'b' }));

      // Assess
      expect(await repliesFor(txId, 2)).toEqual([
        ['0', ReturnCode.OK],
        ['1', ReturnCode.EXECUTION_EXCEPTION],
      ]);
      expect(finalized).toEqual([]);
    });

    it('lets a consumer end its own stream with END_STREAM, once', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      factory.onChunk = async (text, ctx) => {
        if (text !== 'stop') return undefined;
        await (ctx[StreamContextKey.END_STREAM] as (rc: Rc) => Promise<void>)(ReturnCode.OK);
        return { continue: true };
      };

      // Act
      const producer = new ListProducer(texts('a', 'stop'));
      await sender.streamObjects('c', 't', {}, [RECEIVER], producer);

      // Assess: the chunk that ended the stream is answered with the code it ended with.
      expect(producer.seenReplies[1]).toEqual({ [RECEIVER]: { rc: ReturnCode.OK } });
      expect(factory.calls).toEqual([
        'getConsumer',
        'consume:a',
        'consume:stop',
        'finalize:OK',
        'streamDoneCb',
        'returnConsumer',
      ]);
    });
  });
});
