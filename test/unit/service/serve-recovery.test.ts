// What serving does when its subscription is lost under it, on the in-memory twin: the broker deletes the
// subscription (as an emulator restart does) and the backoff runs on a ManualClock.
import type { Transport } from '../../../src/core/ports/transport';
import { InvalidInputException, SubscriptionLost, TopicNotFound, TransportError } from '../../../src/errors';
import { createLogger, memoryLogSink, Service } from '../../../src/service';
import type { ServeOptions } from '../../../src/service';
import { recoveryDelayMs, recoveryPolicy } from '../../../src/service/serve-recovery';
import { CHILD, deferred, ManualClock, MemoryNetwork, questionMessage, waitFor } from './helpers';

const SUBSCRIPTION = 'acme.child.2-1-0';

let network: MemoryNetwork;

beforeEach(async () => {
  network = await new MemoryNetwork().start();
});

afterEach(async () => {
  await network.close();
});

/** Serves an answering service on a ManualClock until the test aborts; resolves once it is ready. */
async function serve(
  options: ServeOptions,
  transport: Transport = network.transport,
): Promise<{
  serving: Promise<void>;
  clock: ManualClock;
  warnings: () => string[];
  stop: () => void;
}> {
  const clock = new ManualClock();
  const { sink, entries } = memoryLogSink();
  const service = new Service({
    serviceId: CHILD,
    transport,
    clock,
    logger: createLogger({ sinks: [{ sink }] }),
    runFunction: async () => ({ outputValues: { done: true } }),
  });
  const controller = new AbortController();
  const ready = deferred();
  const serving = service.serve({ ...options, signal: controller.signal, onReady: () => ready.resolve() });
  // Settled rejections are asserted by the tests; this only keeps an early one from going unhandled meanwhile.
  serving.catch(() => undefined);
  await Promise.race([ready.promise, serving]);
  return {
    serving,
    clock,
    warnings: () => entries.filter((entry) => entry.level === 'warning').map((entry) => entry.message),
    stop: () => controller.abort(),
  };
}

describe('Function: serveQuestions (a lost subscription)', () => {
  it('rejects with SubscriptionLost when the subscription is deleted and recovery is off (the default)', async () => {
    // Prepare
    const { serving } = await serve({});

    // Act
    network.broker.deleteSubscription(SUBSCRIPTION);

    // Assess
    await expect(serving).rejects.toThrow(SubscriptionLost);
    await expect(serving).rejects.toMatchObject({ subscriptionName: SUBSCRIPTION });
  });

  it('re-creates the subscription after its backoff and answers questions asked afterwards', async () => {
    // Prepare
    const { serving, clock, stop } = await serve({ recovery: { attempts: 3, initialDelayMs: 1000 } });

    // Act
    network.broker.deleteSubscription(SUBSCRIPTION);
    await waitFor(() => clock.activeTimers === 1, 'the recovery backoff');
    const beforeBackoff = network.broker.subscriptionNames().includes(SUBSCRIPTION);
    clock.tick(1000);
    await waitFor(() => network.broker.subscriptionNames().includes(SUBSCRIPTION), 'the re-created subscription');
    await network.transport.publish(questionMessage({ inputValues: { n: 1 } }, { forwardLogs: false }));
    await waitFor(() => network.kinds().includes('result'), 'the result');
    stop();

    // Assess
    await expect(serving).resolves.toBeUndefined();
    expect(beforeBackoff).toBe(false);
    expect(network.ofKind('result')[0]?.output_values).toEqual({ done: true });
  });

  it('gives up after its attempts with SubscriptionLost caused by the last failure, logging each one', async () => {
    // Prepare: the topic is gone too, so re-creating the subscription fails every time.
    const { serving, clock, warnings } = await serve({
      recovery: { attempts: 2, initialDelayMs: 10, maxDelayMs: 10 },
    });

    // Act
    network.broker.deleteTopic(network.transport.topicName);
    network.broker.deleteSubscription(SUBSCRIPTION);
    let settled = false;
    serving.then(
      () => (settled = true),
      () => (settled = true),
    );
    while (!settled) {
      clock.tick(10);
      await new Promise((resolve) => setImmediate(resolve));
    }

    // Assess
    await expect(serving).rejects.toThrow(SubscriptionLost);
    const error = await serving.catch((caught: unknown) => caught);
    expect((error as SubscriptionLost).cause).toBeInstanceOf(TopicNotFound);
    expect(warnings().filter((message) => message.startsWith('Recovering'))).toHaveLength(2);
  });

  it('stops cleanly when asked to stop during the backoff', async () => {
    // Prepare
    const { serving, clock, stop } = await serve({ recovery: { attempts: 5, initialDelayMs: 60_000 } });

    // Act
    network.broker.deleteSubscription(SUBSCRIPTION);
    await waitFor(() => clock.activeTimers === 1, 'the recovery backoff');
    stop();

    // Assess
    await expect(serving).resolves.toBeUndefined();
    expect(clock.activeTimers).toBe(0);
  });

  it.each([
    [{ recovery: { attempts: -1 } }, 'recovery.attempts'],
    [{ recovery: { attempts: 1.5 } }, 'recovery.attempts'],
    [{ recovery: { attempts: 1, initialDelayMs: 10, maxDelayMs: 5 } }, 'recovery.maxDelayMs'],
    [{ recovery: { attempts: 1, initialDelayMs: Number.NaN } }, 'recovery delays'],
    [{ flowControl: { maxMessages: 0, maxBytes: 1000 } }, 'flowControl.maxMessages'],
    [{ flowControl: { maxMessages: 10, maxBytes: 2.5 } }, 'flowControl.maxBytes'],
  ] as [ServeOptions, string][])('refuses %j with InvalidInputException naming %s', async (options, name) => {
    const service = new Service({ serviceId: CHILD, transport: network.transport, runFunction: async () => ({}) });

    const serving = service.serve({ ...options, timeoutMs: 1 });

    await expect(serving).rejects.toThrow(InvalidInputException);
    await expect(serving).rejects.toThrow(name);
    expect(network.broker.subscriptionNames()).not.toContain(SUBSCRIPTION);
  });
});

