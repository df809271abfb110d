import { InvalidInputException, TransportError } from '../../../../src/errors';
import { Child } from '../../../../src/service/child';
import { CHILD, MemoryNetwork, PARENT, deferred, newUuid, waitFor } from './helpers';

// Long enough that a lingering subscription is certainly still there when a test looks; tests close the Child instead.
const LONG_LINGER_MS = 600_000;
const SHARED_NAME =
  /^acme\.parent\.1-0-0\.answers\.[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Class: Child', () => {
  let network: MemoryNetwork;

  beforeEach(async () => {
    network = await MemoryNetwork.start();
  });

  afterEach(async () => {
    await network.close();
  });

  /** Serves a child whose answers wait for `release`; returns how many questions are running. */
  async function gatedService(release: Promise<void>): Promise<{ running: () => number }> {
    let running = 0;
    await network.serve(async ({ inputValues }) => {
      running += 1;
      await release;
      return { outputValues: inputValues };
    });
    return { running: () => running };
  }

  describe('Method: ask', () => {
    it('makes exactly one answer subscription for many concurrent questions', async () => {
      const release = deferred();
      const service = await gatedService(release.promise);
      const child = network.child({ answerSubscriptionLingerMs: LONG_LINGER_MS });

      const asking = Promise.all(Array.from({ length: 40 }, (_, n) => child.ask({ inputValues: n })));
      await waitFor(() => service.running() === 40, 'every question to run');
      const during = network.answerSubscriptions();
      release.resolve();
      const results = await asking;

      expect(during).toHaveLength(1);
      expect(during[0]).toMatch(SHARED_NAME);
      expect(network.broker.getSubscription(during[0] ?? '')?.spec.filter).toEqual({
        recipient: PARENT,
        sender_type: 'CHILD',
      });
      expect(results.map((result) => result.answer?.outputValues)).toEqual(Array.from({ length: 40 }, (_, n) => n));
      expect(network.answerSubscriptions()).toEqual(during);
      await child.close();
    });

    it('reuses the answer subscription for questions asked one after another within the linger', async () => {
      await network.serve(async ({ inputValues }) => ({ outputValues: inputValues }));
      const child = network.child({ answerSubscriptionLingerMs: LONG_LINGER_MS });

      await child.ask({ inputValues: 1 });
      const first = network.answerSubscriptions();
      await child.ask({ inputValues: 2 });

      expect(first).toHaveLength(1);
      expect(network.answerSubscriptions()).toEqual(first);
      await child.close();
    });

    it('deletes the answer subscription once the linger after the last answer has passed', async () => {
      await network.serve(async ({ inputValues }) => ({ outputValues: inputValues }));
      const child = network.child({ answerSubscriptionLingerMs: 20 });

      await child.ask({ inputValues: 1 });
      const after = network.answerSubscriptions();
      await waitFor(() => network.answerSubscriptions().length === 0, 'the answer subscription to be deleted');

      expect(after).toHaveLength(1);
    });

    it('acknowledges and drops answer events of questions nobody waits for', async () => {
      const stranger = newUuid();
      await network.script(async (_question, responder) => {
        await responder.send({ kind: 'result', output_values: 'not yours' }, { question_uuid: stranger });
        await responder.send({ kind: 'monitor_message', data: 'not yours' }, { question_uuid: stranger });
        await responder.send({ kind: 'result', output_values: 'yours' });
      });
      const child = network.child({ answerSubscriptionLingerMs: LONG_LINGER_MS });
      const messages: unknown[] = [];

      const { answer } = await child.ask({ handleMonitorMessage: (data) => void messages.push(data) });

      expect(answer).toEqual({ outputValues: 'yours', outputManifest: null });
      expect(messages).toEqual([]);
      expect(child.receivedEvents?.map((item) => item.attributes.question_uuid)).not.toContain(stranger);
      const [name] = network.answerSubscriptions();
      await waitFor(() => network.broker.getSubscription(name ?? '')?.backlogSize === 0, 'every message to be acked');
      await child.close();
    });

    it('does not take the answers of another Child with the same parent SRUID', async () => {
      const release = deferred();
      const service = await gatedService(release.promise);
      const first = network.child({ answerSubscriptionLingerMs: LONG_LINGER_MS });
      const second = network.child({ answerSubscriptionLingerMs: LONG_LINGER_MS });

      const asking = [first.ask({ inputValues: 'first' }), second.ask({ inputValues: 'second' })];
      await waitFor(() => service.running() === 2, 'both questions to run');
      const names = network.answerSubscriptions();
      release.resolve();
      const [a, b] = await Promise.all(asking);

      expect(new Set(names).size).toBe(2);
      expect(a?.answer.outputValues).toBe('first');
      expect(b?.answer.outputValues).toBe('second');
      expect(first.receivedEvents?.every((item) => item.attributes.question_uuid === a?.questionUuid)).toBe(true);
      expect(second.receivedEvents?.every((item) => item.attributes.question_uuid === b?.questionUuid)).toBe(true);
      await Promise.all([first.close(), second.close()]);
    });

    it('throws InvalidInputException when a question with the same uuid is already waiting', async () => {
      const release = deferred();
      const service = await gatedService(release.promise);
      const child = network.child({ answerSubscriptionLingerMs: 0 });
      const questionUuid = newUuid();

      const asking = child.ask({ questionUuid, inputValues: 1 });
      await waitFor(() => service.running() === 1, 'the first question to run');
      const error = await child.ask({ questionUuid, inputValues: 2 }).catch((caught: unknown) => caught);
      release.resolve();

      expect(error).toBeInstanceOf(InvalidInputException);
      expect((error as Error).message).toContain(`Question ${questionUuid} is already waiting`);
      await expect(asking).resolves.toMatchObject({ answer: { outputValues: 1 } });
    });
  });

  describe('Method: close', () => {
    it('deletes the lingering answer subscription at once, and again does nothing', async () => {
      await network.serve(async ({ inputValues }) => ({ outputValues: inputValues }));
      const child = network.child({ answerSubscriptionLingerMs: LONG_LINGER_MS });
      await child.ask({ inputValues: 1 });
      const before = network.answerSubscriptions();

      await child.close();
      await child.close();

      expect(before).toHaveLength(1);
      expect(network.answerSubscriptions()).toEqual([]);
    });

    it('fails a waiting question with TransportError, and a later question makes a new subscription', async () => {
      const release = deferred();
      const service = await gatedService(release.promise);
      const child = network.child({ answerSubscriptionLingerMs: LONG_LINGER_MS });
      const asking = child.ask({ inputValues: 1 }).catch((caught: unknown) => caught);
      await waitFor(() => service.running() === 1, 'the question to run');
      const before = network.answerSubscriptions();

      await child.close();
      const error = await asking;
      release.resolve();
      const later = await child.ask({ inputValues: 2 });

      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toContain('The Child was closed while question');
      expect(later.answer.outputValues).toBe(2);
      expect(network.answerSubscriptions()).toHaveLength(1);
      expect(network.answerSubscriptions()).not.toEqual(before);
      await child.close();
    });
  });

  describe('Constructor', () => {
    it.each([
      ['a negative linger', -1],
      ['a linger that is not a number', Number.NaN],
    ])('throws InvalidInputException for %s', (_label, answerSubscriptionLingerMs) => {
      const make = (): Child =>
        new Child({ id: CHILD, transport: network.transport, parentSruid: PARENT, answerSubscriptionLingerMs });

      expect(make).toThrow(InvalidInputException);
      expect(make).toThrow('answerSubscriptionLingerMs must be a number of milliseconds of at least 0');
    });
  });
});
