import { InvalidValuesContents, RemoteException } from '../../../../src/errors';
import type { ErrorMatcher } from '../../../../src/service/child';
import { CHILD, MemoryNetwork, recordingLogger } from './helpers';
import type { ReceivedQuestion } from './helpers';

/** What the scripted child does on each attempt: fail with an exception type, or answer. */
type Attempt = { fail: string } | { answer: unknown };

describe('Class: Child', () => {
  let network: MemoryNetwork;

  beforeEach(async () => {
    network = await MemoryNetwork.start();
  });

  afterEach(async () => {
    await network.close();
  });

  /** Serves a child that plays `attempts` in turn (the last one repeats). */
  function scriptAttempts(attempts: Attempt[]): Promise<ReceivedQuestion[]> {
    let index = 0;
    return network.script(async (_question, responder) => {
      const attempt = attempts[Math.min(index++, attempts.length - 1)] as Attempt;
      if ('fail' in attempt) {
        await responder.send({
          kind: 'exception',
          exception_type: attempt.fail,
          exception_message: `Error in <Service('${CHILD}')>: attempt ${index} failed`,
          exception_traceback: [],
        });
      } else {
        await responder.send({ kind: 'result', output_values: attempt.answer });
      }
    });
  }

  describe('Method: ask', () => {
    it('returns the error instead of throwing it when raiseErrors is false, and logs it', async () => {
      const questions = await scriptAttempts([{ fail: 'InvalidValuesContents' }]);
      const { logger, entries } = recordingLogger();

      const { answer, questionUuid } = await network.child({ logger }).ask({ raiseErrors: false });

      expect(answer).toBeInstanceOf(InvalidValuesContents);
      expect((answer as Error).message).toContain('attempt 1 failed');
      expect(questions).toHaveLength(1);
      const final = entries.find((entry) => entry.message.includes('failed after 0 retries'));
      expect(final?.message).toBe(`Question ${questionUuid} failed after 0 retries (see below for error).`);
      expect(final?.level).toBe('error');
      expect(final?.error).toBe(answer);
    });

    it('does not log the final error when logErrors is false', async () => {
      await scriptAttempts([{ fail: 'ValueError' }]);
      const { logger, entries } = recordingLogger();

      await network.child({ logger }).ask({ raiseErrors: false, logErrors: false });

      expect(entries.some((entry) => entry.message.includes('retries (see below for error)'))).toBe(false);
    });

    it('retries with retry_count + 1 and a new question uuid until an attempt succeeds', async () => {
      const questions = await scriptAttempts([{ fail: 'ValueError' }, { fail: 'ValueError' }, { answer: 'third' }]);

      const child = network.child({ answerSubscriptionLingerMs: 0 });
      const { answer, questionUuid } = await child.ask({ raiseErrors: false, maxRetries: 5 });

      expect(answer).toEqual({ outputValues: 'third', outputManifest: null });
      expect(questions.map((question) => question.attributes.retry_count)).toEqual([0, 1, 2]);
      const uuids = questions.map((question) => question.attributes.question_uuid);
      expect(new Set(uuids).size).toBe(3);
      expect(questionUuid).toBe(uuids[2]);
      expect(network.answerSubscriptions()).toEqual([]);
    });

    it('keeps the question uuid on retries when the caller chose it', async () => {
      const questions = await scriptAttempts([{ fail: 'ValueError' }, { fail: 'ValueError' }, { answer: 1 }]);
      const questionUuid = '7b0e6a52-1f0d-4c52-9a0e-8b7f7c6d5e4f';

      const result = await network.child().ask({ raiseErrors: false, maxRetries: 2, questionUuid });

      expect(result.questionUuid).toBe(questionUuid);
      expect(questions.map((question) => [question.attributes.question_uuid, question.attributes.retry_count])).toEqual(
        [
          [questionUuid, 0],
          [questionUuid, 1],
          [questionUuid, 2],
        ],
      );
    });

    it('returns the last error once the retries are used up', async () => {
      const questions = await scriptAttempts([{ fail: 'ValueError' }]);
      const { logger, entries } = recordingLogger();

      const { answer } = await network.child({ logger }).ask({ raiseErrors: false, maxRetries: 2, retryCount: 3 });

      expect(answer).toBeInstanceOf(RemoteException);
      expect((answer as Error).message).toContain('attempt 3 failed');
      expect(questions.map((question) => question.attributes.retry_count)).toEqual([3, 4, 5]);
      expect(entries.filter((entry) => entry.message.includes('failed after 2 retries'))).toHaveLength(1);
    });

    it.each<[string, ErrorMatcher]>([
      ['a class', InvalidValuesContents],
      ['a name', 'InvalidValuesContents'],
      ['a base class', Error],
    ])('does not retry an error matching %s in preventRetriesWhen', async (_label, matcher) => {
      const questions = await scriptAttempts([{ fail: 'InvalidValuesContents' }, { answer: 1 }]);
      const { logger, entries } = recordingLogger();

      const { answer } = await network
        .child({ logger })
        .ask({ raiseErrors: false, maxRetries: 3, preventRetriesWhen: [matcher] });

      expect(answer).toBeInstanceOf(InvalidValuesContents);
      expect(questions).toHaveLength(1);
      expect(entries.map((entry) => entry.message)).toContain('Skipping retries for exceptions of type %s.');
    });

    it('stops retrying when a retry fails with a prevented error', async () => {
      const questions = await scriptAttempts([{ fail: 'ValueError' }, { fail: 'KeyError' }, { answer: 1 }]);

      const { answer } = await network
        .child()
        .ask({ raiseErrors: false, maxRetries: 3, preventRetriesWhen: ['KeyError'] });

      expect((answer as Error).name).toBe('KeyError');
      expect(questions).toHaveLength(2);
    });

    it('retries an error that matches no entry of preventRetriesWhen', async () => {
      const questions = await scriptAttempts([{ fail: 'ValueError' }, { answer: 'ok' }]);

      const { answer } = await network
        .child()
        .ask({ raiseErrors: false, maxRetries: 1, preventRetriesWhen: ['KeyError', InvalidValuesContents] });

      expect(answer).toMatchObject({ outputValues: 'ok' });
      expect(questions).toHaveLength(2);
    });

    it('throws without retrying when raiseErrors is true, whatever maxRetries is', async () => {
      const questions = await scriptAttempts([{ fail: 'ValueError' }, { answer: 1 }]);

      await expect(network.child().ask({ maxRetries: 3 })).rejects.toMatchObject({ name: 'ValueError' });
      expect(questions).toHaveLength(1);
    });
  });
});
