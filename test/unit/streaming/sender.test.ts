import {
  ChunkTooLarge,
  InvalidStreamObject,
  InvalidStreamingOption,
  MAX_CHUNK_BYTES,
  ReturnCode,
  StreamerShutDown,
  StreamingFeatureUnavailable,
} from '../../../src/streaming';
import type { StreamObjectsOptions, StreamReply } from '../../../src/streaming';
import { createLogger, memoryLogSink } from '../../../src/service';
import {
  ListProducer,
  OTHER_RECEIVER,
  RECEIVER,
  RecordingFactory,
  SENDER,
  StreamWorld,
  UnreachableTarget,
  deferred,
  texts,
  waitFor,
} from './helpers';

describe('Class: StreamEngine (sending)', () => {
  let world: StreamWorld;

  beforeEach(async () => {
    world = await new StreamWorld().start();
  });

  afterEach(async () => {
    await world.close();
  });

  async function receiving(identity = RECEIVER): Promise<RecordingFactory> {
    const factory = new RecordingFactory();
    (await world.engine(identity)).engine.registerStreamProcessing('c', 't', factory);
    return factory;
  }

  describe('Method: streamObjects', () => {
    it('counts a reply that did not come within the chunk timeout as TIMEOUT', async () => {
      // Prepare: nobody listens for the receiver.
      const { engine: sender, clock } = await world.engine(SENDER);
      const producer = new ListProducer(texts('a'), 5);

      // Act
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], producer);
      await waitFor(() => world.events('chunk').length === 1, 'the chunk to be sent');
      clock.tick(4_999);
      const early = producer.seenReplies.length;
      clock.tick(1);
      const [rc, result] = await streaming;

      // Assess
      expect(early).toBe(0);
      expect(rc).toBe(ReturnCode.OK);
      expect(result).toEqual({ [RECEIVER]: { rc: ReturnCode.TIMEOUT } });
    });

    it('waits no longer than the deadline and then ends the stream with TIMEOUT', async () => {
      // Prepare: nobody listens for the receiver; the chunk timeout is far beyond the deadline.
      const { engine: sender, clock } = await world.engine(SENDER);
      const producer = new ListProducer(texts('a', 'b'), 600, () => undefined);
      const deadline = new Date(clock.now().getTime() + 10_000);

      // Act
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], producer, { deadline });
      await waitFor(() => world.events('chunk').length === 1, 'the chunk to be sent');
      clock.tick(10_000);
      const result = await streaming;

      // Assess
      expect(result).toEqual([ReturnCode.TIMEOUT, undefined]);
      expect(producer.seenReplies).toEqual([{ [RECEIVER]: { rc: ReturnCode.TIMEOUT } }]);
      expect(producer.produced).toBe(1);
      await waitFor(() => world.events('abort').length === 1, 'the abort notice');
    });

    it('counts a target the chunk could not be sent to as COMMUNICATION_ERROR and still hears the others', async () => {
      // Prepare
      await receiving();
      const transport = new UnreachableTarget(world.transport, OTHER_RECEIVER);
      const { engine: sender } = await world.engine(SENDER, { transport });
      const producer = new ListProducer(texts('a'));

      // Act
      const [, result] = await sender.streamObjects('c', 't', {}, [RECEIVER, OTHER_RECEIVER], producer);

      // Assess
      expect(result).toEqual({
        [RECEIVER]: { rc: ReturnCode.OK },
        [OTHER_RECEIVER]: { rc: ReturnCode.COMMUNICATION_ERROR },
      });
    });

    it('resends a retried chunk 0 as sequence 0, so a receiver that was not ready yet opens the stream', async () => {
      // Prepare: the receiver listens but registers its factory only after refusing the first chunk 0.
      const { engine: receiver } = await world.engine(RECEIVER);
      const { engine: sender } = await world.engine(SENDER);
      const factory = new RecordingFactory();
      const producer = new ListProducer(texts('a', 'a', 'EOF'), 5, (replies) => {
        if (replies[RECEIVER]?.rc === ReturnCode.EXECUTION_EXCEPTION) {
          receiver.registerStreamProcessing('c', 't', factory);
          return undefined;
        }
        return replies[RECEIVER]?.rc === ReturnCode.OK ? undefined : replies;
      });

      // Act
      const result = await sender.streamObjects('c', 't', {}, [RECEIVER], producer);

      // Assess
      expect(result).toEqual([ReturnCode.OK, undefined]);
      expect(world.events('chunk').map((m) => m.attributes.seq)).toEqual(['0', '0', '1']);
      expect(producer.seenReplies[0]?.[RECEIVER]?.rc).toBe(ReturnCode.EXECUTION_EXCEPTION);
      expect(factory.finalized).toEqual([expect.objectContaining({ rc: ReturnCode.OK, chunks: ['a', 'EOF'] })]);
    });

    it('ends with TASK_ABORTED and tells the receivers when the signal aborts', async () => {
      // Prepare
      const factory = await receiving();
      const { engine: sender } = await world.engine(SENDER);
      const controller = new AbortController();
      const producer = new ListProducer([
        Buffer.from('a'),
        () => {
          controller.abort();
          return { data: Buffer.from('b'), timeoutSeconds: 5 };
        },
      ]);

      // Act
      const result = await sender.streamObjects('c', 't', {}, [RECEIVER], producer, { signal: controller.signal });

      // Assess
      expect(result).toEqual([ReturnCode.TASK_ABORTED, undefined]);
      await waitFor(() => factory.finalized.length === 1, 'the receiver to finalize');
      expect(factory.finalized[0]?.rc).toBe(ReturnCode.TASK_ABORTED);
    });

    it('sends an abort notice and rethrows when produce throws', async () => {
      // Prepare
      const factory = await receiving();
      const { engine: sender } = await world.engine(SENDER);
      const failure = new Error('disk gone');
      const producer = new ListProducer([
        Buffer.from('a'),
        () => {
          throw failure;
        },
      ]);

      // Act
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], producer);

      // Assess
      await expect(streaming).rejects.toBe(failure);
      await waitFor(() => factory.finalized.length === 1, 'the receiver to finalize');
      expect(factory.finalized[0]).toMatchObject({ rc: ReturnCode.TASK_ABORTED, chunks: ['a'] });
    });

    it('sends an abort notice and rethrows when processReplies throws', async () => {
      // Prepare
      const factory = await receiving();
      const { engine: sender } = await world.engine(SENDER);
      const failure = new Error('cannot judge');
      const producer = new ListProducer(texts('a', 'b'), 5, () => {
        throw failure;
      });

      // Act
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], producer);

      // Assess
      await expect(streaming).rejects.toBe(failure);
      await waitFor(() => factory.finalized.length === 1, 'the receiver to finalize');
      expect(factory.finalized[0]).toMatchObject({ rc: ReturnCode.TASK_ABORTED, chunks: ['a'] });
    });

    it.each([
      [false, 1],
      [true, 0],
    ])('warns about a missing reply unless the stream is optional (optional: %s)', async (optional, warnings) => {
      // Prepare: nobody listens for the receiver.
      const { sink, entries } = memoryLogSink();
      const logger = createLogger({ name: 'streaming', sinks: [{ sink }] });
      const { engine: sender, clock } = await world.engine(SENDER, { logger });

      // Act
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], new ListProducer(texts('a'), 1), { optional });
      await waitFor(() => world.events('chunk').length === 1, 'the chunk to be sent');
      clock.tick(1000);
      await streaming;

      // Assess
      expect(entries.filter((entry) => entry.level === 'warning' && entry.message.includes('No reply'))).toHaveLength(
        warnings,
      );
    });

    it.each([
      ['data that is not bytes', { data: 'text', timeoutSeconds: 5 }],
      ['a timeout of zero', { data: Buffer.from('a'), timeoutSeconds: 0 }],
      ['an infinite timeout', { data: Buffer.from('a'), timeoutSeconds: Infinity }],
    ])('refuses %s with InvalidStreamObject before sending it', async (_case, produced) => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      const producer = new ListProducer([() => produced as never]);

      // Act
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], producer);

      // Assess
      await expect(streaming).rejects.toBeInstanceOf(InvalidStreamObject);
      expect(world.events('chunk')).toHaveLength(0);
    });

    it.each([
      ['a chunk exactly at the limit', 8, true],
      ['a chunk one byte over the limit', 9, false],
    ])('sends %s and refuses one above it before sending', async (_case, size, sent) => {
      // Prepare
      const factory = await receiving();
      const { engine: sender } = await world.engine(SENDER, { maxChunkBytes: 8 });
      const producer = new ListProducer([Buffer.alloc(size, 0x61)]);

      // Act
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], producer);

      // Assess
      if (sent) {
        await expect(streaming).resolves.toEqual([ReturnCode.OK, undefined]);
        expect(factory.calls).toContain(`consume:${'a'.repeat(size)}`);
      } else {
        const error = (await streaming.catch((e: unknown) => e)) as ChunkTooLarge;
        expect(error).toBeInstanceOf(ChunkTooLarge);
        expect(error).toMatchObject({ part: 'data', sizeBytes: 9, limitBytes: 8 });
        expect(world.events('chunk')).toHaveLength(0);
      }
    });

    it('sends a chunk of MAX_CHUNK_BYTES through the transport and refuses one byte more', async () => {
      // Prepare: a consumer that keeps only the sizes it saw.
      const sizes: number[] = [];
      (await world.engine(RECEIVER)).engine.registerStreamProcessing('c', 't', {
        getConsumer: () => ({
          consume: (data) => {
            sizes.push(data.length);
            return { continue: true };
          },
          finalize: () => undefined,
        }),
      });
      const { engine: sender } = await world.engine(SENDER);

      // Act
      const atLimit = await sender.streamObjects(
        'c',
        't',
        {},
        [RECEIVER],
        new ListProducer([Buffer.alloc(MAX_CHUNK_BYTES)]),
      );
      const over = sender.streamObjects(
        'c',
        't',
        {},
        [RECEIVER],
        new ListProducer([Buffer.alloc(MAX_CHUNK_BYTES + 1)]),
      );

      // Assess
      expect(atLimit).toEqual([ReturnCode.OK, undefined]);
      expect(sizes).toEqual([MAX_CHUNK_BYTES]);
      await expect(over).rejects.toMatchObject({ sizeBytes: MAX_CHUNK_BYTES + 1, limitBytes: MAX_CHUNK_BYTES });
    });

    it('refuses a context over 64 KiB with ChunkTooLarge before sending anything', async () => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);

      // Act
      const streaming = sender.streamObjects('c', 't', { big: 'x'.repeat(70_000) }, [RECEIVER], new ListProducer([]));

      // Assess
      await expect(streaming).rejects.toMatchObject({ name: 'ChunkTooLarge', part: 'context', limitBytes: 65_536 });
      expect(world.published).toHaveLength(0);
    });

    it.each([
      ['channel', () => ['../etc', 't', [RECEIVER], {}]],
      ['topic', () => ['c', 'a/b', [RECEIVER], {}]],
      ['targets', () => ['c', 't', [], {}]],
      ['targets', () => ['c', 't', ['not a sruid'], {}]],
      ['targets', () => ['c', 't', [RECEIVER, RECEIVER], {}]],
      ['window', () => ['c', 't', [RECEIVER], { window: 0 }]],
      ['window', () => ['c', 't', [RECEIVER], { window: 65 }]],
    ] as const)('refuses a bad %s with InvalidStreamingOption', async (option, args) => {
      // Prepare
      const { engine: sender } = await world.engine(SENDER);
      const [channel, topic, targets, options] = args() as unknown as [string, string, string[], StreamObjectsOptions];

      // Act
      const streaming = sender.streamObjects(channel, topic, {}, targets, new ListProducer([]), options);

      // Assess
      await expect(streaming).rejects.toBeInstanceOf(InvalidStreamingOption);
      await expect(streaming).rejects.toMatchObject({ option });
    });

    it('refuses a context that is not JSON-serialisable with InvalidStreamingOption', async () => {
      const { engine: sender } = await world.engine(SENDER);
      await expect(
        sender.streamObjects('c', 't', { n: BigInt(1) }, [RECEIVER], new ListProducer([])),
      ).rejects.toMatchObject({ name: 'InvalidStreamingOption', option: 'ctx' });
    });

    it('refuses secure streams, which are not available yet', async () => {
      const { engine: sender } = await world.engine(SENDER);
      await expect(
        sender.streamObjects('c', 't', {}, [RECEIVER], new ListProducer([]), { secure: true }),
      ).rejects.toBeInstanceOf(StreamingFeatureUnavailable);
    });

    it.each([1, 3])('keeps at most window=%d chunks awaiting replies', async (window) => {
      // Prepare: record how many chunks await replies each time the producer is asked for another.
      await receiving();
      const { engine: sender } = await world.engine(SENDER);
      const awaiting: number[] = [];
      const producer = new ListProducer(texts('a', 'b', 'c', 'd', 'e', 'f', 'EOF'), 5, (replies) =>
        Object.values(replies).every((r: StreamReply) => r.rc === ReturnCode.OK) ? undefined : replies,
      );
      const produce = producer.produce.bind(producer);
      producer.produce = () => {
        awaiting.push(producer.produced - producer.seenReplies.length);
        return produce();
      };

      // Act
      const [rc] = await sender.streamObjects('c', 't', {}, [RECEIVER], producer, { window });

      // Assess: chunk 0 is always awaited alone; with the chunk about to be produced, at most `window` await replies.
      expect(rc).toBe(ReturnCode.OK);
      expect(awaiting[1]).toBe(0);
      expect(Math.max(...awaiting) + 1).toBe(window);
    });
  });

  describe('Method: streamNoWait', () => {
    it('runs at most maxConcurrentStreamingSessions streams at once and the rest in turn', async () => {
      // Prepare
      await receiving();
      const { engine: sender } = await world.engine(SENDER, { maxConcurrentStreamingSessions: 2 });
      const gate = deferred();
      let started = 0;
      const producer = (): ListProducer =>
        new ListProducer([
          async () => {
            started += 1;
            await gate.promise;
            return { data: Buffer.from('EOF'), timeoutSeconds: 5 };
          },
        ]);

      // Act
      const streams = [1, 2, 3, 4].map(() => sender.streamNoWait('c', 't', {}, [RECEIVER], producer()));
      await waitFor(() => started === 2, 'two streams to start');
      await new Promise((resolve) => setImmediate(resolve));
      const whileFull = started;
      gate.resolve();
      const results = await Promise.all(streams);

      // Assess
      expect(whileFull).toBe(2);
      expect(started).toBe(4);
      expect(results.map(([rc]) => rc)).toEqual([ReturnCode.OK, ReturnCode.OK, ReturnCode.OK, ReturnCode.OK]);
    });
  });

  describe('Method: shutdownStreamer', () => {
    it('ends running streams with TASK_ABORTED and refuses new ones', async () => {
      // Prepare
      const factory = await receiving();
      const { engine: sender } = await world.engine(SENDER);
      const gate = deferred();
      const producer = new ListProducer([
        Buffer.from('a'),
        async () => {
          await gate.promise;
          return { data: Buffer.from('b'), timeoutSeconds: 5 };
        },
      ]);
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], producer);
      await waitFor(() => producer.produced === 2, 'the second produce');

      // Act
      await sender.shutdownStreamer();
      gate.resolve();

      // Assess
      await expect(streaming).resolves.toEqual([ReturnCode.TASK_ABORTED, undefined]);
      await expect(sender.streamObjects('c', 't', {}, [RECEIVER], new ListProducer([]))).rejects.toBeInstanceOf(
        StreamerShutDown,
      );
      await waitFor(() => factory.finalized.length === 1, 'the receiver to finalize');
      expect(factory.finalized[0]?.rc).toBe(ReturnCode.TASK_ABORTED);
    });
  });
});
