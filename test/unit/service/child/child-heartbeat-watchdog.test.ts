import { QuestionTimeout } from '../../../../src/errors';
import type { Child } from '../../../../src/service/child';
import { ManualClock, MemoryNetwork, deferred, waitFor } from './helpers';
import type { ScriptedResponder } from './helpers';

// The heartbeat window of these tests, and the clock's step while looking for the moment the watchdog raises.
const WINDOW_MS = 100_000;
const STEP_MS = WINDOW_MS / 1000;

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

  /**
   * Steps the clock until the wait ends and says how long after `since` it did, in windows. The wait has ended once
   * its timers are gone: the collector clears them in the same call that rejects, so no polling is needed.
   */
  function windowsUntilRaised(since: number, limit = 2 * WINDOW_MS): number {
    while (clock.activeTimers > 0) {
      if (clock.now().getTime() - since > limit) throw new Error('The watchdog never raised.');
      clock.tick(STEP_MS);
    }
    return (clock.now().getTime() - since) / WINDOW_MS;
  }

  /**
   * From `since` (now, the moment the window starts): steps to one step short of a window, notes whether the wait is
   * still alive there (it must not raise early), then says in windows when it raised.
   */
  function watchFrom(since: number): { aliveJustBefore: boolean; ratio: number } {
    clock.tick(WINDOW_MS - STEP_MS);
    const aliveJustBefore = clock.activeTimers > 0;
    return { aliveJustBefore, ratio: windowsUntilRaised(since) };
  }

  /** Starts an ask with the test window and waits until its timers run. */
  async function startAsk(child: Child): Promise<{ asking: Promise<unknown> }> {
    const asking = child
      .ask({ maximumHeartbeatInterval: WINDOW_MS / 1000, timeout: null })
      .catch((error: unknown) => error);
    await waitFor(() => clock.activeTimers >= 1, 'the ask to start its watchdog');
    return { asking };
  }

  describe('Method: ask (heartbeat watchdog)', () => {
    it('raises within 1.1 windows of the last heartbeat, and not before one window', async () => {
      const responders: ScriptedResponder[] = [];
      await network.script(async (_question, responder) => {
        responders.push(responder);
        await responder.send({ kind: 'delivery_acknowledgement' });
      });
      const child = network.child({ clock, answerSubscriptionLingerMs: 0 });
      const { asking } = await startAsk(child);
      await waitFor(() => child.receivedEvents?.length === 1, 'the delivery acknowledgement');
      // The last heartbeat comes 0.37 windows in, so it does not line up with a once-per-window check.
      clock.tick(0.37 * WINDOW_MS);
      await responders[0]?.send({ kind: 'heartbeat' });
      await waitFor(() => child.receivedEvents?.length === 2, 'the heartbeat');
      const lastHeartbeat = clock.now().getTime();

      const { aliveJustBefore, ratio } = watchFrom(lastHeartbeat);

      expect(aliveJustBefore).toBe(true);
      expect(ratio).toBeGreaterThanOrEqual(1);
      expect(ratio).toBeLessThanOrEqual(1.1);
      expect(ratio).toBe(1);
      await expect(asking).resolves.toBeInstanceOf(QuestionTimeout);
    });

    it('raises within 1.1 windows of the delivery acknowledgement when no heartbeat follows it', async () => {
      const acknowledge = deferred();
      await network.script(async (_question, responder) => {
        await acknowledge.promise;
        await responder.send({ kind: 'delivery_acknowledgement' });
      });
      const child = network.child({ clock, answerSubscriptionLingerMs: 0 });
      const { asking } = await startAsk(child);
      // The child is slow to acknowledge: 0.3 windows after the question.
      clock.tick(0.3 * WINDOW_MS);
      acknowledge.resolve();
      await waitFor(() => child.receivedEvents?.length === 1, 'the delivery acknowledgement');
      const acknowledged = clock.now().getTime();

      const { aliveJustBefore, ratio } = watchFrom(acknowledged);

      expect(aliveJustBefore).toBe(true);
      expect(ratio).toBeLessThanOrEqual(1.1);
      expect(ratio).toBe(1);
      const error = await asking;
      expect(error).toBeInstanceOf(QuestionTimeout);
      expect((error as QuestionTimeout).timeoutSeconds).toBe(WINDOW_MS / 1000);
    });

    it('raises one window after the question when nothing at all comes back', async () => {
      await network.script(() => undefined);
      const child = network.child({ clock, answerSubscriptionLingerMs: 0 });
      const { asking } = await startAsk(child);
      const asked = clock.now().getTime();

      const { aliveJustBefore, ratio } = watchFrom(asked);

      expect(aliveJustBefore).toBe(true);
      expect(ratio).toBe(1);
      await expect(asking).resolves.toBeInstanceOf(QuestionTimeout);
    });

    it('keeps one watchdog timer however many heartbeats arrive', async () => {
      const responders: ScriptedResponder[] = [];
      await network.script((_question, responder) => {
        responders.push(responder);
      });
      const child = network.child({ clock, answerSubscriptionLingerMs: 0 });
      const { asking } = await startAsk(child);
      await waitFor(() => responders.length === 1, 'the question');

      for (let beat = 1; beat <= 5; beat++) {
        clock.tick(0.6 * WINDOW_MS);
        await responders[0]?.send({ kind: 'heartbeat' });
        await waitFor(() => child.receivedEvents?.length === beat, `heartbeat ${beat}`);
        expect(clock.activeTimers).toBe(1);
      }
      const ratio = windowsUntilRaised(clock.now().getTime());

      expect(ratio).toBe(1);
      await expect(asking).resolves.toBeInstanceOf(QuestionTimeout);
    });
  });
});
