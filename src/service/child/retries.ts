import type { Logger } from '../logging';
import type { ResolvedLimits } from './ask-options';
import type { AskResult, ChildAskOptions, ErrorMatcher } from './types';

/**
 * Whether an error matches one of `matchers` (a `preventRetriesWhen` list): a class matches its instances (subclasses
 * included, where Octue compares exact types), a string matches the error's `name`, which for a re-created remote
 * error is the remote type's name (e.g. `'ValueError'`, `'InvalidValuesContents'`).
 * @param error - The error of a failed question.
 * @param matchers - Classes and names.
 * @returns `true` when any matches.
 */
export function matchesAnyError(error: unknown, matchers: readonly ErrorMatcher[] | undefined): boolean {
  if (matchers === undefined || matchers.length === 0) return false;
  const name = error instanceof Error ? error.name : undefined;
  return matchers.some((matcher) => (typeof matcher === 'string' ? matcher === name : error instanceof matcher));
}

/** What {@link retryFailedQuestion} needs. */
export interface RetryParams {
  /** The error the first attempt failed with. */
  readonly error: unknown;
  /** The first attempt's question uuid. */
  readonly questionUuid: string;
  /** The question as first asked. */
  readonly options: ChildAskOptions;
  /** Its resolved limits (retry count, retries, logging). */
  readonly limits: ResolvedLimits;
  /** Asks again (the Child's `ask`). */
  readonly ask: (options: ChildAskOptions) => Promise<AskResult>;
  readonly logger: Logger;
}

// Returned errors are typed as Error; a non-Error thrown value (rare: a monitor-message handler throwing a string) is
// wrapped so callers can test `answer instanceof Error`.
function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value), { cause: value });
}

/**
 * Octue's retries of a failed question asked with `raiseErrors: false`: an error matching `preventRetriesWhen` is
 * returned at once; otherwise the question is asked again up to `maxRetries` times, each with `retryCount` one
 * higher, until an attempt succeeds or fails with a prevented error. The question uuid is kept only when the caller
 * chose it (Octue's behaviour: otherwise each attempt gets a new one). The error left after the last retry is logged
 * when `logErrors` is on, and returned.
 * @param params - The failure, the question and how to ask again.
 * @returns The last attempt's result, or the remaining error in place of the answer.
 * @throws Errors thrown before a retry is published (e.g. by the transport).
 */
export async function retryFailedQuestion(params: RetryParams): Promise<AskResult> {
  const { options, limits, logger } = params;
  const prevent = options.preventRetriesWhen;
  if (matchesAnyError(params.error, prevent)) {
    logger.info('Skipping retries for exceptions of type %s.', asError(params.error).name);
    return { answer: asError(params.error), questionUuid: params.questionUuid };
  }
  let last: unknown = params.error;
  let lastUuid = params.questionUuid;
  for (let retry = 1; retry <= limits.maxRetries; retry++) {
    logger.info('Retrying question %s %d of %d times.', lastUuid, retry, limits.maxRetries);
    const result = await params.ask(
      Object.assign({}, options, {
        retryCount: limits.retryCount + retry,
        raiseErrors: false,
        maxRetries: 0,
        preventRetriesWhen: undefined,
        logErrors: false,
      }),
    );
    lastUuid = result.questionUuid;
    if (!(result.answer instanceof Error) || matchesAnyError(result.answer, prevent)) return result;
    last = result.answer;
  }
  if (limits.logErrors) {
    logger.exception(`Question ${lastUuid} failed after ${limits.maxRetries} retries (see below for error).`, last);
  }
  return { answer: asError(last), questionUuid: lastUuid };
}
