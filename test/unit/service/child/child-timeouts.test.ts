import { QuestionTimeout } from '../../../../src/errors';
import type { Child } from '../../../../src/service/child';
import { CHILD, ManualClock, MemoryNetwork, deferred, waitFor } from './helpers';
import type { ScriptedResponder } from './helpers';

describe('Class: Child', () => {
  let network: MemoryNetwork;
  let clock: ManualClock;

  beforeEach(async () => {
    network = await MemoryNetwork.start();
    clock = new ManualClock();
  });

  afterEach(async () => {
    await network.close();
  });

  /** Starts an ask and waits until its timers run (the answer subscription is being listened to). */
  async function startAsk(
    child: Child,
    options: Parameters<Child['ask']>[0] = {},
    timers = 2,
  ): Promise<{ asking: Promise<unknown> }> {
    const asking = child.ask(options).catch((error: unknown) => error);
    await waitFor(() => clock.activeTimers >= timers, 'the ask to start its timers');
    // Wrapped: an async function returning the promise itself would wait for it.
    return { asking };
  }

  describe('Method: ask', () => {
    it('throws QuestionTimeout when no heartbeat arrives within the maximum interval', async () => {
      const questions = await network.script(async (_question, responder) => {
        await responder.send({ kind: 'delivery_acknowledgement' });
      });
      const child = network.child({ clock, answerSubscriptionLingerMs: 0 });
      const { asking } = await startAsk(child, { questionUuid: '1d5ee3a8-7f5e-4d8a-9d43-3c0f6f0e9b11' });
      await waitFor(() => child.receivedEvents?.length === 1, 'the delivery acknowledgement');

      clock.tick(360_000);
      const error = await asking;

      expect(questions).toHaveLength(1);
      expect(error).toBeInstanceOf(QuestionTimeout);
      expect((error as QuestionTimeout).message).toBe(
        `No heartbeat has been received from '${CHILD}' for question 1d5ee3a8-7f5e-4d8a-9d43-3c0f6f0e9b11 within ` +
          'the maximum allowed interval of 360s.',
      );
      expect((error as QuestionTimeout).timeoutSeconds).toBe(360);
      expect(clock.activeTimers).toBe(0);
      expect(network.answerSubscriptions()).toEqual([]);
    });

    it('keeps waiting past the maximum interval while heartbeats arrive, then returns the answer', async () => {
      const release = deferred();
      await network.serve(
        async () => {
          await release.promise;
          return { outputValues: 'late' };
        },
        { clock },
      );
      const child = network.child({ clock });
      const { asking } = await startAsk(child, {}, 3);

      for (let beat = 1; beat <= 6; beat++) {
        clock.tick(120_000);
        await waitFor(
          () => (child.receivedEvents ?? []).filter((item) => item.event.kind === 'heartbeat').length === beat,
          `heartbeat ${beat}`,
        );
      }
      release.resolve();

      await expect(asking).resolves.toMatchObject({ answer: { outputValues: 'late' } });
    });

    it('is not kept alive by delivery acknowledgements', async () => {
      const responders: ScriptedResponder[] = [];
      await network.script(async (_question, responder) => {
        responders.push(responder);
        await responder.send({ kind: 'delivery_acknowledgement' });
      });
      const child = network.child({ clock });
      const { asking } = await startAsk(child, { maximumHeartbeatInterval: 10 });
      await waitFor(() => child.receivedEvents?.length === 1, 'the first delivery acknowledgement');

      clock.tick(5_000);
      await responders[0]?.send({ kind: 'delivery_acknowledgement' });
      await waitFor(() => child.receivedEvents?.length === 2, 'the second delivery acknowledgement');
      clock.tick(5_000);

      await expect(asking).resolves.toBeInstanceOf(QuestionTimeout);
    });

    it('throws QuestionTimeout when no result arrives within the timeout', async () => {
      await network.script(async (_question, responder) => {
        await responder.send({ kind: 'delivery_acknowledgement' });
      });
      const child = network.child({ clock, answerSubscriptionLingerMs: 0 });
      const { asking } = await startAsk(child, { timeout: 30, maximumHeartbeatInterval: 3_600 });

      clock.tick(30_000);
      const error = await asking;

      expect(error).toBeInstanceOf(QuestionTimeout);
      expect((error as QuestionTimeout).message).toBe(
        "No final result received from 'main.octue.twined.services' after 30 seconds.",
      );
      expect((error as QuestionTimeout).timeoutSeconds).toBe(30);
      expect(network.answerSubscriptions()).toEqual([]);
    });

    it('waits without an overall limit when timeout is null', async () => {
      const release = deferred();
      await network.serve(
        async () => {
          await release.promise;
          return { outputValues: 1 };
        },
        { clock, heartbeatIntervalMs: 60_000 },
      );
      const child = network.child({ clock });
      const { asking } = await startAsk(child, { timeout: null }, 2);

      expect(clock.activeTimers).toBe(2);
      release.resolve();
      await expect(asking).resolves.toMatchObject({ answer: { outputValues: 1 } });
    });

    it('uses a one-day timeout by default', async () => {
      await network.script(async (_question, responder) => {
        await responder.send({ kind: 'delivery_acknowledgement' });
        await responder.send({ kind: 'heartbeat' });
      });
      const child = network.child({ clock });
      const { asking } = await startAsk(child, { maximumHeartbeatInterval: 200_000 });
      await waitFor(() => child.receivedEvents?.length === 2, 'the heartbeat');

      clock.tick(86_399_000);
      const stillWaiting = await Promise.race([asking, Promise.resolve('waiting')]);
      clock.tick(1_000);

      expect(stillWaiting).toBe('waiting');
      await expect(asking).resolves.toMatchObject({
        message: "No final result received from 'main.octue.twined.services' after 86400 seconds.",
      });
    });
  });
});
