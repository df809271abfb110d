import type { AttributeSources, ErrorClass, RecordedEvent } from '../../core/events';
import type { ObjectStore } from '../../core/ports/object-store';
import type { Transport } from '../../core/ports/transport';
import type { LocationPolicy } from '../../core/resources';
import { LOCAL_SRUID, parseServiceId, validateSruid } from '../../core/service-id';
import { systemClock } from '../clock';
import type { Clock } from '../clock';
import { EventHandler } from '../event-handler';
import type { QuestionAnswer } from '../event-handler';
import { locationPolicyFor } from '../location-allowances';
import { createLogger } from '../logging';
import type { Logger } from '../logging';
import type { ChildLike, ChildQuestion } from '../types';
import { askMultiple } from './ask-multiple';
import { resolveLimits } from './ask-options';
import type { ResolvedLimits } from './ask-options';
import { AnswerRouter, DEFAULT_ANSWER_SUBSCRIPTION_LINGER_MS } from './answer-router';
import { waitForAnswer } from './answer-waiter';
import { prepareQuestion } from './publish-question';
import { sendQuestion } from './send-question';
import type { SentQuestion } from './send-question';
import { retryFailedQuestion } from './retries';
import type { AskMultipleOptions, AskResult, ChildAskOptions, ChildOptions, WaitForAnswerOptions } from './types';

/** Options of a question whose answer is awaited and whose errors are thrown: `ask` resolves with the answer. */
export type SynchronousAskOptions = ChildAskOptions & {
  readonly asynchronous?: false;
  readonly pushEndpoint?: undefined;
  readonly raiseErrors?: true;
};

/**
 * A child service that can be asked questions (Octue's `Child`). It publishes each question on the services topic
 * and, for a synchronous question, waits for the answer on the Child's one shared answer subscription (made on the
 * first question, deleted a short linger after the last, or by `close()`), with Octue's semantics and
 * defaults: an overall timeout (one day) and a heartbeat watchdog (360 s), local files refused unless allowed, cloud
 * datasets sent as signed URLs, the child's errors re-thrown as the same class (or a class of the same name) with the
 * remote traceback, its logs re-emitted with `[<sender> | <question uuid>]` labels, and retries with an increasing
 * `retry_count` when errors are returned rather than thrown. An answer is as hostile as a question: every location its
 * output manifest names is checked (see {@link ChildOptions}) before anything is read, and a refused one makes `ask`
 * fail with LocalPathNotAllowed, UrlHostNotAllowed or BucketNotAllowed. Built from ports only.
 *
 * @example
 * ```ts
 * const child = new Child({ id: 'acme/elevation:1.2.0', transport, objectStore });
 * const { answer } = await child.ask({ inputValues: { n: 5 } });
 * console.log(answer.outputValues);
 * ```
 */
export class Child implements ChildLike {
  /** The child's SRUID. */
  readonly id: string;
  /** The SRUID questions are sent from and answers addressed to. */
  readonly parentSruid: string;
  private readonly transport: Transport;
  private readonly objectStore: ObjectStore | undefined;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly sources: AttributeSources | undefined;
  private readonly errorClasses: readonly ErrorClass[] | undefined;
  private readonly answerLocations: LocationPolicy;
  private handler: EventHandler | undefined;
  private readonly router: AnswerRouter;

  /**
   * @param options - The child's id and the ports to reach it.
   * @throws InvalidServiceID when `id` is not a valid service id or `parentSruid` not a valid SRUID.
   * @throws InvalidInputException when `answerSubscriptionLingerMs` is negative or not a number.
   */
  constructor(options: ChildOptions) {
    parseServiceId(options.id);
    this.id = options.id;
    this.parentSruid = options.parentSruid ?? LOCAL_SRUID;
    validateSruid(this.parentSruid);
    this.transport = options.transport;
    this.objectStore = options.objectStore;
    this.logger = options.logger ?? createLogger({ name: 'skein.child' });
    this.clock = options.clock ?? systemClock;
    this.sources = options.attributeSources;
    this.errorClasses = options.errorClasses;
    this.answerLocations = locationPolicyFor(options, this.objectStore);
    const lingerMs = options.answerSubscriptionLingerMs ?? DEFAULT_ANSWER_SUBSCRIPTION_LINGER_MS;
    this.router = new AnswerRouter({
      transport: this.transport,
      parentSruid: this.parentSruid,
      logger: this.logger,
      lingerMs,
    });
  }

  /** @returns `<Child('<id>')>`, as Octue represents children. */
  toString(): string {
    return `<Child('${this.id}')>`;
  }

  /**
   * The events received while waiting for the latest answer, as `{event, attributes}` (Octue's recording format);
   * `undefined` before any answer was waited for. With concurrent asks of one Child, this is the latest wait's list.
   */
  get receivedEvents(): readonly RecordedEvent[] | undefined {
    return this.handler?.handledEvents;
  }

