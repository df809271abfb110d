import type { ActiveSubscription, ReceivedMessage, Transport } from '../core/ports/transport';
import { childSubscription } from '../core/topology';
import { ServiceAlreadyExists, ServiceNotFound, SubscriptionAlreadyExists } from '../errors';
import type { Logger } from './logging';

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

/**
 * Serves a service's questions: checks the services topic exists, creates the service's subscription (named after its
 * SRUID, filtered to questions addressed to it, never expiring), answers each delivered question until stopped, then
 * closes the subscription (answers in flight finish first) and deletes it when asked.
 * @param params - The service, transport, answer function and options.
 * @throws ServiceNotFound when the services topic does not exist; ServiceAlreadyExists when the subscription exists
 *   and `allowExisting` is not set; the transport's errors.
 */
export async function serveQuestions(params: ServeQuestionsParams): Promise<void> {
  const { serviceId, transport, logger, options } = params;
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
    logger.info("You can now ask this service questions at '%s'.", serviceId);
    options.onReady?.(spec.name);
    await stopped(options.signal, options.timeoutMs);
    logger.info("Stopping <Service('%s')>.", serviceId);
  } finally {
    await active?.close();
    if (options.deleteSubscriptionOnExit) {
      await transport.deleteSubscription(spec.name).catch((error: unknown) => {
        logger.exception(`Deletion of the subscription '${spec.name}' failed.`, error);
      });
    }
  }
}
