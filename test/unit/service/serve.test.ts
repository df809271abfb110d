import { InvalidInputException } from '../../../src/errors';
import { createLogger, memoryLogSink, Service } from '../../../src/service';
import type { ServeOptions } from '../../../src/service';
import { CHILD, deferred, ManualClock, MemoryNetwork, questionMessage, waitFor } from './helpers';

let network: MemoryNetwork;

beforeEach(async () => {
  network = await new MemoryNetwork().start();
});

afterEach(async () => {
  await network.close();
});

/** A service whose app runs until the test releases it, and how to see that it started. */
function hangingService(logger = createLogger()): {
  service: Service;
  started: Promise<void>;
  release: () => void;
} {
  const started = deferred();
  const released = deferred();
  const service = new Service({
    serviceId: CHILD,
    transport: network.transport,
    clock: new ManualClock(),
    logger,
    runFunction: async () => {
      started.resolve();
      await released.promise;
      return { outputValues: { done: true } };
    },
  });
  return { service, started: started.promise, release: () => released.resolve() };
}

// Serves until the app of one question has started, then aborts; `serving` settles when serve returns.
async function serveUntilStarted(
  service: Service,
  started: Promise<void>,
  options: ServeOptions = {},
): Promise<{ serving: Promise<void> }> {
  const controller = new AbortController();
  const ready = deferred();
  const serving = service.serve({
    ...options,
    signal: controller.signal,
    deleteSubscriptionOnExit: true,
    onReady: () => ready.resolve(),
  });
  await ready.promise;
  await network.transport.publish(questionMessage({}, { forwardLogs: false }));
  await started;
  controller.abort();
  return { serving };
}

describe('Class: Service', () => {
  describe('Method: serve', () => {
    it('stops without an answer still running once stopGracePeriodMs has passed, and says so', async () => {
      // Prepare
      const { sink, entries } = memoryLogSink();
      const { service, started, release } = hangingService(createLogger({ sinks: [{ sink }] }));

      // Act
      const { serving } = await serveUntilStarted(service, started, { stopGracePeriodMs: 20 });
      await serving;
      const subscriptions = network.broker.subscriptionNames();
      const kinds = network.kinds();
      release();

      // Assess
      expect(subscriptions).not.toContain('acme.child.2-1-0');
      expect(entries.filter((entry) => entry.level === 'warning').map((entry) => entry.args)).toEqual([[20]]);
      expect(kinds).not.toContain('result');
    });

    it('waits for the answers in flight without stopGracePeriodMs', async () => {
      // Prepare
      const { service, started, release } = hangingService();
      const order: string[] = [];

      // Act
      const { serving } = await serveUntilStarted(service, started);
      const served = serving.then(() => order.push('served'));
      for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setImmediate(resolve));
      order.push('released');
      release();
      await served;
      await waitFor(() => network.kinds().includes('result'), 'the result');

      // Assess
      expect(order).toEqual(['released', 'served']);
      expect(network.ofKind('result')[0]?.output_values).toEqual({ done: true });
    });

    it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])(
      'throws InvalidInputException for a stopGracePeriodMs of %s',
      async (stopGracePeriodMs) => {
        const { service } = hangingService();

        await expect(service.serve({ timeoutMs: 1, stopGracePeriodMs })).rejects.toThrow(InvalidInputException);
        await expect(service.serve({ timeoutMs: 1, stopGracePeriodMs })).rejects.toThrow('stopGracePeriodMs');
      },
    );
  });
});
