import type { ChildRecord } from '../core/twine';
import { NotImplementedYet } from '../errors';
import { askMultiple } from './child/ask-multiple';
import type { ErrorHandlingOptions, ErrorMatcher } from './child/types';
import { createLogger } from './logging';
import type { Logger } from './logging';
import type { AnalysisChild, ChildAnswer, ChildContext, ChildFactory, ChildLike, ChildQuestion } from './types';

/** One question an analysis asked a child, as recorded in crash diagnostics (`questions.json`). */
export type RecordedQuestion = Readonly<Record<string, unknown>>;

/** What {@link instantiateChildren} needs. */
export interface InstantiateChildrenParams {
  /** The validated child records. */
  readonly records: readonly ChildRecord[];
  /** Makes each child; without one, asking a child fails with a clear error. */
  readonly factory: ChildFactory | undefined;
  /** Passed to the factory. */
  readonly context: ChildContext;
  /** The analysis asking: every question's parent question. */
  readonly parentQuestionUuid: string;
  /** The root question of the tree. */
  readonly originatorQuestionUuid: string;
  /** The SRUID of the root service. */
  readonly originator: string | undefined;
  /** Receives each question with the child's received events once the ask ends (successfully or not). */
  readonly record: (question: RecordedQuestion) => void;
  /** Where `askMultiple` logs its progress; default nowhere. */
  readonly logger?: Logger;
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

// Octue records every keyword argument of `ask` under its Python name, so recordings read the same in both SDKs.
function recordedQuestion(child: ChildLike, key: string, question: ChildQuestion): RecordedQuestion {
  const fields = Object.fromEntries(
    Object.entries(question)
      .filter(([, value]) => value !== undefined && typeof value !== 'function')
      .map(([name, value]) => [snakeCase(name), value]),
  );
  return { id: child.id, key, ...fields, events: [...(child.receivedEvents ?? [])] };
}

function unavailableChild(record: ChildRecord): ChildLike {
  return {
    id: record.id,
    ask: () =>
      Promise.reject(
        new NotImplementedYet(
          `The child '${record.key}' (${record.id}) cannot be asked: this runner was given no child factory. ` +
            'Pass childFactory to the Runner.',
        ),
      ),
  };
}

/**
 * Makes the children of one analysis, keyed by their twine key. Each child's `ask` is wrapped so that questions carry
 * the analysis as their parent question (plus the originator question and service), and so that every question is
 * recorded with the child's received events for diagnostics, even when the ask fails.
 * @param params - The records, the factory and the lineage.
 * @returns The children by key.
 */
export function instantiateChildren(params: InstantiateChildrenParams): Record<string, AnalysisChild> {
  const children: Record<string, AnalysisChild> = {};
  const logger = params.logger ?? createLogger();
  for (const record of params.records) {
    const child = params.factory === undefined ? unavailableChild(record) : params.factory(record, params.context);
    const ask = async (question: ChildQuestion = {}): Promise<ChildAnswer> => {
      const full: ChildQuestion = Object.assign({}, question, {
        parentQuestionUuid: params.parentQuestionUuid,
        originatorQuestionUuid: params.originatorQuestionUuid,
        ...(params.originator === undefined ? {} : { originator: params.originator }),
      });
      try {
        return await child.ask(full);
      } finally {
        params.record(recordedQuestion(child, record.key, full));
      }
    };
    children[record.key] = {
      get id() {
        return child.id;
      },
      get receivedEvents() {
        return child.receivedEvents;
      },
      ask,
      close: async () => {
        await child.close?.();
      },
      askMultiple: (questions, options = {}) =>
        // The child's own ask applies the error-handling fields (a Child or a ChildEmulator does).
        askMultiple<ChildQuestion & ErrorHandlingOptions, ChildAnswer>(
          ask,
          questions as readonly (ChildQuestion & ErrorHandlingOptions)[],
          Object.assign({}, options, {
            preventRetriesWhen: options.preventRetriesWhen as readonly ErrorMatcher[] | undefined,
          }),
          logger,
        ),
    };
  }
  return children;
}