  /**
   * Asks the child a question. A synchronous question (the default) resolves with the answer; an asynchronous one, or
   * one with a push endpoint, resolves as soon as it is published, with `answer: null`.
   *
   * When waiting fails (the child's error, a timeout) the error is thrown, unless `raiseErrors` is false: then it is
   * returned as the answer, after up to `maxRetries` further attempts with `retryCount` one higher each time (a
   * retry keeps the question uuid only when the caller chose it, as in Octue; otherwise each attempt has a new one),
   * none if the error matches `preventRetriesWhen`. Unlike Octue, retries keep `handleMonitorMessage`,
   * `recordEvents` and `maximumHeartbeatInterval`.
   * @param options - The question and how to ask it (Octue's `Child.ask` arguments in camelCase).
   * @returns The answer (or error, or `null`) and the question uuid.
   * @throws InvalidServiceID when the child's id has no revision tag; InvalidInputException for bad options;
   *   FileLocationError when the input manifest has local data and `allowLocalFiles` is false; InvalidEvent when the
   *   question is malformed; MessageTooLarge when it is over Pub/Sub's 10 MB limit (nothing is set up or sent); the
   *   transport's errors; and, with `raiseErrors`, the child's re-created error, a QuestionTimeout, or
   *   LocalPathNotAllowed, UrlHostNotAllowed or BucketNotAllowed when the answer's output manifest names a location
   *   this Child does not read (nothing of it is read).
   */
  ask(options: ChildAskOptions & { readonly asynchronous: true }): Promise<AskResult<null>>;
  ask(options: ChildAskOptions & { readonly pushEndpoint: string }): Promise<AskResult<null>>;
  ask(options: ChildAskOptions & { readonly raiseErrors: false }): Promise<AskResult<QuestionAnswer | Error | null>>;
  ask(options?: SynchronousAskOptions): Promise<AskResult<QuestionAnswer>>;
  ask(options?: ChildAskOptions): Promise<AskResult>;
  // The Runner's question shape (`ChildQuestion`, open to any option), so a Child can be an analysis's child.
  ask(question: ChildQuestion): Promise<AskResult>;
  async ask(question: ChildAskOptions | ChildQuestion = {}): Promise<AskResult> {
    const options = question as ChildAskOptions;
    const limits = resolveLimits(options);
    const sent = await this.send(options, limits);
    const { questionUuid } = sent;
    if (sent.wait === undefined) {
      return {
        answer: null,
        questionUuid,
        ...(sent.subscription === undefined ? {} : { subscription: sent.subscription }),
      };
    }
    this.logger.info('Waiting for question %s to be accepted...', questionUuid);
    try {
      return { answer: await sent.wait(), questionUuid };
    } catch (error) {
      this.logger.error(
        'Question %s failed. If the child saves crash diagnostics, they are under ' +
          '<diagnostics-cloud-path>/%s in its diagnostics bucket.',
        questionUuid,
        questionUuid,
      );
      if (limits.raiseErrors) throw error;
      return retryFailedQuestion({
        error,
        questionUuid,
        options,
        limits,
        ask: (retry) => this.ask(retry),
        logger: this.logger,
      });
    }
  }

  /**
   * Asks several questions at once, at most `maxConcurrency` at a time (default `min(32, questions.length)`).
   * `raiseErrors`, `maxRetries`, `preventRetriesWhen` and `logErrors` apply to every question unless it sets its own.
   * @param questions - The questions, as for {@link Child.ask}.
   * @param options - Error handling for all questions and the concurrency bound.
   * @returns The results in the order of `questions`.
   * @throws The first error thrown by a question (in the order they happened), once every question has finished;
   *   InvalidInputException for a bad `maxConcurrency`.
   */
  askMultiple(questions: readonly ChildAskOptions[], options: AskMultipleOptions = {}): Promise<AskResult[]> {
    return askMultiple((question) => this.ask(question), questions, options, this.logger);
  }

  /**
   * Closes and deletes the Child's shared answer subscription now instead of after its linger; questions still
   * waiting fail with a TransportError. Idempotent; a later synchronous question makes a new subscription.
   * @returns Once the subscription is gone (failures to close or delete it are logged, not thrown).
   */
  close(): Promise<void> {
    return this.router.close();
  }

  /**
   * Waits for the answer on an existing answer subscription (e.g. one made by an earlier `ask`), then deletes it.
   * @param subscriptionName - The subscription's name.
   * @param options - What to do with the events, and the limits.
   * @returns The answer.
   * @throws NotAPullSubscription when it is a push subscription; QuestionTimeout; the child's re-created error.
   */
  waitForAnswer(subscriptionName: string, options: WaitForAnswerOptions = {}): Promise<QuestionAnswer> {
    const limits = resolveLimits(options);
    return waitForAnswer({
      transport: this.transport,
      subscriptionName,
      handler: this.newHandler(options),
      clock: this.clock,
      logger: this.logger,
      childId: this.id,
      questionUuid: options.questionUuid,
      timeout: limits.timeout,
      maximumHeartbeatInterval: limits.maximumHeartbeatInterval,
      deleteSubscription: options.deleteSubscription ?? true,
    });
  }

  private async send(options: ChildAskOptions, limits: ResolvedLimits): Promise<SentQuestion> {
    const { questionUuid, message } = await prepareQuestion(
      { childId: this.id, parentSruid: this.parentSruid, objectStore: this.objectStore, sources: this.sources },
      options,
      limits.retryCount,
    );
    return sendQuestion(
      {
        transport: this.transport,
        router: this.router,
        logger: this.logger,
        clock: this.clock,
        parentSruid: this.parentSruid,
        childId: this.id,
        newHandler: () => this.newHandler(options),
      },
      { questionUuid, message },
      options,
      limits,
    );
  }

  private newHandler(options: Pick<ChildAskOptions, 'handleMonitorMessage' | 'recordEvents'>): EventHandler {
    const handler = new EventHandler({
      handleMonitorMessage: options.handleMonitorMessage,
      recordEvents: options.recordEvents ?? true,
      logger: this.logger,
      errorClasses: this.errorClasses,
      objectStore: this.objectStore,
      locationPolicy: this.answerLocations,
    });
    this.handler = handler;
    return handler;
  }
}
