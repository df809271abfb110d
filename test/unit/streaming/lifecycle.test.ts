import { randomUUID } from 'node:crypto';

import type { ReceivedMessage } from '../../../src/core/ports/transport';
import { ReturnCode, streamSubscriptions } from '../../../src/streaming';
import type { StreamEngine } from '../../../src/streaming';
import { encodeNotice } from '../../../src/streaming/wire';
import {
  ListProducer,
  ManualClock,
  RECEIVER,
  RecordingFactory,
  SENDER,
  StreamWorld,
  deferred,
  rawChunk,
  texts,
  waitFor,
} from './helpers';

describe('Stream lifecycle', () => {
  let world: StreamWorld;

  afterEach(async () => {
    await world.close();
  });

  describe('under duplicate delivery', () => {
    beforeEach(async () => {
      world = await new StreamWorld({ duplicateDeliveries: 1 }).start();
    });

    it('consumes each chunk once and finalizes and calls back once though every event is delivered twice', async () => {
      // Prepare
      const factory = new RecordingFactory();
      let done = 0;
      (await world.engine(RECEIVER)).engine.registerStreamProcessing('c', 't', factory, {
        streamDoneCb: () => (done += 1),
      });
      const { engine: sender } = await world.engine(SENDER);

      // Act
      const [rc] = await sender.streamObjects('c', 't', {}, [RECEIVER], new ListProducer(texts('a', 'b', 'EOF')));
      await waitFor(() => world.events('abort').length === 2, 'the abort notice and its duplicate');

      // Assess
      expect(rc).toBe(ReturnCode.OK);
      expect(factory.calls).toEqual([
        'getConsumer',
        'consume:a',
        'consume:b',
        'consume:EOF',
        'finalize:OK',
        'returnConsumer',
      ]);
      expect(done).toBe(1);
    });

    it('finalizes once across two instances sharing the stream subscription, restoring the consumer as needed', async () => {
      // Prepare: chunks alternate between the service's two instances, and each duplicate goes to the other one.
      const first = new RecordingFactory();
      const second = new RecordingFactory();
      const instances = [
        (await world.engine(RECEIVER, {}, false)).engine,
        (await world.engine(RECEIVER, {}, false)).engine,
      ];
      instances[0]?.registerStreamProcessing('c', 't', first);
      instances[1]?.registerStreamProcessing('c', 't', second);
      const spec = streamSubscriptions(RECEIVER, 'shared').streams;
      await world.transport.createSubscription(spec);
      const seen = new Set<string>();
      await world.transport.subscribe(spec.name, async (message: ReceivedMessage) => {
        const key = `${message.attributes.stream_event}:${message.attributes.seq}`;
        const duplicate = seen.has(key);
        seen.add(key);
        await instances[(Number(message.attributes.seq ?? 0) + (duplicate ? 1 : 0)) % 2]?.handleMessage(message);
      });
      const { engine: sender } = await world.engine(SENDER);

      // Act
      const [rc] = await sender.streamObjects(
        'c',
        't',
        {},
        [RECEIVER],
        new ListProducer(texts('a', 'b', 'c', 'd', 'EOF')),
      );

      // Assess
      expect(rc).toBe(ReturnCode.OK);
      const finalized = [...first.finalized, ...second.finalized];
      expect(finalized).toEqual([expect.objectContaining({ rc: ReturnCode.OK, chunks: ['a', 'b', 'c', 'd', 'EOF'] })]);
      expect([...first.calls, ...second.calls]).toContain('restoreConsumer');
    });
  });

  describe('idle streams', () => {
    beforeEach(async () => {
      world = await new StreamWorld().start();
    });

    it('times out each stream on its own idle timer and finalizes it with TIMEOUT', async () => {
      // Prepare: two dead senders, the second starting 20 s after the first.
      const factory = new RecordingFactory();
      const { engine, clock } = await world.engine(RECEIVER, { idleTimeoutSeconds: 30, livenessIntervalSeconds: 10 });
      engine.registerStreamProcessing('c', 't', factory);
      const [early, late] = [randomUUID(), randomUUID()];
      await world.publish(rawChunk({ txId: early, seq: 0, data: 'early', context: { name: 'early' } }));
      await waitFor(() => world.events('reply').length === 1, 'the first reply');
      clock.tick(20_000);
      await world.publish(rawChunk({ txId: late, seq: 0, data: 'late', context: { name: 'late' } }));
      await waitFor(() => world.events('reply').length === 2, 'the second reply');

      // Act
      clock.tick(10_000);
      await waitFor(() => factory.finalized.length === 1, 'the first stream to time out');
      const afterFirst = factory.finalized.map((f) => [f.ctx.name, f.rc]);
      clock.tick(20_000);
      await waitFor(() => factory.finalized.length === 2, 'the second stream to time out');

      // Assess
      expect(afterFirst).toEqual([['early', ReturnCode.TIMEOUT]]);
      expect(factory.finalized.map((f) => [f.ctx.name, f.rc])).toEqual([
        ['early', ReturnCode.TIMEOUT],
        ['late', ReturnCode.TIMEOUT],
      ]);
    });

    it("ends a dead sender's stream from another process with sweepIdleStreams, exactly once", async () => {
      // Prepare: the process that received chunk 0 never times it out (its clock stands still).
      const txId = randomUUID();
      (await world.engine(RECEIVER)).engine.registerStreamProcessing('c', 't', new RecordingFactory());
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));
      await waitFor(() => world.events('reply').length === 1, 'the reply');
      const clock = new ManualClock();
      clock.tick(300_000);
      const sweeperFactory = new RecordingFactory();
      const { engine: sweeper } = await world.engine(RECEIVER, { clock }, false);
      sweeper.registerStreamProcessing('c', 't', sweeperFactory);

      // Act
      const first = await sweeper.sweepIdleStreams();
      const second = await sweeper.sweepIdleStreams();

      // Assess
      expect(first).toEqual({ timedOut: [txId], removed: [] });
      expect(second).toEqual({ timedOut: [], removed: [] });
      expect(sweeperFactory.calls).toEqual(['restoreConsumer', 'finalize:TIMEOUT', 'returnConsumer']);
      expect(sweeperFactory.finalized[0]?.chunks).toEqual(['a']);
    });

    it("keeps a slow sender's stream open with heartbeats", async () => {
      // Prepare: one clock for both ends; the producer takes longer than the idle timeout for its second chunk.
      const clock = new ManualClock();
      const timing = { clock, idleTimeoutSeconds: 30, livenessIntervalSeconds: 10 };
      const factory = new RecordingFactory();
      const { engine: receiver } = await world.engine(RECEIVER, timing);
      receiver.registerStreamProcessing('c', 't', factory);
      const { engine: sender } = await world.engine(SENDER, timing);
      const gate = deferred();
      const producer = new ListProducer([
        Buffer.from('a'),
        async () => {
          await gate.promise;
          return { data: Buffer.from('EOF'), timeoutSeconds: 5 };
        },
      ]);
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], producer);
      await waitFor(() => producer.produced === 2, 'the slow produce');

      // Act: 40 s pass in 10 s steps, each followed by a heartbeat.
      for (let beat = 1; beat <= 4; beat += 1) {
        clock.tick(10_000);
        await waitFor(() => world.events('heartbeat').length === beat, `heartbeat ${beat}`);
        await receiver.sweepIdleStreams();
      }
      const swept = await receiver.sweepIdleStreams();
      gate.resolve();

      // Assess
      expect(swept.timedOut).toEqual([]);
      await expect(streaming).resolves.toEqual([ReturnCode.OK, undefined]);
      expect(factory.finalized).toEqual([expect.objectContaining({ rc: ReturnCode.OK, chunks: ['a', 'EOF'] })]);
    });
  });

  describe('ended streams', () => {
    beforeEach(async () => {
      world = await new StreamWorld().start();
    });

    it('keeps an ended stream to answer duplicates until endedRetentionSeconds passed, then the sweeper removes it', async () => {
      // Prepare
      const txId = randomUUID();
      const { engine, clock } = await world.engine(RECEIVER, { endedRetentionSeconds: 60 });
      engine.registerStreamProcessing('c', 't', new RecordingFactory());
      await world.publish(rawChunk({ txId, seq: 0, data: 'EOF' }));
      await waitFor(() => world.events('reply').length === 1, 'the reply');

      // Act
      clock.tick(59_999);
      const kept = await engine.sweepIdleStreams();
      clock.tick(1);
      const swept = await engine.sweepIdleStreams();
      await world.publish(rawChunk({ txId, seq: 0, data: 'EOF' }));
      await waitFor(() => world.events('reply').length === 2, 'the reply to the late duplicate');

      // Assess: once forgotten, the duplicate opens a stream again (its sender gave up on it long ago).
      expect(kept).toEqual({ timedOut: [], removed: [] });
      expect(swept).toEqual({ timedOut: [], removed: [txId] });
    });
  });

  describe('a receiver restarted mid-stream', () => {
    beforeEach(async () => {
      world = await new StreamWorld().start();
    });

    it('resumes in a new process through restoreConsumer and finalizes there', async () => {
      // Prepare: the receiving service's messages go to whichever process is current.
      const spec = streamSubscriptions(RECEIVER, 'shared').streams;
      await world.transport.createSubscription(spec);
      const before = new RecordingFactory();
      const after = new RecordingFactory();
      const { engine: first } = await world.engine(RECEIVER, {}, false);
      first.registerStreamProcessing('c', 't', before);
      let current: StreamEngine = first;
      await world.transport.subscribe(spec.name, async (message: ReceivedMessage) => {
        await current.handleMessage(message);
      });
      const { engine: sender } = await world.engine(SENDER);
      const gate = deferred();
      const producer = new ListProducer([
        Buffer.from('a'),
        Buffer.from('b'),
        async () => {
          await gate.promise;
          return { data: Buffer.from('c'), timeoutSeconds: 5 };
        },
        Buffer.from('EOF'),
      ]);
      const streaming = sender.streamObjects('c', 't', {}, [RECEIVER], producer);
      await waitFor(() => producer.produced === 3, 'chunks a and b to be consumed');

      // Act: the first process is gone (without ending anything); a new one takes over.
      const { engine: second } = await world.engine(RECEIVER, {}, false);
      second.registerStreamProcessing('c', 't', after);
      current = second;
      gate.resolve();

      // Assess
      await expect(streaming).resolves.toEqual([ReturnCode.OK, undefined]);
      expect(before.calls).toEqual(['getConsumer', 'consume:a', 'consume:b']);
      expect(after.calls).toEqual(['restoreConsumer', 'consume:c', 'consume:EOF', 'finalize:OK', 'returnConsumer']);
      expect(after.finalized[0]?.chunks).toEqual(['a', 'b', 'c', 'EOF']);
    });

    it('ends the streams a process holds with TASK_ABORTED when its streamer shuts down', async () => {
      // Prepare
      const txId = randomUUID();
      const factory = new RecordingFactory();
      const { engine } = await world.engine(RECEIVER);
      engine.registerStreamProcessing('c', 't', factory);
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));
      await waitFor(() => world.events('reply').length === 1, 'the reply');

      // Act
      await engine.shutdownStreamer();

      // Assess
      expect(factory.calls).toEqual(['getConsumer', 'consume:a', 'finalize:TASK_ABORTED', 'returnConsumer']);
    });

    it('finalizes a stream aborted by its sender once, though the notice comes twice', async () => {
      // Prepare
      const txId = randomUUID();
      const factory = new RecordingFactory();
      (await world.engine(RECEIVER)).engine.registerStreamProcessing('c', 't', factory);
      await world.publish(rawChunk({ txId, seq: 0, data: 'a' }));
      const abort = encodeNotice({ event: 'abort', txId, sender: SENDER, recipient: RECEIVER });

      // Act
      await world.publish(abort);
      await world.publish(abort);
      await waitFor(() => factory.finalized.length === 1, 'the stream to end');
      await world.publish(rawChunk({ txId, seq: 1, data: 'late' }));
      await waitFor(() => world.events('reply').length === 2, 'the late reply');

      // Assess
      expect(factory.calls).toEqual(['getConsumer', 'consume:a', 'finalize:TASK_ABORTED', 'returnConsumer']);
      expect(world.events('reply')[1]?.attributes.rc).toBe(ReturnCode.TASK_ABORTED);
    });
  });
});
