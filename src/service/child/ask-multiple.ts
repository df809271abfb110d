import { InvalidInputException } from '../../errors';
import type { Logger } from '../logging';
import type { AskMultipleOptions, ErrorHandlingOptions } from './types';

/** The most questions `askMultiple` has in flight at once unless told otherwise (Octue's thread-pool cap). */
export const DEFAULT_MAX_CONCURRENCY = 32;

/**
 * Asks several questions with at most `maxConcurrency` in flight, as Octue's `ask_multiple` does with a thread pool:
 * the error-handling options apply to every question unless the question sets its own, and the answers come back in
 * the order the questions were given. A question that throws (with `raiseErrors`, or an error before it was sent)
 * does not stop the others; once all have finished, the first such error, in the order they happened, is thrown.
 * @param ask - Asks one question.
 * @param questions - The questions.
 * @param options - Error handling for all questions and the concurrency bound.
 * @param logger - For progress messages.
 * @returns The results in question order.
 * @throws InvalidInputException for a bad `maxConcurrency`; the first question's error, as described.
 */
export async function askMultiple<Question extends ErrorHandlingOptions, Result>(
  ask: (question: Question) => Promise<Result>,
  questions: readonly Question[],
  options: AskMultipleOptions,
  logger: Logger,
): Promise<Result[]> {
  const count = questions.length;
  const bound = options.maxConcurrency ?? Math.min(DEFAULT_MAX_CONCURRENCY, count);
  if (options.maxConcurrency !== undefined && (!Number.isInteger(bound) || bound < 1)) {
    throw new InvalidInputException(
      `maxConcurrency must be a whole number of at least 1; received ${String(options.maxConcurrency)}.`,
    );
  }
  if (count === 0) return [];
  logger.info('Asking %d questions with at most %d at once.', count, bound);

  const results = new Array<Result>(count);
  const failures: unknown[] = [];
  let next = 0;
  let answered = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) {
      const question = questions[index] as Question;
      try {
        results[index] = await ask(
          Object.assign({}, question, {
            raiseErrors: question.raiseErrors ?? options.raiseErrors,
            maxRetries: question.maxRetries ?? options.maxRetries,
            preventRetriesWhen: question.preventRetriesWhen ?? options.preventRetriesWhen,
            logErrors: question.logErrors ?? options.logErrors,
          }),
        );
      } catch (error) {
        failures.push(error);
      }
      answered += 1;
      logger.info('%d of %d answers received.', answered, count);
    }
  };
  await Promise.all(Array.from({ length: Math.min(bound, count) }, () => worker()));
  if (failures.length > 0) throw failures[0];
  return results;
}
