import type { OutgoingMessage, Transport } from '../../core/ports/transport';
import { answerSubscription } from '../../core/topology';
import type { Clock } from '../clock';
import type { EventHandler, QuestionAnswer } from '../event-handler';
import type { Logger } from '../logging';
import type { ResolvedLimits } from './ask-options';
import type { AnswerRouter } from './answer-router';
import { AnswerCollector } from './answer-waiter';
import type { ChildAskOptions } from './types';

/** A question sent: its uuid, and how to wait for its answer when it is synchronous. */
export interface SentQuestion {
  readonly questionUuid: string;
  /** The push subscription, for a question with a push endpoint. */
  readonly subscription?: string;
  /** Waits for the answer of a synchronous question. */
  readonly wait?: () => Promise<QuestionAnswer>;
}

/** The Child's parts {@link sendQuestion} uses. */
export interface SendContext {
  readonly transport: Transport;
  /** The Child's shared answer subscription. */
  readonly router: AnswerRouter;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly parentSruid: string;
  readonly childId: string;
  /** Makes the question's event handler (and makes it the Child's latest, for `receivedEvents`). */
  readonly newHandler: () => EventHandler;
}

/**
 * Publishes a prepared question and sets up how its answer arrives: for a push endpoint, a push subscription of its
 * own (Octue's naming and filter; the endpoint's owner deletes it); for an asynchronous question, nothing; for a
 * synchronous one, a route on the Child's shared answer subscription, registered BEFORE publishing so no answer can
 * come before anyone listens, and released once the wait ends.
 * @param context - The Child's transport, router and helpers.
 * @param question - The question's uuid and checked message.
 * @param options - The question's options (`pushEndpoint`, `asynchronous`).
 * @param limits - The resolved limits and retry count.
 * @returns The question's uuid, and its push subscription or how to wait for its answer.
 * @throws The transport's errors (what was set up for the answer is removed first).
 */
export async function sendQuestion(
  context: SendContext,
  question: { readonly questionUuid: string; readonly message: OutgoingMessage },
  options: Pick<ChildAskOptions, 'pushEndpoint' | 'asynchronous'>,
  limits: ResolvedLimits,
): Promise<SentQuestion> {
  const { transport, parentSruid } = context;
  const { questionUuid, message } = question;
  if (options.pushEndpoint !== undefined) {
    const spec = answerSubscription({ parentSruid, questionUuid, pushEndpoint: options.pushEndpoint });
    await transport.createSubscription(spec, { allowExisting: limits.retryCount > 0 });
    await publish(context, questionUuid, message, () => transport.deleteSubscription(spec.name));
    return { questionUuid, subscription: spec.name };
  }
  if (options.asynchronous) {
    await publish(context, questionUuid, message);
    return { questionUuid };
  }
  const collector = new AnswerCollector({
    handler: context.newHandler(),
    clock: context.clock,
    logger: context.logger,
    childId: context.childId,
    questionUuid,
  });
  const registration = await context.router.register(questionUuid, collector);
  await publish(context, questionUuid, message, () => registration.release());
  const wait = async (): Promise<QuestionAnswer> => {
    try {
      return await collector.wait(Object.assign({}, limits, { topicName: transport.topicName }));
    } finally {
      await registration.release();
    }
  };
  return { questionUuid, wait };
}

// On failure, `undo` removes what was set up for the answer: nothing will ever answer an unpublished question.
async function publish(
  context: SendContext,
  questionUuid: string,
  message: OutgoingMessage,
  undo?: () => Promise<void>,
): Promise<void> {
  try {
    await context.transport.publish(message);
  } catch (error) {
    await undo?.().catch(() => undefined);
    throw error;
  }
  context.logger.info('%s asked a question %s to service %s.', context.parentSruid, questionUuid, context.childId);
}
