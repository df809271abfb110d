import { ReturnCode, StreamContextKey } from '../../../src/streaming';
import type { StreamReply } from '../../../src/streaming';
import {
  ListProducer,
  RECEIVER,
  OTHER_RECEIVER,
  RecordingFactory,
  SENDER,
  StreamWorld,
  texts,
  waitFor,
} from './helpers';

describe('Class: StreamEngine', () => {
  let world: StreamWorld;

  beforeEach(async () => {
    world = await new StreamWorld().start();
  });

  afterEach(async () => {
    await world.close();
  });

  describe('Method: streamObjects', () => {
    it('delivers every chunk in order and finalizes, calls back and returns the consumer once each, in order', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      const { engine: receiver } = await world.engine(RECEIVER);
      const factory = new RecordingFactory();
      const done: unknown[] = [];
      receiver.registerStreamProcessing('results', 'files', factory, {
        streamDoneCb: (ctx, rt, cbArgs) => {
          factory.calls.push('streamDoneCb');
          done.push({ rc: ctx[StreamContextKey.RC], cbArgs, questionUuid: rt.questionUuid });
          return { total: 3 };
        },
        consumedCb: () => {
          factory.calls.push('consumedCb');
        },
        cbArgs: { tag: 'x' },
      });
      const producer = new ListProducer(texts('a', 'b', 'EOF'));

      // Act
      const [rc, result] = await sender.streamObjects('results', 'files', { name: 'f.csv' }, [RECEIVER], producer, {
        questionUuid: 'q-1',
      });

      // Assess
      expect(rc).toBe(ReturnCode.OK);
      expect(result).toEqual({ [RECEIVER]: { rc: ReturnCode.OK, data: { count: 3 }, endResult: { total: 3 } } });
      expect(factory.calls).toEqual([
        'getConsumer',
        'consume:a',
        'consumedCb',
        'consume:b',
        'consumedCb',
        'consume:EOF',
        'consumedCb',
        'finalize:OK',
        'streamDoneCb',
        'returnConsumer',
      ]);
      expect(factory.finalized[0]?.chunks).toEqual(['a', 'b', 'EOF']);
      expect(factory.finalized[0]?.ctx).toMatchObject({
        name: 'f.csv',
        [StreamContextKey.CHANNEL]: 'results',
        [StreamContextKey.TOPIC]: 'files',
      });
      expect(done).toEqual([{ rc: ReturnCode.OK, cbArgs: { tag: 'x' }, questionUuid: 'q-1' }]);
    });

    it('sends the context with sequence 0 only', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      const { engine: receiver } = await world.engine(RECEIVER);
      receiver.registerStreamProcessing('c', 't', new RecordingFactory());

      // Act
      await sender.streamObjects('c', 't', { k: 'v' }, [RECEIVER], new ListProducer(texts('a', 'b', 'EOF')));

      // Assess
      const chunks = world.events('chunk');
      expect(chunks.map((m) => [m.attributes.seq, m.attributes.ctx_len !== undefined])).toEqual([
        ['0', true],
        ['1', false],
        ['2', false],
      ]);
      expect(new Set(chunks.map((m) => m.attributes.tx_id)).size).toBe(1);
    });

    it('sends each chunk to every target and gives processReplies every reply, keyed by target', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      const first = new RecordingFactory();
      const second = new RecordingFactory();
      (await world.engine(RECEIVER)).engine.registerStreamProcessing('c', 't', first);
      (await world.engine(OTHER_RECEIVER)).engine.registerStreamProcessing('c', 't', second);
      const producer = new ListProducer(texts('a', 'EOF'));

      // Act
      const [rc] = await sender.streamObjects('c', 't', {}, [RECEIVER, OTHER_RECEIVER], producer);

      // Assess
      expect(rc).toBe(ReturnCode.OK);
      expect(Object.keys(producer.seenReplies[0] ?? {}).sort()).toEqual([OTHER_RECEIVER, RECEIVER].sort());
      expect(first.finalized[0]?.chunks).toEqual(['a', 'EOF']);
      expect(second.finalized[0]?.chunks).toEqual(['a', 'EOF']);
    });

    it('returns ERROR with the result when processReplies ends the stream with a falsy value', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      const { engine: receiver } = await world.engine(RECEIVER);
      const factory = new RecordingFactory();
      receiver.registerStreamProcessing('c', 't', factory);
      const producer = new ListProducer(texts('a', 'b'), 5, () => 0);

      // Act
      const result = await sender.streamObjects('c', 't', {}, [RECEIVER], producer);

      // Assess: the abort notice that follows closes the receiver's stream with TASK_ABORTED.
      expect(result).toEqual([ReturnCode.ERROR, 0]);
      await waitFor(() => factory.finalized.length === 1, 'the receiver to finalize');
      expect(factory.finalized[0]?.rc).toBe(ReturnCode.TASK_ABORTED);
      expect(producer.produced).toBe(1);
    });

    it('ends with OK and no result when produce returns null, and receivers finalize with TASK_ABORTED', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      const { engine: receiver } = await world.engine(RECEIVER);
      const factory = new RecordingFactory();
      receiver.registerStreamProcessing('c', 't', factory);

      // Act
      const result = await sender.streamObjects('c', 't', {}, [RECEIVER], new ListProducer(texts('a', 'b')));

      // Assess
      expect(result).toEqual([ReturnCode.OK, undefined]);
      await waitFor(() => factory.finalized.length === 1, 'the receiver to finalize');
      expect(factory.finalized[0]).toMatchObject({ rc: ReturnCode.TASK_ABORTED, chunks: ['a', 'b'] });
      expect(world.events('abort')).toHaveLength(1);
    });

    it('gives the end result to the producer on the reply that ended the stream', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      const { engine: receiver } = await world.engine(RECEIVER);
      receiver.registerStreamProcessing('c', 't', new RecordingFactory(), { streamDoneCb: () => 'stored' });
      const producer = new ListProducer(texts('EOF'));

      // Act
      await sender.streamObjects('c', 't', {}, [RECEIVER], producer);

      // Assess
      const replies = producer.seenReplies[0] as Record<string, StreamReply>;
      expect(replies[RECEIVER]).toEqual({ rc: ReturnCode.OK, data: { count: 1 }, endResult: 'stored' });
    });
  });
});