/** The in-memory transport, except that topic look-ups fail while `reachable` is false (Pub/Sub out of reach). */
function unreachableAtWill(inner: Transport): Transport & { reachable: boolean } {
  const twin = Object.create(inner) as Transport & { reachable: boolean };
  twin.reachable = true;
  twin.topicExists = () =>
    twin.reachable ? inner.topicExists() : Promise.reject(new TransportError('Pub/Sub is unreachable.'));
  return twin;
}

describe('Function: serveQuestions (topicCheckIntervalMs)', () => {
  it('ends with SubscriptionLost caused by TopicNotFound when the topic is deleted under it', async () => {
    // Prepare
    const { serving, clock } = await serve({ topicCheckIntervalMs: 30_000 });

    // Act
    network.broker.deleteTopic(network.transport.topicName);
    clock.tick(30_000);

    // Assess
    const error = await serving.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SubscriptionLost);
    expect((error as SubscriptionLost).cause).toBeInstanceOf(TopicNotFound);
  });

  it('ends with SubscriptionLost after two failed checks in a row, but not after one', async () => {
    // Prepare
    const transport = unreachableAtWill(network.transport);
    const { serving, clock, stop } = await serve({ topicCheckIntervalMs: 1000 }, transport);
    let settled = false;
    serving.then(
      () => (settled = true),
      () => (settled = true),
    );
    const tick = async (): Promise<void> => {
      clock.tick(1000);
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    };

    // Act: one failure, then a success (the count starts again), then two failures.
    transport.reachable = false;
    await tick();
    transport.reachable = true;
    await tick();
    transport.reachable = false;
    await tick();
    const settledAfterOneFailureInARow = settled;
    await tick();

    // Assess
    expect(settledAfterOneFailureInARow).toBe(false);
    await expect(serving).rejects.toThrow(/could not be reached 2 times/);
    stop();
  });

  it('refuses a topicCheckIntervalMs that is not a number > 0', async () => {
    const service = new Service({ serviceId: CHILD, transport: network.transport, runFunction: async () => ({}) });

    await expect(service.serve({ topicCheckIntervalMs: 0, timeoutMs: 1 })).rejects.toThrow(InvalidInputException);
    expect(network.broker.subscriptionNames()).not.toContain(SUBSCRIPTION);
  });
});

describe('Function: recoveryDelayMs', () => {
  it('doubles from initialDelayMs up to maxDelayMs, jittered below that ceiling', () => {
    const policy = recoveryPolicy({ attempts: 6, initialDelayMs: 100, maxDelayMs: 1000 });

    const ceilings = [1, 2, 3, 4, 5, 6].map((attempt) => recoveryDelayMs(policy, attempt, () => 0.999_999));
    const halves = [1, 4].map((attempt) => recoveryDelayMs(policy, attempt, () => 0.5));

    expect(ceilings).toEqual([99, 199, 399, 799, 999, 999]);
    expect(halves).toEqual([50, 400]);
  });
});
