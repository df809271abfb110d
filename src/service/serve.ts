import type { ActiveSubscription, ReceivedMessage, Transport } from '../core/ports/transport';
import { childSubscription } from '../core/topology';
import { InvalidInputException, ServiceAlreadyExists, ServiceNotFound, SubscriptionAlreadyExists } from '../errors';
import type { Logger } from './logging';

/**
 * Serves a service's object streams beside its questions: a `skein/streaming` `StreamEngine` fits. The runtime sees
 * only this shape, so it does not depend on the streaming module.
 */
export interface StreamService {
  /** The SRUID streams are addressed to; must be the served service's. */
  readonly identity: string;
  /** Starts receiving the stream events addressed to the service (and the replies to its own streams). */
  listen(): Promise<void>;
  /** Stops streaming: streams still running end with TASK_ABORTED. */
  shutdownStreamer(): Promise<void>;
}

/** Options for serving questions from a subscription (Octue's `Service.serve`). */
export interface ServeOptions {
  /** Stops serving when aborted (entry points abort it on SIGINT/SIGTERM). Without it (and a timeout) serving never ends. */
  readonly signal?: AbortSignal;
  /** Stops serving after this many milliseconds. */
  readonly timeoutMs?: number;
  /** Use the service's subscription if it already exists (default: refuse, as another instance may be serving). */
  readonly allowExisting?: boolean;
  /** Delete the subscription when serving stops (the CLI's default unless `--no-rm`). Default false. */
  readonly deleteSubscriptionOnExit?: boolean;
  /** Called once the subscription is live, with its name. */
  readonly onReady?: (subscriptionName: string) => void;
  /**
   * Once stopping, how many milliseconds to wait for answers in flight before stopping without them (an app that
   * hangs would otherwise keep the service from ever stopping). Their questions were acknowledged when claimed, so
   * they are not redelivered: their parents stop receiving heartbeats, time out and may retry. Default: wait as long
   * as they take.
   */
  readonly stopGracePeriodMs?: number;
  /** Also serve object streams addressed to the service while serving questions, and shut them down on stopping. */
  readonly streams?: StreamService;
}

/** What {@link serveQuestions} needs. */
export interface ServeQuestionsParams {
  readonly serviceId: string;
  readonly transport: Transport;
  /** Answers one message; must not throw (Service.answer never does). */
  readonly answer: (message: ReceivedMessage) => Promise<unknown>;
  readonly logger: Logger;
  readonly options: ServeOptions;
}

function stopped(signal: AbortSignal | undefined, timeoutMs: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    };
    signal?.addEventListener('abort', finish, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(finish, timeoutMs);
  });
}

// Closes the subscription (which waits for the handlers in flight), giving up on them after the grace period: the
// close then goes on in the background and is only logged.
async function closeWithin(
  active: ActiveSubscription,
  gracePeriodMs: number | undefined,
  logger: Logger,
): Promise<void> {
  const closing = active.close();
  if (gracePeriodMs === undefined) return closing;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), gracePeriodMs);
  });
  try {
    const outcome = await Promise.race([closing.then(() => 'closed' as const), expired]);
    if (outcome === 'expired') {
      logger.warning(
        'Answers were still running %d ms after stopping began; stopping without them (their parents will time out).',
        gracePeriodMs,
      );
      closing.catch((error: unknown) => logger.exception('Closing the subscription failed.', error));
    }
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Serves a service's questions: checks the services topic exists, creates the service's subscription (named after its
 * SRUID, filtered to questions addressed to it, never expiring), answers each delivered question until stopped, then
 * closes the subscription (answers in flight finish first, within `stopGracePeriodMs` when given) and deletes it
 * when asked.
 * @param params - The service, transport, answer function and options.
 * @throws ServiceNotFound when the services topic does not exist; ServiceAlreadyExists when the subscription exists
 *   and `allowExisting` is not set; InvalidInputException for a bad `stopGracePeriodMs`; the transport's errors.
 */
export async function serveQuestions(params: ServeQuestionsParams): Promise<void> {
  const { serviceId, transport, logger, options } = params;
  const grace = options.stopGracePeriodMs;
  if (grace !== undefined && !(Number.isFinite(grace) && grace >= 0)) {
    throw new InvalidInputException(`stopGracePeriodMs must be a number of milliseconds >= 0; received ${grace}.`);
  }
  if (options.streams !== undefined && options.streams.identity !== serviceId) {
    throw new InvalidInputException(
      `The stream engine serves '${options.streams.identity}', not the service '${serviceId}'; build it with the ` +
        "service's SRUID as its identity.",
    );
  }
  logger.info("Starting <Service('%s')>.", serviceId);
  if (!(await transport.topicExists())) {
    throw new ServiceNotFound(
      `The topic '${transport.topicName}' cannot be found. Check that it's been created for this service network.`,
      { serviceId },
    );
  }
  const spec = childSubscription(serviceId);
  try {
    await transport.createSubscription(spec, { allowExisting: options.allowExisting ?? false });
  } catch (error) {
    if (error instanceof SubscriptionAlreadyExists) {
      throw new ServiceAlreadyExists(
        `A service with the ID '${serviceId}' already exists (its subscription '${spec.name}' does): stop the other ` +
          'instance, or serve with allowExisting to share its subscription.',
        { serviceId, cause: error },
      );
    }
    throw error;
  }
  let active: ActiveSubscription | undefined;
  try {
    active = await transport.subscribe(
      spec.name,
      async (message) => {
        await params.answer(message);
      },
      { onError: (error) => logger.exception('The subscription reported an error.', error) },
    );
    await options.streams?.listen();
    logger.info("You can now ask this service questions at '%s'.", serviceId);
    options.onReady?.(spec.name);
    await stopped(options.signal, options.timeoutMs);
    logger.info("Stopping <Service('%s')>.", serviceId);
  } finally {
    if (active !== undefined) await closeWithin(active, grace, logger);
    await options.streams?.shutdownStreamer().catch((error: unknown) => {
      logger.exception('Shutting down the streamer failed.', error);
    });
    if (options.deleteSubscriptionOnExit) {
      await transport.deleteSubscription(spec.name).catch((error: unknown) => {
        logger.exception(`Deletion of the subscription '${spec.name}' failed.`, error);
      });
    }
  }
}
