import { AsyncResource } from 'node:async_hooks';

import { parseEventData } from '../../core/events';
import type { ActiveSubscription, ReceivedMessage, Transport } from '../../core/ports/transport';
import { NotAPullSubscription, QuestionTimeout } from '../../errors';
import type { Clock, TimerHandle } from '../clock';
import type { EventHandler, QuestionAnswer } from '../event-handler';
import type { Logger } from '../logging';

// Node fires longer timers at once (with a warning), so long limits are checked in steps of at most this.
const MAX_TIMER_MS = 2_147_483_647;

/** What {@link waitForAnswer} needs. */
export interface WaitParams {
  readonly transport: Transport;
  /** The (pull) answer subscription. */
  readonly subscriptionName: string;
  /** Handles the events; its recording is the Child's `receivedEvents`. */
  readonly handler: EventHandler;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The child's SRUID, for the heartbeat message when no event came. */
  readonly childId: string;
  /** The question's uuid, for messages. */
  readonly questionUuid: string | undefined;
  /** Seconds to wait for the result, or `null` for no limit. */
  readonly timeout: number | null;
  /** Seconds allowed without a heartbeat. */
  readonly maximumHeartbeatInterval: number;
  /** Delete the subscription once waiting ends. */
  readonly deleteSubscription: boolean;
}

/** Calls `onExpiry` once `ms` have passed on `clock` (in steps, so limits beyond Node's timer range work). */
function startDeadline(clock: Clock, ms: number, onExpiry: () => void): TimerHandle {
  const start = clock.now().getTime();
  return clock.setInterval(
    () => {
      if (clock.now().getTime() - start >= ms) onExpiry();
    },
    Math.min(ms, MAX_TIMER_MS),
  );
}

/**
 * Waits for the answer to one question on its pull subscription, as Octue's `wait_for_answer`: each message is
 * acknowledged at once and its event handed to `handler` in arrival order (the transport keeps the child's order by
 * ordering key); the wait ends with the result, the child's error, or a `QuestionTimeout` when the overall limit
 * passes or no heartbeat arrives within `maximumHeartbeatInterval` (checked every interval, as Octue's watchdog,
 * which delivery acknowledgements do not feed). The subscription is then closed and, unless told otherwise, deleted.
 *
 * The events are handled in the async context `waitForAnswer` was called in, so a relayed log record reaches the
 * asking analysis's log context (and is forwarded further up the tree) rather than whatever context delivered the
 * message.
 * @param params - The subscription, handler, clock and limits.
 * @returns The answer.
 * @throws NotAPullSubscription when the subscription pushes its messages (it is left in place); QuestionTimeout; the
 *   child's re-created error; errors of `handleMonitorMessage` or of loading the output manifest.
 */
export async function waitForAnswer(params: WaitParams): Promise<QuestionAnswer> {
  const { transport, handler, clock, logger } = params;
  let settle!: { resolve: (answer: QuestionAnswer) => void; reject: (error: unknown) => void };
  const finished = new Promise<QuestionAnswer>((resolve, reject) => {
    settle = { resolve, reject };
  });
  let over = false;
  const end = (outcome: { answer: QuestionAnswer } | { error: unknown }): void => {
    if (over) return;
    over = true;
    if ('answer' in outcome) settle.resolve(outcome.answer);
    else settle.reject(outcome.error);
  };

  let lastHeartbeat: number | undefined;
  let queue = Promise.resolve();
  const seen = new Set<string>();
  const handleMessage = async (message: ReceivedMessage): Promise<void> => {
    if (over) return;
    // Pub/Sub delivers at least once; every event has a fresh uuid, so a repeated one is a redelivery.
    const eventUuid = message.attributes.uuid;
    if (eventUuid !== undefined) {
      if (seen.has(eventUuid)) return;
      seen.add(eventUuid);
    }
    let raw: { event: unknown; attributes: Readonly<Record<string, string>> };
    try {
      raw = { event: parseEventData(message.data), attributes: message.attributes };
    } catch (error) {
      logger.warning('Skipped a message that is not an event: %s', error instanceof Error ? error.message : error);
      return;
    }
    const outcome = await handler.handle(raw);
    if (outcome.status === 'result') end({ answer: outcome.answer });
    else if (outcome.status === 'handled' && outcome.kind === 'heartbeat') lastHeartbeat = clock.now().getTime();
  };
  // Acknowledge at once (as Octue does) and queue the handling, so a slow monitor-message handler or manifest load
  // never holds the transport, and closing the subscription never waits for it.
  const onMessage = AsyncResource.bind((message: ReceivedMessage): void => {
    message.ack();
    queue = queue.then(() => handleMessage(message)).catch((error: unknown) => end({ error }));
  });

  const timers: TimerHandle[] = [];
  const heartbeatMs = params.maximumHeartbeatInterval * 1000;
  const start = clock.now().getTime();
  // Octue's watchdog: checked every interval; dead when no heartbeat ever came, or none in the last interval.
  const heartbeatMissed = (now: number): boolean =>
    lastHeartbeat === undefined ? now - start >= heartbeatMs : now - lastHeartbeat > heartbeatMs;
  timers.push(
    clock.setInterval(
      () => {
        if (!heartbeatMissed(clock.now().getTime())) return;
        const sender = handler.lastAttributes?.sender ?? params.childId;
        const uuid = handler.lastAttributes?.question_uuid ?? params.questionUuid ?? 'UNKNOWN';
        end({
          error: new QuestionTimeout(
            `No heartbeat has been received from '${sender}' for question ${uuid} within the maximum allowed ` +
              `interval of ${params.maximumHeartbeatInterval}s.`,
            { questionUuid: params.questionUuid, timeoutSeconds: params.maximumHeartbeatInterval },
          ),
        });
      },
      Math.min(heartbeatMs, MAX_TIMER_MS),
    ),
  );
  const { timeout } = params;
  if (timeout !== null) {
    timers.push(
      startDeadline(clock, timeout * 1000, () =>
        end({
          error: new QuestionTimeout(
            `No final result received from '${transport.topicName}' after ${timeout} seconds.`,
            { questionUuid: params.questionUuid, timeoutSeconds: timeout },
          ),
        }),
      ),
    );
  }

  let active: ActiveSubscription | undefined;
  let keepSubscription = !params.deleteSubscription;
  try {
    active = await transport.subscribe(params.subscriptionName, onMessage, {
      onError: (error) => logger.warning('The answer subscription reported an error: %s', String(error)),
    });
    return await finished;
  } catch (error) {
    // A push subscription stays: its endpoint receives the answer (Octue leaves it too).
    if (error instanceof NotAPullSubscription) keepSubscription = true;
    throw error;
  } finally {
    over = true;
    for (const timer of timers) clock.clearInterval(timer);
    await active
      ?.close()
      .catch((error: unknown) => logger.warning('Closing the answer subscription failed: %s', String(error)));
    if (!keepSubscription) {
      await transport
        .deleteSubscription(params.subscriptionName)
        .catch((error: unknown) => logger.warning('Deleting the answer subscription failed: %s', String(error)));
    }
  }
}
