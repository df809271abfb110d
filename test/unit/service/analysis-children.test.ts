import type { ChildRecord } from '../../../src/core/twine';
import { Runner } from '../../../src/service';
import type { Analysis, AnalysisChild, ChildAnswer, ChildFactory, ChildQuestion } from '../../../src/service';
import { deferred } from '../../helpers/deferred';

const CHILDREN: ChildRecord[] = [
  { key: 'worker', id: 'acme/worker:1.0.0', backend: { name: 'GCPPubSubBackend', project_id: 'p' } },
];
const TWINE = { children: [{ key: 'worker' }] };

/** A child that answers each question with its input doubled, once the test releases that question. */
function releasableChild(): {
  factory: ChildFactory;
  asked: ChildQuestion[];
  release: (n: number) => void;
  inFlight: () => number;
} {
  const asked: ChildQuestion[] = [];
  const gates = new Map<number, ReturnType<typeof deferred<void>>>();
  let running = 0;
  const gate = (n: number): ReturnType<typeof deferred<void>> => {
    if (!gates.has(n)) gates.set(n, deferred<void>());
    return gates.get(n) as ReturnType<typeof deferred<void>>;
  };
  const factory: ChildFactory = (record) => ({
    id: record.id,
    ask: async (question): Promise<ChildAnswer> => {
      asked.push(question);
      running += 1;
      const n = question.inputValues as number;
      await gate(n).promise;
      running -= 1;
      if (n < 0 && question.raiseErrors !== false) throw new RangeError(`negative: ${n}`);
      if (n < 0) return { answer: new RangeError(`negative: ${n}`), questionUuid: `q-${n}` };
      return { answer: { outputValues: n * 2 }, questionUuid: `q-${n}` };
    },
  });
  return { factory, asked, release: (n) => gate(n).resolve(), inFlight: () => running };
}

async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

describe('Class: Analysis', () => {
  describe('Property: children (askMultiple)', () => {
    it('asks with the lineage, at most maxConcurrency at once, and returns answers in question order', async () => {
      // Prepare
      const child = releasableChild();
      let answers: ChildAnswer[] | undefined;
      let peak = 0;
      const app = async (analysis: Analysis): Promise<void> => {
        const worker = analysis.children['worker'] as AnalysisChild;
        const asking = worker.askMultiple(
          [1, 2, 3].map((n) => ({ inputValues: n })),
          { maxConcurrency: 2 },
        );
        await flush();
        peak = child.inFlight();
        child.release(3);
        child.release(2);
        await flush();
        child.release(1);
        answers = await asking;
      };
      const runner = new Runner({ app, twine: TWINE, children: CHILDREN, childFactory: child.factory });

      // Act
      await runner.run({ analysisId: 'parent-q' });

      // Assess
      expect(peak).toBe(2);
      expect(answers?.map((a) => a.answer)).toEqual([{ outputValues: 2 }, { outputValues: 4 }, { outputValues: 6 }]);
      expect(child.asked.map((q) => q.parentQuestionUuid)).toEqual(['parent-q', 'parent-q', 'parent-q']);
    });

    it('throws the first failure once all questions finished, or returns it in place when raiseErrors is false', async () => {
      // Prepare
      const child = releasableChild();
      [1, -2, 3].forEach((n) => child.release(n));
      const outcomes: unknown[] = [];
      const app = async (analysis: Analysis): Promise<void> => {
        const worker = analysis.children['worker'] as AnalysisChild;
        const questions = [1, -2, 3].map((n) => ({ inputValues: n }));
        outcomes.push(await worker.askMultiple(questions).catch((error: unknown) => error));
        outcomes.push(await worker.askMultiple(questions, { raiseErrors: false }));
      };

      // Act
      await new Runner({ app, twine: TWINE, children: CHILDREN, childFactory: child.factory }).run({});

      // Assess
      expect(outcomes[0]).toBeInstanceOf(RangeError);
      const returned = outcomes[1] as ChildAnswer[];
      expect(returned.map((a) => a.answer instanceof RangeError)).toEqual([false, true, false]);
      expect(child.asked.filter((q) => q.inputValues === 3)).toHaveLength(2);
    });
  });

  describe('Method: close (after the app)', () => {
    it.each([
      ['succeeds', false],
      ['fails', true],
    ])('closes every child once the app %s', async (_case, fails) => {
      let closed = 0;
      let closedWhileRunning = false;
      let running = false;
      const factory: ChildFactory = (record) => ({
        id: record.id,
        ask: async () => ({ answer: null, questionUuid: 'q' }),
        close: async () => {
          closed += 1;
          closedWhileRunning ||= running;
        },
      });
      const app = async (): Promise<void> => {
        running = true;
        await Promise.resolve();
        running = false;
        if (fails) throw new RangeError('app failed');
      };
      const runner = new Runner({ app, twine: TWINE, children: CHILDREN, childFactory: factory });

      const outcome = await runner.run({}).catch((error: unknown) => error);

      expect(outcome instanceof RangeError).toBe(fails);
      expect(closed).toBe(1);
      expect(closedWhileRunning).toBe(false);
    });
  });
});
