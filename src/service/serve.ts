import { assertFlowControl, DEFAULT_FLOW_CONTROL } from '../core/ports/transport';
import type { ActiveSubscription, FlowControl, ReceivedMessage, Transport } from '../core/ports/transport';
import { childSubscription } from '../core/topology';
import { InvalidInputException, ServiceAlreadyExists, ServiceNotFound, SubscriptionAlreadyExists } from '../errors';
import type { SubscriptionLost } from '../errors';
import { systemClock } from './clock';
import type { Clock } from './clock';
import type { Logger } from './logging';
import { recoverSubscription, recoveryPolicy, watchTopic } from './serve-recovery';
import type { SubscriptionRecovery } from './serve-recovery';

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
   * hangs would otherwise keep the service from ever stopping). Their questions are not acknowledged yet, so Pub/Sub
   * delivers them again, and another instance answers them once their claims' leases expire. Default: wait as long
   * as they take.
   */
  readonly stopGracePeriodMs?: number;
  /**
   * Bounds the questions leased at once (being answered, or received and waiting), so a flood of any kind costs
   * bounded memory; default {@link DEFAULT_FLOW_CONTROL}.
   */
  readonly flowControl?: FlowControl;
  /**
   * What to do when the subscription is lost while serving: re-create it and subscribe again with bounded backoff,
   * or (the default, attempts 0) end serving with `SubscriptionLost`.
   */
  readonly recovery?: SubscriptionRecovery;
  /**
   * Checks the services topic every this many milliseconds while serving: a deleted topic, or Pub/Sub unreachable
   * twice in a row, counts as a lost subscription (see `recovery`). Default: no checks.
   */
  readonly topicCheckIntervalMs?: number;
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
  /** Drives the recovery backoff; default the system clock. */
  readonly clock?: Clock;
  /** Draws the recovery backoff's jitter, in [0, 1); default `Math.random`. */
  readonly random?: () => number;
}

// Resolves when the signal aborts or the timeout passes; `cancel` releases the timer and listener when serving ends
// another way (a rejection must not leave a timer holding the process open).
function stopped(
  signal: AbortSignal | undefined,
  timeoutMs: number | undefined,
): { promise: Promise<void>; cancel: () => void } {
  let cancel = (): void => undefined;
  const promise = new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      cancel();
      resolve();
    };
    cancel = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
    };
    signal?.addEventListener('abort', finish, { once: true });
    if (timeoutMs !== undefined) timer = setTimeout(finish, timeoutMs);
  });
  return { promise, cancel };
}

// Closes the subscription (which waits for the handlers in flight) and waits for subscribers closed earlier, giving
// up on them after the grace period: the closing then goes on in the background and is only logged.
async function closeWithin(
  active: ActiveSubscription | undefined,
  retired: readonly Promise<void>[],
  gracePeriodMs: number | undefined,
  logger: Logger,
): Promise<void> {
  const closing = Promise.all([active?.close(), ...retired]).then(() => undefined);
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
 * SRUID, filtered to questions addressed to it, never expiring), answers each delivered question (at most
 * `flowControl` of them leased at once) until stopped, then closes the subscription (answers in flight finish first,
 * within `stopGracePeriodMs` when given) and deletes it when asked. If the subscription is lost meanwhile, it is
 * re-created and subscribed to again as `recovery` allows, or serving ends with `SubscriptionLost`: never silently.
 * @param params - The service, transport, answer function and options.
 * @throws ServiceNotFound when the services topic does not exist; ServiceAlreadyExists when the subscription exists
 *   and `allowExisting` is not set; InvalidInputException for a bad `stopGracePeriodMs`, `flowControl` or `recovery`;
 *   SubscriptionLost when the subscription was lost and not recovered; the transport's errors.
 */
export async function serveQuestions(params: ServeQuestionsParams): Promise<void> {
  const { serviceId, transport, logger, options } = params;
  const grace = options.stopGracePeriodMs;
  if (grace !== undefined && !(Number.isFinite(grace) && grace >= 0)) {
    throw new InvalidInputException(`stopGracePeriodMs must be a number of milliseconds >= 0; received ${grace}.`);
  }
  const flowControl = assertFlowControl(options.flowControl ?? DEFAULT_FLOW_CONTROL);
  const policy = recoveryPolicy(options.recovery);
  const checkMs = options.topicCheckIntervalMs;
  if (checkMs !== undefined && !(Number.isFinite(checkMs) && checkMs > 0)) {
    throw new InvalidInputException(`topicCheckIntervalMs must be a number of milliseconds > 0; received ${checkMs}.`);
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
  // Each subscribe gets its own "lost" promise: a loss reported by a retired subscriber must not end the new one.
  let lost!: Promise<SubscriptionLost>;
  let reportLost: (error: SubscriptionLost) => void = () => undefined;
  const subscribe = (): Promise<ActiveSubscription> => {
    lost = new Promise((resolve) => (reportLost = resolve));
    return transport.subscribe(
      spec.name,
      async (message) => {
        await params.answer(message);
      },
      {
        onError: (error) => logger.exception('The subscription reported an error.', error),
        onLost: (error) => reportLost(error),
        flowControl,
      },
    );
  };
  const stop = stopped(options.signal, options.timeoutMs);
  const stopping = stop.promise;
  // Pending promises do not keep Node running: if every stream died, the process would exit 0 with serve() pending.
  // This handle keeps it alive until serving has really ended (resolved or rejected).
  const keepAlive = setInterval(() => undefined, 1 << 30);
  const clock = params.clock ?? systemClock;
  let active: ActiveSubscription | undefined;
  let recovering = false;
  const retired: Promise<void>[] = [];
  const unwatch =
    checkMs === undefined
      ? () => undefined
      : watchTopic({
          transport,
          subscriptionName: spec.name,
          intervalMs: checkMs,
          onLost: (error) => reportLost(error),
          paused: () => recovering,
          clock,
          logger,
        });
  try {
    active = await subscribe();
    await options.streams?.listen();
    logger.info("You can now ask this service questions at '%s'.", serviceId);
    options.onReady?.(spec.name);
    for (;;) {
      const loss = await Promise.race([stopping.then(() => undefined), lost]);
      if (loss === undefined) break;
      logger.warning('%s', loss.message);
      // The lost subscriber's answers in flight go on (they publish through the transport); wait for them at the end.
      retired.push(
        active.close().catch((error: unknown) => logger.exception('Closing a lost subscriber failed.', error)),
      );
      active = undefined;
      recovering = true;
      active = await recoverSubscription({
        subscriptionName: spec.name,
        policy,
        lost: loss,
        resubscribe: async () => {
          await transport.createSubscription(spec, { allowExisting: true });
          return subscribe();
        },
        stopping,
        clock,
        random: params.random ?? Math.random,
        logger,
      });
      recovering = false;
      if (active === undefined) break;
    }
    logger.info("Stopping <Service('%s')>.", serviceId);
  } finally {
    stop.cancel();
    unwatch();
    clearInterval(keepAlive);
    await closeWithin(active, retired, grace, logger);
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
