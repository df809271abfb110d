import type {
  ActiveSubscription,
  MessageHandler,
  OutgoingMessage,
  SubscribeOptions,
  SubscriptionSpec,
  Transport,
} from '../../../../src/core/ports/transport';
import { InvalidInputException, InvalidValuesContents } from '../../../../src/errors';
import { Child } from '../../../../src/service/child';
import { CHILD, MemoryNetwork, PARENT, deferred, waitFor } from './helpers';

/**
 * A transport that counts the questions in flight: from publishing a question to receiving its result (the answer
 * subscription is shared by all questions, so its deletion no longer marks the end of one question).
 */
class CountingTransport implements Transport {
  readonly kind = 'counting';
  inFlight = 0;
  maxInFlight = 0;

  constructor(private readonly inner: Transport) {}

  get topicName(): string {
    return this.inner.topicName;
  }

  async publish(message: OutgoingMessage): Promise<string> {
    const id = await this.inner.publish(message);
    if (message.attributes.sender_type === 'PARENT') {
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    }
    return id;
  }

  deleteSubscription(name: string): Promise<void> {
    return this.inner.deleteSubscription(name);
  }

  ensureTopic(): Promise<void> {
    return this.inner.ensureTopic();
  }

  topicExists(): Promise<boolean> {
    return this.inner.topicExists();
  }

  createSubscription(spec: SubscriptionSpec, options?: { allowExisting?: boolean }): Promise<void> {
    return this.inner.createSubscription(spec, options);
  }

  subscribe(name: string, handler: MessageHandler, options?: SubscribeOptions): Promise<ActiveSubscription> {
    return this.inner.subscribe(
      name,
      (message) => {
        const event = JSON.parse(message.data.toString('utf8')) as { kind?: unknown };
        if (event.kind === 'result') this.inFlight -= 1;
        return handler(message);
      },
      options,
    );
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('Class: Child', () => {
  let network: MemoryNetwork;

  beforeEach(async () => {
    network = await MemoryNetwork.start();
  });

  afterEach(async () => {
    await network.close();
  });

  describe('Method: askMultiple', () => {
    it('returns the answers in the order of the questions when they finish in another order', async () => {
      const gates = new Map<number, ReturnType<typeof deferred<void>>>();
      await network.serve(async ({ inputValues }) => {
        const gate = deferred();
        gates.set(inputValues as number, gate);
        await gate.promise;
        return { outputValues: (inputValues as number) * 10 };
      });
      const asking = network.child().askMultiple([0, 1, 2, 3].map((n) => ({ inputValues: n })));

      await waitFor(() => gates.size === 4, 'all four questions to run');
      for (const n of [3, 1, 2, 0]) gates.get(n)?.resolve();
      const results = await asking;

      expect(results.map((result) => result.answer)).toEqual(
        [0, 10, 20, 30].map((outputValues) => ({
          outputValues,
          outputManifest: null,
        })),
      );
      expect(new Set(results.map((result) => result.questionUuid)).size).toBe(4);
    });

    it('has at most maxConcurrency questions in flight at once', async () => {
      const running: ReturnType<typeof deferred<void>>[] = [];
      await network.serve(async ({ inputValues }) => {
        const gate = deferred();
        running.push(gate);
        await gate.promise;
        return { outputValues: inputValues };
      });
      const transport = new CountingTransport(network.transport);
      const child = new Child({ id: CHILD, transport, parentSruid: PARENT });
      const asking = child.askMultiple(
        [1, 2, 3, 4, 5, 6, 7].map((n) => ({ inputValues: n })),
        { maxConcurrency: 2 },
      );

      for (let released = 0; released < 7; released++) {
        await waitFor(() => running.length > released && transport.inFlight >= Math.min(2, 7 - released), 'a question');
        expect(transport.inFlight).toBeLessThanOrEqual(2);
        running[released]?.resolve();
      }
      const results = await asking;

      expect(results.map((result) => (result.answer as { outputValues: unknown }).outputValues)).toEqual([
        1, 2, 3, 4, 5, 6, 7,
      ]);
      expect(transport.maxInFlight).toBe(2);
    });

    it('throws the first failure once every question has finished when raiseErrors is true', async () => {
      const finished: number[] = [];
      await network.serve(async ({ inputValues }) => {
        const n = inputValues as number;
        try {
          if (n === 1) throw new InvalidValuesContents(`Question ${n} is wrong.`);
          return { outputValues: n };
        } finally {
          finished.push(n);
        }
      });

      // No linger, so the shared answer subscription is gone as soon as the last question has finished.
      const error = await network
        .child({ answerSubscriptionLingerMs: 0 })
        .askMultiple([0, 1, 2].map((n) => ({ inputValues: n })))
        .catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(InvalidValuesContents);
      expect((error as Error).message).toContain('Question 1 is wrong.');
      expect(finished.sort()).toEqual([0, 1, 2]);
      expect(network.answerSubscriptions()).toEqual([]);
    });

    it('returns errors in place of answers when raiseErrors is false, with per-question overrides', async () => {
      const attempts = new Map<number, number>();
      await network.serve(async ({ inputValues }) => {
        const n = inputValues as number;
        attempts.set(n, (attempts.get(n) ?? 0) + 1);
        if (n !== 0) throw new InvalidValuesContents(`Question ${n} is wrong.`);
        return { outputValues: n };
      });

      const results = await network
        .child()
        .askMultiple([{ inputValues: 0 }, { inputValues: 1 }, { inputValues: 2, maxRetries: 2 }], {
          raiseErrors: false,
          maxRetries: 1,
          logErrors: false,
        });

      expect(results[0]?.answer).toEqual({ outputValues: 0, outputManifest: null });
      expect(results[1]?.answer).toBeInstanceOf(InvalidValuesContents);
      expect(results[2]?.answer).toBeInstanceOf(InvalidValuesContents);
      expect(Object.fromEntries(attempts)).toEqual({ 0: 1, 1: 2, 2: 3 });
    });

    it('lets a question raise its error while the others return theirs', async () => {
      await network.serve(async () => {
        throw new InvalidValuesContents('Always wrong.');
      });

      await expect(
        network.child().askMultiple([{ inputValues: 0 }, { inputValues: 1, raiseErrors: true }], {
          raiseErrors: false,
          logErrors: false,
        }),
      ).rejects.toThrow(InvalidValuesContents);
    });

    it('resolves with an empty list for no questions', async () => {
      await expect(network.child().askMultiple([])).resolves.toEqual([]);
    });

    it.each([0, -1, 1.5])('throws InvalidInputException for a maxConcurrency of %p', async (maxConcurrency) => {
      await expect(network.child().askMultiple([{ inputValues: 1 }], { maxConcurrency })).rejects.toThrow(
        InvalidInputException,
      );
    });
  });
});
